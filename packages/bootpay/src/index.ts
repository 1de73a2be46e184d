// The public error list, from its one source: core's own classes (one hierarchy across
// providers), so a Bootpay user can `instanceof` them without depending on @billingkey/core.
export * from '@billingkey/core/errors'
export { createBootpayAdapter } from './adapter'
export {
  type BootpayBasicCredentials,
  type BootpayClient,
  type BootpayClientOptions,
  type BootpayTokenCredentials,
  createBootpayClient,
  type DeleteBillingKeyOptions,
} from './client'
export { type BootpayApiError, NotBillingKeyReceiptError } from './errors'
export type { components, operations, paths } from './generated/schema'
export { toBillingKey } from './model'
export {
  type BootpayPayments,
  type CancelPaymentRequest,
  type ChargeBillingKeyRequest,
  type ChargeOptions,
  type GetReceiptOptions,
  type ReservePaymentRequest,
  toPayment,
} from './payments'
export type * from './types'
