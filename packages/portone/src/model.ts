import { type PortoneRef, ResponseError } from '@billingkey/core'
import { provider } from './input'
import type { BillingKeyInfo, PortoneBillingKey } from './types'

/** A timestamp PortOne sent; a value that is not one is a ResponseError. */
export function date(value: string, field: string): Date
export function date(value: string | undefined, field: string): Date | null
export function date(value: string | undefined, field: string): Date | null {
  if (value === undefined) return null
  const parsed = new Date(value)
  if (Number.isNaN(parsed.getTime()))
    throw new ResponseError(`portone answered without a valid ${field}`, { provider })
  return parsed
}

/**
 * The shared model of a key.
 * - `status`: ISSUED is active, DELETED deleted; PortOne reports no expiry (`expiresAt` null).
 * - `method`: the first of `methods`: a card, a bank transfer, else unknown (easy pay, mobile,
 *   PayPal, or a V1 key without methods). `card.issuer` is PortOne's issuer id (`KOOKMIN_CARD`).
 * - `pg`: the first channel's `pgProvider` and `pgMerchantId`; `sandbox` is a TEST channel.
 * - `updatedAt`: `deletedAt` for a deleted key, else null.
 */
export function toBillingKey(ref: PortoneRef, raw: BillingKeyInfo): PortoneBillingKey {
  const method = raw.methods?.[0]
  const card = method?.type === 'BillingKeyPaymentMethodCard' ? (method.card ?? {}) : undefined
  const bank = method?.type === 'BillingKeyPaymentMethodTransfer' ? method : undefined
  const channel = raw.channels?.[0]
  const customer = raw.customer ?? {}
  return {
    provider,
    ref,
    status: raw.status === 'DELETED' ? 'deleted' : 'active',
    method: card ? 'card' : bank ? 'bank' : 'unknown',
    card: card && {
      issuer: card.issuer ?? card.publisher ?? null,
      issuerCode: null,
      maskedNumber: card.number ?? null,
      kind: card.type === 'CREDIT' ? 'credit' : card.type === 'DEBIT' ? 'check' : null,
    },
    bank: bank && {
      name: bank.bank ?? null,
      code: null,
      maskedAccount: bank.accountNumber ?? null,
      holder: null,
    },
    customer: {
      name: customer.name ?? null,
      phone: customer.phoneNumber ?? null,
      email: customer.email ?? null,
      address: null,
      postcode: null,
    },
    pg: { provider: channel?.pgProvider ?? 'unknown', merchantId: channel?.pgMerchantId ?? null },
    sandbox: channel?.type === 'TEST',
    issuedAt: date(raw.issuedAt, 'issuedAt'),
    updatedAt: date(raw.status === 'DELETED' ? raw.deletedAt : undefined, 'deletedAt'),
    expiresAt: null,
    raw,
  }
}
