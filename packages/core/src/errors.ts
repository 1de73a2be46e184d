import { redact, redactCause, redactText } from './redact'

export type ProviderName = 'iamport' | 'bootpay'

export interface ErrorDetails {
  provider?: ProviderName
  /** The operationId, e.g. `getBillingKey`. */
  operation?: string
  /** The HTTP status when there was a response. */
  status?: number
  requestId?: string
  /** The parsed JSON or text body; stored redacted. */
  body?: unknown
  /** The provider's own code: iamport `code`, Bootpay `error_code`. */
  code?: string | number
  cause?: unknown
  /** RateLimitError: the server's Retry-After. */
  retryAfterMs?: number
  /** ValidationError: the field that failed. */
  field?: string
}

export class BillingKeyError extends Error {
  override name = 'BillingKeyError'
  declare readonly provider?: ProviderName
  declare readonly operation?: string
  declare readonly status?: number
  declare readonly requestId?: string
  declare readonly body?: unknown
  declare readonly code?: string | number

  constructor(message: string, { cause, ...details }: ErrorDetails = {}) {
    super(redactText(message), cause === undefined ? undefined : { cause: redactCause(cause) })
    Object.assign(this, redact(details))
  }

  // `cause` stays out: it may hold a raw Request or a parser message quoting the body.
  toJSON(): object {
    return redact({ ...this, message: this.message })
  }
}

/** The provider answered with a failure. */
export class ApiError extends BillingKeyError {
  override name = 'ApiError'
}
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError'
}
export class NotFoundError extends ApiError {
  override name = 'NotFoundError'
}
export class RateLimitError extends ApiError {
  override name = 'RateLimitError'
  declare readonly retryAfterMs?: number
}
export class ServerError extends ApiError {
  override name = 'ServerError'
}
/** A business failure: iamport `code != 0`, a Bootpay `error_code`. */
export class RejectedError extends ApiError {
  override name = 'RejectedError'
}
/** The key was deleted or has expired (Bootpay `SUBSCRIBE_BK_EXPIRED`). */
export class BillingKeyExpiredError extends RejectedError {
  override name = 'BillingKeyExpiredError'
}
/** No response: fetch threw (reset, DNS, refused) or the body stream broke. */
export class ConnectionError extends BillingKeyError {
  override name = 'ConnectionError'
}
/** An attempt timed out or the overall deadline passed. */
export class TimeoutError extends BillingKeyError {
  override name = 'TimeoutError'
}
/** The caller's AbortSignal fired. */
export class AbortError extends BillingKeyError {
  override name = 'AbortError'
}
/** Bad input, raised before any request. */
export class ValidationError extends BillingKeyError {
  override name = 'ValidationError'
  declare readonly field?: string
}
/** A 2xx with a non-JSON, malformed or off-contract body. */
export class ResponseError extends BillingKeyError {
  override name = 'ResponseError'
}

export type ApiErrorClass = new (message: string, details?: ErrorDetails) => ApiError

export const isBillingKeyError = (e: unknown): e is BillingKeyError => e instanceof BillingKeyError

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
 * Without a provider message the message names the body's type and size (an HTML 502 page).
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
  const { body } = details
  const Class =
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
  return new Class(
    `${prefix(input)}HTTP ${status}${statusText && ` ${statusText}`}${message ? `: ${message}` : ` (${type} body${size})`}`,
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
