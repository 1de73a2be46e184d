import type { ApiError, BillingKeyError } from './errors'
import type { ProviderName } from './providers'

/**
 * Where a payment stands. `pending` is a charge the provider has not settled yet (iamport
 * `ready`, Bootpay status 2, PortOne `READY`/`PAY_PENDING`): poll it, never re-send it.
 */
export type PaymentStatus = 'paid' | 'failed' | 'pending' | 'cancelled' | 'partially_cancelled'

/** One payment, the same shape whichever provider took it. */
export interface Payment<P extends ProviderName = ProviderName, Raw = unknown> {
  provider: P
  /** The caller's order key: iamport `merchant_uid`, Bootpay `order_id`, PortOne `paymentId`. */
  orderId: string
  /** The provider's own id: iamport `imp_uid`, Bootpay `receipt_id`, PortOne `transactionId`. */
  paymentId: string | null
  status: PaymentStatus
  /** What was charged (or asked, for a failed or pending payment), in the currency's unit. */
  amount: number
  /** What has been refunded so far; 0 unless cancelled. */
  cancelledAmount: number
  /** ISO 4217, e.g. `KRW`. */
  currency: string
  paidAt: Date | null
  failedAt: Date | null
  cancelledAt: Date | null
  /** Why a `failed` payment failed, in the provider's words; null otherwise. */
  failure: { code: string | null; reason: string | null } | null
  /** The provider's own payload, its generated type. */
  raw: Raw
}

/** The charge went through, for the amount asked: the provider's answer is the proof. */
export interface ChargePaid<P extends ProviderName = ProviderName, Raw = unknown> {
  outcome: 'paid'
  orderId: string
  payment: Payment<P, Raw> & { status: 'paid' }
}

/**
 * Final: nothing was charged under this order key. The issuer declined (iamport `status:
 * "failed"`, PortOne `PG_PROVIDER`) or the provider refused the request (iamport `code != 0`, a
 * Bootpay `error_code`). A new attempt needs a new order key.
 */
export interface ChargeDeclined<P extends ProviderName = ProviderName, Raw = unknown> {
  outcome: 'declined'
  orderId: string
  /** The provider's code (issuer or API), when it gave one. */
  code: string | null
  /** The provider's reason, as it wrote it. */
  reason: string | null
  /** The failed payment, when the provider keeps one. */
  payment: Payment<P, Raw> | null
  /** The refusal, when the provider answered with an error rather than a failed payment. */
  error: ApiError | null
}

/**
 * Nobody can tell yet whether the customer was charged: the answer was lost (timeout, reset,
 * 5xx, an abort after sending) and the lookups by order key within the deadline did not settle
 * it. Never re-send with a new key: look the order up later (`findPayment`) and act on what the
 * provider holds.
 */
export interface ChargeUnknown<P extends ProviderName = ProviderName, Raw = unknown> {
  outcome: 'unknown'
  orderId: string
  /** Why the outcome is unknown: the charge's failure, or the anomaly the lookup found. */
  error: BillingKeyError
  /** The last state seen, e.g. a payment still pending at the deadline; null if none was found. */
  payment: Payment<P, Raw> | null
}

/**
 * What a charge ended in. Narrow on `outcome` before reading it: a declined or unknown result has
 * no paid payment to read.
 */
export type ChargeResult<P extends ProviderName = ProviderName, Raw = unknown> =
  | ChargePaid<P, Raw>
  | ChargeDeclined<P, Raw>
  | ChargeUnknown<P, Raw>
