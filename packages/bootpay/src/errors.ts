import {
  type ApiErrorClass,
  AuthenticationError,
  BillingKeyExpiredError,
  errorFromResponse,
  NotFoundError,
} from '@billingkey/core'
import type { ErrorBody } from './types'

/**
 * `RC_NOT_SUBSCRIBE`: the receipt is not a billing-key issuance, so no billing key stands behind
 * it. A NotFoundError, so a batch lookup counts it as a missing key.
 */
export class NotBillingKeyReceiptError extends NotFoundError {
  override name = 'NotBillingKeyReceiptError'
}

// Codes that say more than the HTTP status; any other code falls back to the status's class
// (401 Authentication, 404 NotFound, 429 RateLimit, 5xx Server, else Rejected).
const CLASSES = new Map<unknown, ApiErrorClass>([
  ['TOKEN_KEY_INVALID', AuthenticationError],
  ['SUBSCRIBE_BK_EXPIRED', BillingKeyExpiredError],
  ['RC_NOT_SUBSCRIBE', NotBillingKeyReceiptError],
  ['RC_NOT_FOUND', NotFoundError],
])

/** The typed error for a non-2xx answer or for any answer whose body carries `error_code`. */
export function bootpayError(operation: string, response: Response, body: unknown) {
  const { error_code: code, message } = (body ?? {}) as Partial<ErrorBody>
  return errorFromResponse({
    provider: 'bootpay',
    operation,
    response,
    body,
    code: code ?? undefined,
    // The code leads: logs that keep only the message still say what failed.
    message: code == null ? message : `${code}${message ? ` (${message})` : ''}`,
    as: CLASSES.get(code),
  })
}
