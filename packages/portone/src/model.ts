import { type PaymentStatus, type PortoneRef, ResponseError } from '@billingkey/core'
import type { BillingKeyInfo, PaymentInfo, PortoneBillingKey, PortonePayment } from './types'

const provider = 'portone'

function date(value: string, field: string): Date
function date(value: string | undefined, field: string): Date | null
function date(value: string | undefined, field: string): Date | null {
  if (value === undefined) return null
  const parsed = new Date(value)
  if (Number.isNaN(parsed.getTime()))
    throw new ResponseError(`portone answered without a valid ${field}`, { provider })
  return parsed
}

// READY and PAY_PENDING are unsettled; a virtual account waits for a deposit (never a billing-key
// charge, but the union has it): all pending, to be polled.
const STATUS: Record<PaymentInfo['status'], PaymentStatus> = {
  READY: 'pending',
  PAY_PENDING: 'pending',
  VIRTUAL_ACCOUNT_ISSUED: 'pending',
  PAID: 'paid',
  FAILED: 'failed',
  PARTIAL_CANCELLED: 'partially_cancelled',
  CANCELLED: 'cancelled',
}

/**
 * The shared model of `GET /payments/{paymentId}`: `orderId` is PortOne's `id` (the merchant's
 * paymentId), `paymentId` its `transactionId`; `amount` the total asked; a FAILED payment's
 * `failure` is the PG's `pgCode` and `pgMessage` (else PortOne's `reason`).
 */
export function toPayment(raw: PaymentInfo): PortonePayment {
  const failure = raw.status === 'FAILED' ? raw.failure : undefined
  return {
    provider,
    orderId: raw.id,
    paymentId: raw.transactionId,
    status: STATUS[raw.status] ?? 'pending',
    amount: raw.amount.total,
    cancelledAmount: raw.amount.cancelled ?? 0,
    currency: raw.currency,
    paidAt: date('paidAt' in raw ? raw.paidAt : undefined, 'paidAt'),
    failedAt: date('failedAt' in raw ? raw.failedAt : undefined, 'failedAt'),
    cancelledAt: date('cancelledAt' in raw ? raw.cancelledAt : undefined, 'cancelledAt'),
    failure: failure
      ? { code: failure.pgCode ?? null, reason: failure.pgMessage ?? failure.reason ?? null }
      : null,
    raw,
  }
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
