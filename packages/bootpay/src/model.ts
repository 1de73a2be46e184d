import { type BootpayRef, ResponseError } from '@billingkey/core'
import type { BillingKeyInfo, BootpayBillingKey, SubscriptionBilling } from './types'

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
