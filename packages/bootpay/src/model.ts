import { type BootpayRef, ResponseError } from '@billingkey/core'
import type {
  BillingKeyInfo,
  BootpayBillingKey,
  BootpayPayment,
  Receipt,
  SubscriptionBilling,
} from './types'

const date = (value: string | undefined, field: string): Date => {
  const parsed = new Date(value ?? Number.NaN)
  if (Number.isNaN(parsed.getTime()))
    throw new ResponseError(`bootpay answered without a valid ${field}`, { provider: 'bootpay' })
  return parsed
}

/**
 * The shared model of a looked-up key.
 * - `expiresAt`: `billing_expire_at` (by receipt) or `expire_at` (by key); null when its year is
 *   2099 or later, Bootpay's "no expiry" (bank keys carry 2099-12-31T23:59:59+09:00).
 * - `status`: `-11` (cancelled) is deleted; 11 (issued, by receipt) and 1 (issued, by key) are
 *   active until `expiresAt` passes, then expired; any other code is expired too, since nothing
 *   says such a key can be charged (`raw.status` keeps the code).
 * - `sandbox`: the by-key `sandbox` integer, else `receipt_data.sandbox`, else false.
 * - `pg.provider` is the PG's display name (e.g. 나이스페이먼츠); Bootpay reports no merchant id.
 */
export function toBillingKey(
  ref: BootpayRef,
  raw: SubscriptionBilling | BillingKeyInfo,
  now = Date.now(),
): BootpayBillingKey {
  const expiry =
    'billing_expire_at' in raw
      ? date(raw.billing_expire_at, 'billing_expire_at')
      : date(raw.expire_at, 'expire_at')
  const expiresAt = expiry.getUTCFullYear() >= 2099 ? null : expiry
  const data = raw.billing_data ?? {}
  const card = 'card_no' in data ? data : undefined
  const bank = 'bank_name' in data ? data : undefined
  return {
    provider: 'bootpay',
    ref,
    status:
      raw.status === -11
        ? 'deleted'
        : (raw.status === 11 || raw.status === 1) && (!expiresAt || +expiresAt > now)
          ? 'active'
          : 'expired',
    method: card ? 'card' : bank ? 'bank' : 'unknown',
    card: card && {
      issuer: card.card_company ?? null,
      issuerCode: card.card_company_code ?? null,
      maskedNumber: card.card_no ?? null,
      kind: card.card_type === 0 ? 'credit' : card.card_type === 1 ? 'check' : null,
    },
    bank: bank && {
      name: bank.bank_name ?? null,
      code: bank.bank_code ?? null,
      maskedAccount: bank.bank_account ?? null,
      holder: bank.username ?? null,
    },
    pg: { provider: raw.pg, merchantId: null },
    sandbox: Boolean('sandbox' in raw ? raw.sandbox : raw.receipt_data?.sandbox),
    issuedAt: date(raw.published_at, 'published_at'),
    updatedAt: null,
    expiresAt,
    raw,
  }
}

/** An ISO 8601 time as a Date; absent or unreadable is null. */
const timeOf = (value: string | undefined) => {
  const parsed = value ? new Date(value) : null
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null
}

/**
 * A receipt as the shared model sees it (status table in the spec): 1 paid; 20 cancelled, in
 * full or in part, which only `cancelled_price` tells apart; -1 and -2 (failed mid-payment,
 * approval failed) failed; -20 and -30 (a cancel that failed or is in progress) leave the payment
 * as its amounts say; any other status (0, 2 awaiting confirmation, 3 approving, ...) is pending:
 * polled, never re-sent. Bootpay gives a failed receipt no code or reason, so `failure` holds
 * nulls, and
 * no failure time, so `failedAt` is null; `currency` defaults to KRW, Bootpay's own default.
 */
export function toPayment(raw: Receipt): BootpayPayment {
  const { status, price, cancelled_price: cancelled = 0 } = raw
  const failed = status === -1 || status === -2
  const settled = status === 1 || status === 20 || status === -20 || status === -30
  return {
    provider: 'bootpay',
    orderId: raw.order_id,
    paymentId: raw.receipt_id ?? null,
    status: failed
      ? 'failed'
      : !settled
        ? 'pending'
        : cancelled > 0
          ? cancelled >= price
            ? 'cancelled'
            : 'partially_cancelled'
          : status === 20
            ? 'cancelled'
            : 'paid',
    amount: price,
    cancelledAmount: cancelled,
    currency: raw.currency ?? 'KRW',
    paidAt: timeOf(raw.purchased_at),
    failedAt: null,
    cancelledAt: timeOf(raw.cancelled_at),
    failure: failed ? { code: null, reason: raw.status_locale ?? null } : null,
    raw,
  }
}
