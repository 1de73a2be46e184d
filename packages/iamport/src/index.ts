// The public error list, from its one source: core's own classes (one hierarchy across
// providers), so an iamport user can `instanceof` them without depending on @billingkey/core.
export * from '@billingkey/core/errors'
export { createIamportAdapter } from './adapter'
export {
  type CancelPaymentRequest,
  type ChargeBillingKeyRequest,
  type ChargeOptions,
  createIamportClient,
  type DeleteBillingKeyOptions,
  type FindAllPaymentsOptions,
  type FindPaymentOptions,
  type Found,
  type GetBillingKeysOptions,
  type GetPaymentOptions,
  type IamportClient,
  type IamportClientOptions,
  type ListPaymentsOptions,
  type ListSchedulesOptions,
  type PaymentPage,
} from './client'
export type { IamportApiError, IamportCode } from './errors'
export { isSuperBillingKey, toBillingKey, toPayment } from './model'
export type * from './types'
export { type IamportWebhookBody, verifyWebhook } from './webhook'
