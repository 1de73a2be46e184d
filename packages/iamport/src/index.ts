// The public error list, from its one source: core's own classes (one hierarchy across
// providers), so an iamport user can `instanceof` them without depending on @billingkey/core.
export * from '@billingkey/core/errors'
export { createIamportAdapter } from './adapter'
export {
  createIamportClient,
  type DeleteBillingKeyOptions,
  type Found,
  type GetBillingKeysOptions,
  type IamportClient,
  type IamportClientOptions,
} from './client'
export type { IamportApiError, IamportCode } from './errors'
export { isSuperBillingKey, toBillingKey } from './model'
export {
  type CancelPaymentRequest,
  type ChargeBillingKeyRequest,
  type ChargeOptions,
  type FindAllPaymentsOptions,
  type FindPaymentOptions,
  type GetPaymentOptions,
  type IamportPayments,
  type ListPaymentsOptions,
  type ListSchedulesOptions,
  type PaymentPage,
  toPayment,
} from './payments'
export type * from './types'
export { type IamportWebhookBody, verifyWebhook } from './webhook'
