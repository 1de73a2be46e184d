// The error classes are core's own (one hierarchy across providers), re-exported so an iamport
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
export { createIamportAdapter } from './adapter'
export {
  createIamportClient,
  type DeleteBillingKeyOptions,
  type Found,
  type GetBillingKeysOptions,
  type IamportClient,
  type IamportClientOptions,
  type ListPaymentsOptions,
  type ListSchedulesOptions,
} from './client'
export type { IamportApiError, IamportCode } from './errors'
export { isSuperBillingKey, toBillingKey } from './model'
export type * from './types'
