import {
  type ApiError,
  type ApiErrorClass,
  AuthenticationError,
  BillingKeyExpiredError,
  NotFoundError,
  type ProviderDeclaration,
} from '@billingkey/core'
import type { BootpayErrorCode, ErrorBody } from './types'

/** A Bootpay failure, its `error_code` typed. */
export type BootpayApiError = ApiError<BootpayErrorCode>

/**
 * `RC_NOT_SUBSCRIBE`: the receipt is not a billing-key issuance, so no billing key stands behind
 * it. A NotFoundError, so a batch lookup counts it as a missing key.
 */
export class NotBillingKeyReceiptError extends NotFoundError<BootpayErrorCode> {
  override name = 'NotBillingKeyReceiptError'
  static override reason = 'the receipt did not issue a billing key'
}

// Codes that say more than the HTTP status; any other code falls back to the status's class
// (401 Authentication, 404 NotFound, 429 RateLimit, 5xx Server, else Rejected).
const CLASSES = new Map<unknown, ApiErrorClass>([
  ['TOKEN_KEY_INVALID', AuthenticationError],
  ['SUBSCRIBE_BK_EXPIRED', BillingKeyExpiredError],
  ['RC_NOT_SUBSCRIBE', NotBillingKeyReceiptError],
  ['RC_NOT_FOUND', NotFoundError],
])

/** How a Bootpay answer is classified: any body with `error_code` is a failure, a 200 too. */
export const classification: Pick<
  ProviderDeclaration<BootpayErrorCode>,
  'failureOf' | 'payloadOf' | 'classOf'
> = {
  failureOf: (body) => {
    const { error_code: code, message } = (body ?? {}) as Partial<ErrorBody>
    return code == null ? undefined : { code, message }
  },
  payloadOf: (body) => body,
  classOf: (failure) => CLASSES.get(failure?.code),
}
