import { redact, redactText } from './redact'

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
    super(redactText(message), cause === undefined ? undefined : { cause })
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
  constructor(message: string, details: ErrorDetails & { retryAfterMs?: number } = {}) {
    super(message, details)
  }
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
  constructor(message: string, details: ErrorDetails & { field?: string } = {}) {
    super(message, details)
  }
}
/** A 2xx with a non-JSON, malformed or off-contract body. */
export class ResponseError extends BillingKeyError {
  override name = 'ResponseError'
}

export type ApiErrorClass = new (message: string, details?: ErrorDetails) => ApiError

export const isBillingKeyError = (e: unknown): e is BillingKeyError => e instanceof BillingKeyError

const prefix = ({ provider, operation }: ErrorDetails) =>
  [provider, operation].filter(Boolean).join(' ') || 'request'

export const requestIdOf = (headers: Headers): string | undefined =>
  ['x-request-id', 'request-id', 'x-amzn-requestid', 'cf-ray']
    .map((h) => headers.get(h))
    .find(Boolean) ?? undefined

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date (past dates → 0). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const ms = value ? (Number.isNaN(+value) ? Date.parse(value) - now : +value * 1000) : Number.NaN
  return Number.isNaN(ms) ? undefined : Math.max(ms, 0)
}

/**
 * The typed error for a failed response: 401 Authentication, 404 NotFound, 429 RateLimit, 5xx
 * Server, anything else Rejected; `as` picks the class when the provider's code says more
 * (iamport 200 + code 1 → NotFoundError, Bootpay SUBSCRIBE_BK_EXPIRED → BillingKeyExpiredError).
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
  const { provider, operation, response, body, code, message } = input
  const { status, statusText, headers } = response
  const Class =
    input.as ??
    (status === 401
      ? AuthenticationError
      : status === 404
        ? NotFoundError
        : status === 429
          ? RateLimitError
          : status >= 500
            ? ServerError
            : RejectedError)
  const type = headers.get('content-type')?.split(';')[0] || 'no content type'
  const detail = message
    ? `: ${message}${code === undefined ? '' : ` (code ${code})`}`
    : ` (${typeof body === 'string' ? `${type} body, ${new TextEncoder().encode(body).length} bytes` : type})`
  return new Class(
    `${prefix(input)} failed: HTTP ${status}${statusText && ` ${statusText}`}${detail}`,
    {
      provider,
      operation,
      status,
      requestId: requestIdOf(headers),
      body,
      code,
      retryAfterMs: parseRetryAfter(headers.get('retry-after')),
    } as ErrorDetails,
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
    for (const key of ['provider', 'operation'] as const)
      (e as { [k in typeof key]?: string })[key] ??= details[key]
    return e
  }
  const name = (e as Error | undefined)?.name
  const [Class, what] =
    name === 'SyntaxError'
      ? [ResponseError, 'the response body is not valid JSON']
      : name === 'AbortError'
        ? [AbortError, 'aborted']
        : name === 'TimeoutError'
          ? [TimeoutError, 'timed out']
          : [name === 'TypeError' ? ConnectionError : BillingKeyError, String(e)]
  // A JSON parser's message quotes the body, so a SyntaxError is not kept as the cause.
  return new Class(`${prefix(details)} failed: ${what}`, {
    ...details,
    cause: Class === ResponseError ? undefined : e,
  })
}
