// The error classes are core's own (one hierarchy across providers), re-exported so a Bootpay
// user can `instanceof` them without depending on @billingkey/core directly.
export {
  AbortError,
  ApiError,
  AuthenticationError,
  BillingKeyError,
  BillingKeyExpiredError,
  ConnectionError,
  isBillingKeyError,
  NotFoundError,
  RateLimitError,
  RejectedError,
  ResponseError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '@billingkey/core'
export { createBootpayAdapter } from './adapter'
export {
  type BootpayBasicCredentials,
  type BootpayClient,
  type BootpayClientOptions,
  type BootpayTokenCredentials,
  createBootpayClient,
} from './client'
export { NotBillingKeyReceiptError } from './errors'
export type { components, operations, paths } from './generated/schema'
export { toBillingKey } from './model'
export type * from './types'
