import type { BillingKey, BillingKeyAdapter, ChargeResult, Payment } from '@billingkey/core'
import type { components } from './generated/schema'

type Schemas = components['schemas']

/** A key: `ISSUED`, or `DELETED` with `deletedAt` (a deleted key is a 200, not a 404). */
export type BillingKeyInfo = Schemas['BillingKeyInfo']
export type BillingKeyPaymentMethod = Schemas['BillingKeyPaymentMethod']
/** The page, sort and filter of `GET /billing-keys`, sent as JSON in the query `requestBody`. */
export type GetBillingKeyInfosBody = Schemas['GetBillingKeyInfosBody']
export type GetBillingKeyInfosResponse = Schemas['GetBillingKeyInfosResponse']
export type DeleteBillingKeyResponse = Schemas['DeleteBillingKeyResponse']
/** What a charge sends, less `storeId` (the client's option): `amount` is `{ total, taxFree?, vat? }`. */
export type ChargeInput = Omit<Schemas['BillingKeyPaymentInput'], 'storeId'>
/** The 200 of a charge: `{ payment: { pgTxId, paidAt } }`, the proof of payment. */
export type PayWithBillingKeyResponse = Schemas['PayWithBillingKeyResponse']
/** `GET /payments/{paymentId}`, by `status`: READY, PAY_PENDING, PAID, FAILED, … */
export type PaymentInfo = Schemas['Payment']
export type PaymentCancellation = Schemas['PaymentCancellation']
export type CancelPaymentBody = Schemas['CancelPaymentBody']
export type PaymentSchedule = Schemas['PaymentSchedule']
export type PaymentScheduleStatus = Schemas['PaymentScheduleStatus']
export type GetPaymentSchedulesBody = Schemas['GetPaymentSchedulesBody']
export type GetPaymentSchedulesResponse = Schemas['GetPaymentSchedulesResponse']
export type CreatePaymentScheduleResponse = Schemas['CreatePaymentScheduleResponse']
export type RevokePaymentSchedulesResponse = Schemas['RevokePaymentSchedulesResponse']

/** Every error body of the spec, `{ type, message }` (PG_PROVIDER adds `pgCode`, `pgMessage`). */
export type ErrorBody = {
  [K in keyof Schemas]: K extends `${string}Error` ? Schemas[K] : never
}[keyof Schemas]
/** A `type` the spec lists, or any other string: a new server type still compiles. */
export type PortoneErrorCode = ErrorBody['type'] | (string & {})

/** What a charge's payment holds in `raw`: the 200 of the charge, or the looked-up payment. */
export type PortonePaymentRaw = PaymentInfo | PayWithBillingKeyResponse
/** A PortOne payment in the shared model. */
export type PortonePayment = Payment<'portone', PaymentInfo>
/** What `chargeBillingKey` ends in: paid, declined or unknown. Narrow on `outcome`. */
export type PortoneChargeResult = ChargeResult<'portone', PortonePaymentRaw>

/** A PortOne key in the shared model; `raw` is the key as PortOne returned it. */
export type PortoneBillingKey = BillingKey<'portone', BillingKeyInfo>
export type PortoneBillingKeyAdapter = BillingKeyAdapter<
  'portone',
  BillingKeyInfo,
  PortonePaymentRaw,
  PortoneChargeExtra
>
/**
 * The fields of PortOne's charge input a facade charge may add in `extra` (`channelKey`,
 * `customData`, `installmentMonth`, `noticeUrls`, `customer.id`, ...): any but those the
 * facade's own fields map to.
 */
export type PortoneChargeExtra = Partial<
  Omit<ChargeInput, 'billingKey' | 'orderName' | 'amount' | 'currency'>
>
