import type { ProviderName } from './emulator'

/** Where a payment stands at a moment of the sandbox clock. */
export type LedgerStatus = 'ready' | 'paid' | 'failed' | 'cancelled' | 'partially_cancelled'

/** Why a charge fails at the issuer: the PG's code and reason, as a provider reports them. */
export interface Decline {
  code: string
  reason: string
}

export interface Cancellation {
  amount: number
  at: number
  reason: string | null
  /** Bootpay's caller-supplied `cancel_id`, which makes a repeated cancel a no-op. */
  cancelId: string | null
}

/** One charge attempt, as the provider's books hold it. */
export interface LedgerEntry {
  provider: ProviderName
  /** The provider's id: iamport `imp_uid`, Bootpay `receipt_id`, PortOne `transactionId`. */
  paymentId: string
  /** The caller's order key: iamport `merchant_uid`, Bootpay `order_id`, PortOne `paymentId`. */
  orderId: string
  /** The key charged: iamport `customer_uid`, Bootpay `billing_key`, PortOne `billingKey`. */
  billingKey: string
  amount: number
  currency: string
  name: string
  requestedAt: number
  /** When the charge settles: `requestedAt`, unless a slow-commit fault holds it `ready`. */
  settlesAt: number
  /** How it settles: paid, or declined by the issuer. */
  decline: Decline | null
  cancellations: Cancellation[]
  /** The schedule that ran this charge, if a schedule did. */
  scheduleId: string | null
}

/** A charge as an emulator hands it to the ledger: the entry's own fields, the rest derived. */
export type ChargeInput = Pick<
  LedgerEntry,
  'provider' | 'paymentId' | 'orderId' | 'billingKey' | 'amount' | 'currency' | 'name'
> &
  Partial<Pick<LedgerEntry, 'decline' | 'scheduleId'>> & {
    /** Hold the payment `ready` this long before it settles (the slow-commit fault). */
    commitDelayMs?: number
  }

export type CancelResult =
  | { ok: true; entry: LedgerEntry; cancelled: Cancellation }
  | {
      ok: false
      reason: 'not-found' | 'not-paid' | 'already-cancelled' | 'checksum-mismatch' | 'too-much'
      entry?: LedgerEntry
    }

/** What a chaos test checks: every order key, and the ones paid more than once. */
export interface LedgerAudit {
  payments: number
  paid: number
  /** `provider:orderId` of every order key with more than one paid payment: must be empty. */
  doubleCharges: string[]
}

export interface Ledger {
  /**
   * Records a charge attempt, or refuses it: an order key is unique among paid payments, and
   * one still in flight (`ready`) blocks another attempt too.
   */
  charge(input: ChargeInput): LedgerEntry | { refused: 'duplicate'; entry: LedgerEntry }
  /** Every attempt under an order key, oldest first. */
  byOrder(provider: ProviderName, orderId: string): readonly LedgerEntry[]
  byPaymentId(provider: ProviderName, paymentId: string): LedgerEntry | undefined
  statusOf(entry: LedgerEntry): LedgerStatus
  /** What can still be refunded: the paid amount less what was cancelled. */
  cancellable(entry: LedgerEntry): number
  /**
   * Refunds `amount` (default: all that is left). `checksum`, when given, must equal what is left
   * before this cancel (iamport's guard against a repeated cancel).
   */
  cancel(
    provider: ProviderName,
    paymentId: string,
    request: {
      amount?: number
      checksum?: number
      reason?: string | null
      cancelId?: string | null
    },
  ): CancelResult
  entries(): readonly LedgerEntry[]
  audit(): LedgerAudit
}

export function createLedger(now: () => number): Ledger {
  const all: LedgerEntry[] = []
  const orders = new Map<string, LedgerEntry[]>()
  const ids = new Map<string, LedgerEntry>()
  const key = (provider: ProviderName, id: string) => `${provider}:${id}`

  const statusOf = (entry: LedgerEntry): LedgerStatus => {
    if (now() < entry.settlesAt) return 'ready'
    if (entry.decline) return 'failed'
    const refunded = entry.cancellations.reduce((sum, c) => sum + c.amount, 0)
    return refunded === 0 ? 'paid' : refunded >= entry.amount ? 'cancelled' : 'partially_cancelled'
  }
  const cancellable = (entry: LedgerEntry) =>
    statusOf(entry) === 'failed' || statusOf(entry) === 'ready'
      ? 0
      : entry.amount - entry.cancellations.reduce((sum, c) => sum + c.amount, 0)
  // A cancelled payment was paid once: its order key stays used.
  const holdsOrder = (entry: LedgerEntry) => statusOf(entry) !== 'failed'

  return {
    charge(input) {
      const attempts = orders.get(key(input.provider, input.orderId)) ?? []
      const holder = attempts.find(holdsOrder)
      if (holder) return { refused: 'duplicate', entry: holder }
      const requestedAt = now()
      const entry: LedgerEntry = {
        provider: input.provider,
        paymentId: input.paymentId,
        orderId: input.orderId,
        billingKey: input.billingKey,
        amount: input.amount,
        currency: input.currency,
        name: input.name,
        requestedAt,
        settlesAt: requestedAt + (input.commitDelayMs ?? 0),
        decline: input.decline ?? null,
        cancellations: [],
        scheduleId: input.scheduleId ?? null,
      }
      all.push(entry)
      orders.set(key(input.provider, input.orderId), [...attempts, entry])
      ids.set(key(input.provider, input.paymentId), entry)
      return entry
    },
    byOrder: (provider, orderId) => orders.get(key(provider, orderId)) ?? [],
    byPaymentId: (provider, paymentId) => ids.get(key(provider, paymentId)),
    statusOf,
    cancellable,
    cancel(provider, paymentId, request) {
      const entry = ids.get(key(provider, paymentId))
      if (!entry) return { ok: false, reason: 'not-found' }
      const repeated =
        request.cancelId != null && entry.cancellations.find((c) => c.cancelId === request.cancelId)
      if (repeated) return { ok: true, entry, cancelled: repeated }
      const status = statusOf(entry)
      if (status === 'cancelled') return { ok: false, reason: 'already-cancelled', entry }
      if (status !== 'paid' && status !== 'partially_cancelled')
        return { ok: false, reason: 'not-paid', entry }
      const left = cancellable(entry)
      if (request.checksum !== undefined && request.checksum !== left)
        return { ok: false, reason: 'checksum-mismatch', entry }
      const amount = request.amount || left
      if (amount > left) return { ok: false, reason: 'too-much', entry }
      const cancelled: Cancellation = {
        amount,
        at: now(),
        reason: request.reason ?? null,
        cancelId: request.cancelId ?? null,
      }
      entry.cancellations.push(cancelled)
      return { ok: true, entry, cancelled }
    },
    entries: () => all,
    audit() {
      const paidByOrder = new Map<string, number>()
      for (const entry of all) {
        if (entry.decline || now() < entry.settlesAt) continue
        const order = key(entry.provider, entry.orderId)
        paidByOrder.set(order, (paidByOrder.get(order) ?? 0) + 1)
      }
      return {
        payments: all.length,
        paid: [...paidByOrder.values()].reduce((sum, n) => sum + n, 0),
        doubleCharges: [...paidByOrder].filter(([, n]) => n > 1).map(([order]) => order),
      }
    },
  }
}
