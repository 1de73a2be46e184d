import {
  AbortError,
  type ApiError,
  type ApiErrorClass,
  AuthenticationError,
  BillingKeyError,
  ConnectionError,
  type ErrorDetails,
  NotFoundError,
  RateLimitError,
  RejectedError,
  ResponseError,
  ServerError,
  TimeoutError,
} from './errors'
import type { ProviderName } from './providers'

const prefix = ({ provider, operation }: ErrorDetails) =>
  `${[provider, operation].filter(Boolean).join(' ') || 'request'} failed: `

const REQUEST_ID = ['x-request-id', 'request-id', 'x-amzn-requestid', 'cf-ray']

export const requestIdOf = (headers: Headers): string | undefined =>
  REQUEST_ID.map((name) => headers.get(name)).find(Boolean) ?? undefined

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date (past dates → 0). */
export function parseRetryAfter(value?: string | null, now = Date.now()): number | undefined {
  const ms = value ? (+value >= 0 ? +value * 1000 : Date.parse(value) - now) : Number.NaN
  return ms > 0 ? ms : ms <= 0 ? 0 : undefined
}

/**
 * The typed error for a failed response: 401 Authentication, 404 NotFound, 429 RateLimit, 5xx
 * Server, anything else Rejected; `as` picks the class when the provider's code says more
 * (iamport 200 + code 1 → NotFoundError, Bootpay SUBSCRIBE_BK_EXPIRED → BillingKeyExpiredError).
 * The message is the class's one English wording, then the status and the provider's code and
 * message; without them, the body's type and size (an HTML 502 page).
 */
export function errorFromResponse(input: {
  provider: ProviderName
  operation: string
  response: Response
  body: unknown
  code?: string | number
  message?: string
  as?: ApiErrorClass
}): ApiError {
  const { response, message, as, ...details } = input
  const { status, statusText, headers } = response
  const { body, code } = details
  const Class: ApiErrorClass =
    as ??
    (status === 401
      ? AuthenticationError
      : status === 404
        ? NotFoundError
        : status === 429
          ? RateLimitError
          : status > 499
            ? ServerError
            : RejectedError)
  const type = headers.get('content-type')?.split(';')[0] || 'untyped'
  const size = typeof body === 'string' ? `, ${body.length} characters` : ''
  const said =
    code == null
      ? (message ?? `${type} body${size}`)
      : `code ${code}${message ? `, message: ${message}` : ''}`
  return new Class(
    `${prefix(input)}${Class.reason} (HTTP ${status}${statusText && ` ${statusText}`}, ${said})`,
    {
      ...details,
      status,
      requestId: requestIdOf(headers),
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
    },
  )
}

/**
 * Anything thrown around a call as a BillingKeyError: SyntaxError (a malformed or truncated
 * JSON body) → ResponseError, TypeError (fetch failed) → ConnectionError, DOMException
 * AbortError/TimeoutError → AbortError/TimeoutError. A BillingKeyError passes through, gaining
 * the provider and operation it lacked.
 */
export function toBillingKeyError(e: unknown, details: ErrorDetails): BillingKeyError {
  if (e instanceof BillingKeyError) {
    const known = e as { provider?: ProviderName; operation?: string }
    known.provider ??= details.provider
    known.operation ??= details.operation
    return e
  }
  const name = (e as Error | undefined)?.name
  const Class =
    name === 'SyntaxError'
      ? ResponseError
      : name === 'AbortError'
        ? AbortError
        : name === 'TimeoutError'
          ? TimeoutError
          : name === 'TypeError'
            ? ConnectionError
            : BillingKeyError
  // A JSON parser's message quotes the body it choked on: neither it nor the error is kept.
  return Class === ResponseError
    ? new Class(`${prefix(details)}the response body is not valid JSON`, details)
    : new Class(prefix(details) + e, { ...details, cause: e })
}
