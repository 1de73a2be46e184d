import type { ProviderName } from './providers'
import { redact, redactCause, redactText } from './redact'

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
  /**
   * `instanceof` as usual, and for the errors of another copy of core too (the ESM and CJS builds
   * loaded in one process, as under Jest): by name, a class up the value's prototype chain is
   * named like this one, and the chain reaches a BillingKeyError (so a look-alike
   * `ValidationError` of other code is not one). Every class of the hierarchy inherits it.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // The usual check first: a minifier renames classes, so names only serve another copy.
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    let found = false
    for (
      let proto = Object.getPrototypeOf(Object(value));
      proto;
      proto = Object.getPrototypeOf(proto)
    ) {
      const name = proto.constructor?.name
      // biome-ignore lint/complexity/noThisInStatic: `this` is the class right of instanceof
      found ||= name === this.name
      if (name === 'BillingKeyError') return found
    }
    return false
  }
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

/**
 * The provider answered with a failure. `Code` is the provider's code union (iamport `code`,
 * Bootpay `error_code`), each with an unrecognized fallback. `reason` is the one English wording
 * of the failure every provider's message starts with; the provider's code and message follow it.
 */
export class ApiError<Code extends string | number = string | number> extends BillingKeyError {
  override name = 'ApiError'
  declare readonly code?: Code
  static reason = 'the provider refused the request'
}
export class AuthenticationError<
  Code extends string | number = string | number,
> extends ApiError<Code> {
  override name = 'AuthenticationError'
  static override reason = 'the provider refused the credentials or the token'
}
export class NotFoundError<Code extends string | number = string | number> extends ApiError<Code> {
  override name = 'NotFoundError'
  static override reason = 'no billing key was found'
}
export class RateLimitError<Code extends string | number = string | number> extends ApiError<Code> {
  override name = 'RateLimitError'
  declare readonly retryAfterMs?: number
  static override reason = 'too many requests'
}
export class ServerError<Code extends string | number = string | number> extends ApiError<Code> {
  override name = 'ServerError'
  static override reason = 'the provider failed'
}
/** A business failure: iamport `code != 0`, a Bootpay `error_code`. */
export class RejectedError<Code extends string | number = string | number> extends ApiError<Code> {
  override name = 'RejectedError'
}
/** The key was deleted or has expired (Bootpay `SUBSCRIBE_BK_EXPIRED`). */
export class BillingKeyExpiredError<
  Code extends string | number = string | number,
> extends RejectedError<Code> {
  override name = 'BillingKeyExpiredError'
  static override reason = 'the billing key has expired or was deleted'
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

/** An ApiError subclass: the class a provider's code picks, with its wording. */
export type ApiErrorClass = (new (
  message: string,
  details?: ErrorDetails,
) => ApiError) & {
  reason: string
}

export const isBillingKeyError = (e: unknown): e is BillingKeyError => e instanceof BillingKeyError

/**
 * Whether the runtime refused the request for want of a permission (Deno 2 without `--allow-net`
 * throws `NotCapable`): final, since no retry grants it.
 */
export const isPermissionDenied = (e: unknown): boolean =>
  (e as Error | undefined)?.name === 'NotCapable'
