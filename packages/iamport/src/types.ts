import type { BillingKey, BillingKeyAdapter, ChargeResult, Payment } from '@billingkey/core'
import type { components } from './generated/schema'

export type { components, operations, paths } from './generated/schema'

type Schemas = components['schemas']

/** `{ code, message, response }`: the wrapper of every iamport response body. */
export type Envelope = Schemas['Envelope']
/** A failure body: `code != 0`, `response: null`. */
export type ErrorResponse = Schemas['ErrorResponse']
/** An ordinary billing key. The `card_*` fields are `null` for PGs without card data. */
export type CustomerAnnotation = Schemas['CustomerAnnotation']
/** A super billing key (smart routing): one customer_uid, a key per channel of a group. */
export type SuperBillingKeyAnnotation = Schemas['SuperBillingKeyAnnotation']
export type SucceededChannelAnnotation = Schemas['SucceededChannelAnnotation']
export type FailedChannelAnnotation = Schemas['FailedChannelAnnotation']
/** What the billing-key calls return: an ordinary or a super billing key. */
export type BillingKeyAnnotation = Schemas['BillingKeyAnnotation']
/** The card data `issueBillingKey` sends. Every card field is a secret. */
export type IssueBillingKeyRequest = Schemas['IssueBillingKeyRequest']
export type PaymentAnnotation = Schemas['PaymentAnnotation']
export type PagedPaymentAnnotation = Schemas['PagedPaymentAnnotation']
export type ScheduleResultAnnotation = Schemas['ScheduleResultAnnotation']
export type PagedScheduleAnnotation = Schemas['PagedScheduleAnnotation']
export type ScheduleStatus = Schemas['ScheduleStatus']
/** What `/subscribe/payments/again` takes. */
export type ChargeRequest = Schemas['ChargeRequest']
/** One charge to schedule. */
export type ScheduleEntry = Schemas['ScheduleEntry']
/** What `/payments/cancel` takes. */
export type CancelRequest = Schemas['CancelRequest']
/** iamport's payment states: `ready` (not settled yet), `paid`, `cancelled`, `failed`. */
export type IamportPaymentStatus = PaymentAnnotation['status']

/** An iamport payment in the shared model; `raw` is the payment as iamport returned it. */
export type IamportPayment = Payment<'iamport', PaymentAnnotation>
/** What `chargeBillingKey` ends in: narrow on `outcome`. */
export type IamportChargeResult = ChargeResult<'iamport', PaymentAnnotation>

/** An iamport key in the shared model; `raw` is the key as iamport returned it. */
export type IamportBillingKey = BillingKey<'iamport', BillingKeyAnnotation>
/**
 * The fields of iamport's charge request a facade charge may add in `extra`: any but those the
 * facade's own fields map to.
 */
export type IamportChargeExtra = Partial<
  Omit<
    ChargeRequest,
    | 'customer_uid'
    | 'merchant_uid'
    | 'amount'
    | 'name'
    | 'currency'
    | 'tax_free'
    | 'buyer_name'
    | 'buyer_email'
    | 'buyer_tel'
  >
>
export type IamportBillingKeyAdapter = BillingKeyAdapter<
  'iamport',
  BillingKeyAnnotation,
  PaymentAnnotation,
  IamportChargeExtra
>
