import type { BillingKey, BillingKeyAdapter, ChargeResult, Payment } from '@billingkey/core'
import type { components } from './generated/schema'

type Schemas = components['schemas']

/** Answer of the lookup by receipt, the card issue and the bank publish (`status` 11). */
export type SubscriptionBilling = Schemas['SubscriptionBilling']
/** Answer of the lookup by billing key: `expire_at`, `status` 1, integer `sandbox`. */
export type BillingKeyInfo = Schemas['BillingKeyInfo']
export type BillingData = Schemas['BillingData']
export type CardBillingData = Schemas['CardBillingData']
export type BankBillingData = Schemas['BankBillingData']
/** The bank-key request's answer (`status` 41, consent pending) and `receipt_data`. */
export type Receipt = Schemas['Receipt']
export type AccessToken = Schemas['AccessToken']
export type DeletedBillingKey = Schemas['DeletedBillingKey']
export type CardBillingKeyRequest = Schemas['CardBillingKeyRequest']
export type BankBillingKeyRequest = Schemas['BankBillingKeyRequest']
export type ErrorBody = Schemas['ErrorBody']
/** What `POST /v2/subscribe/payment` takes. */
export type ChargeRequest = Schemas['ChargeRequest']
/** What `POST /v2/subscribe/payment/reserve` takes: a charge and `reserve_execute_at`. */
export type ReserveRequest = Schemas['ReserveRequest']
/** The answer of a reservation: `reserve_id`, `reserve_execute_at`. */
export type Reservation = Schemas['Reservation']
/** A reservation as looked up; its `status` values are undocumented. */
export type ReservationInfo = Schemas['ReservationInfo']
export type CancelledReservation = Schemas['CancelledReservation']
/** What `POST /v2/cancel` takes. */
export type CancelRequest = Schemas['CancelRequest']

/** A Bootpay payment in the shared model; `raw` is the receipt as Bootpay returned it. */
export type BootpayPayment = Payment<'bootpay', Receipt>
/** What `chargeBillingKey` ends in: narrow on `outcome`. */
export type BootpayChargeResult = ChargeResult<'bootpay', Receipt>
/** A recorded `error_code`, or any other string: a new server code still compiles. */
export type BootpayErrorCode = Schemas['KnownErrorCode'] | (string & {})

/** The shared model of a Bootpay key; `raw` is the lookup's own answer. */
export type BootpayBillingKey = BillingKey<'bootpay', SubscriptionBilling | BillingKeyInfo>
/** What `createBootpayAdapter` returns: the adapter the `@billingkey/client` facade takes. */
export type BootpayBillingKeyAdapter = BillingKeyAdapter<
  'bootpay',
  SubscriptionBilling | BillingKeyInfo,
  Receipt,
  BootpayChargeExtra
>
/**
 * The fields of Bootpay's charge request a facade charge may add in `extra` (`card_quota`,
 * `items`, `user.id`, `feedback_url`, `metadata`, ...): any but those the facade's own fields map to.
 */
export type BootpayChargeExtra = Partial<
  Omit<ChargeRequest, 'billing_key' | 'order_id' | 'price' | 'order_name' | 'tax_free'>
>
