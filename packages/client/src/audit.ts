import {
  type BillingKey,
  type BillingKeyError,
  BillingKeyExpiredError,
  type BillingKeyRef,
  type LookupResult,
  mapWithConcurrency,
  NotFoundError,
  toBillingKeyError,
} from '@billingkey/core'
import { is } from './is'
import type { Configured } from './schedule'
import type { AuditOptions } from './types'

/**
 * Where one ref lands in an audit. Every ref lands in exactly one. `expiresBeforeCharge`: a
 * chargeable key that expires before a charge scheduled with it (found where the provider both
 * reports an expiry and lists schedules).
 */
export type AuditStatus =
  | 'active'
  | 'expiring'
  | 'expiresBeforeCharge'
  | 'expired'
  | 'deleted'
  | 'notFound'
  | 'error'

/** Why a key needs action (the `AuditStatus`es other than `active`, in snake case for files). */
export type AuditReason =
  | 'expiring'
  | 'expires_before_charge'
  | 'expired'
  | 'deleted'
  | 'not_found'
  | 'error'

/** How many refs landed in each status; the counts sum to `AuditReport.total`. */
export type AuditCounts = Record<AuditStatus, number>

/** One key that needs action. Duplicate refs share one entry, with every position in `indexes`. */
export interface AuditEntry<K extends { ref: BillingKeyRef } = BillingKey> {
  /** The ref as given, at the first of `indexes`. */
  ref: K['ref']
  /** The positions of this ref in the input, ascending. */
  indexes: number[]
  reason: AuditReason
  /** A one-line, human-readable explanation; never contains a secret. */
  message: string
  /**
   * The key, when the lookup succeeded (reason `expiring`, `expires_before_charge`, `expired`,
   * `deleted`, or `error` when only its schedules could not be listed).
   */
  key?: K
  /** The error, when the lookup (or the schedule lookup) failed (reason `expired`, `not_found` or `error`). */
  error?: BillingKeyError
  /** When the charge scheduled after the key's expiry is due (reason `expires_before_charge`). */
  scheduledAt?: Date
}

export interface AuditReport<K extends { ref: BillingKeyRef } = BillingKey> {
  /** The number of refs given (duplicates and invalid refs included). */
  total: number
  counts: AuditCounts
  /** Refs whose key can be charged now: `active + expiring + expiresBeforeCharge`. */
  chargeable: number
  /** Every key that is not `active`, ordered by first position in the input. */
  needsAction: AuditEntry<K>[]
  /** The instant expiry was judged against (`options.now`, or when the audit started). */
  checkedAt: Date
  expiringWithinDays: number
}

/** A settled lookup and every input position that asked for it. */
export interface Settled {
  ref: unknown
  indexes: number[]
  result: LookupResult
}

const reasons: Record<Exclude<AuditStatus, 'active'>, AuditReason> = {
  expiring: 'expiring',
  expiresBeforeCharge: 'expires_before_charge',
  expired: 'expired',
  deleted: 'deleted',
  notFound: 'not_found',
  error: 'error',
}

const DAY_MS = 86_400_000

/** A key's first pending charge scheduled after its expiry, or why it could not be listed. */
export type Due = Map<Settled, Date | BillingKeyError>

/**
 * For each chargeable key with a known expiry whose adapter lists schedules, one request: the
 * first pending charge scheduled at or after that expiry. No request for any other key. Only
 * the caller's abort rejects; any other failure is that key's.
 */
export async function scheduledAfterExpiry(
  configured: Configured,
  settled: readonly Settled[],
  now: Date,
  { signal, concurrency = 8 }: AuditOptions,
): Promise<Due> {
  const due: Due = new Map()
  const asks = settled.flatMap((entry) => {
    const { result } = entry
    if (!result.ok || result.key.status !== 'active') return []
    const { expiresAt, ref } = result.key
    const adapter = configured[ref.provider]
    if (!expiresAt || expiresAt <= now || !adapter?.scheduledChargeAfter) return []
    return [{ entry, ref, expiresAt, find: adapter.scheduledChargeAfter.bind(adapter) }]
  })
  await mapWithConcurrency(
    asks,
    concurrency,
    async ({ entry, ref, expiresAt, find }) => {
      try {
        const at = await find(ref as never, expiresAt, { signal })
        if (at) due.set(entry, at)
      } catch (error) {
        if (signal?.aborted) throw error
        const operation = 'scheduledChargeAfter'
        due.set(entry, toBillingKeyError(error, { provider: ref.provider, operation }))
      }
    },
    signal,
  )
  return due
}

export function summarise(
  settled: readonly Settled[],
  total: number,
  checkedAt: Date,
  expiringWithinDays: number,
  due: Due = new Map(),
): AuditReport {
  const counts: AuditCounts = {
    active: 0,
    expiring: 0,
    expiresBeforeCharge: 0,
    expired: 0,
    deleted: 0,
    notFound: 0,
    error: 0,
  }
  const needsAction: AuditEntry[] = []
  for (const entry of settled) {
    const { ref, indexes, result } = entry
    let { status, message } = classify(result, checkedAt, expiringWithinDays * DAY_MS)
    const scheduled = due.get(entry)
    let error = result.ok ? undefined : result.error
    if (result.ok && scheduled instanceof Date) {
      status = 'expiresBeforeCharge'
      message = `the key expires on ${day(result.key.expiresAt as Date)}, before the charge scheduled for ${day(scheduled)}`
    } else if (result.ok && scheduled) {
      status = 'error'
      error = scheduled as BillingKeyError
      message = `the key can be charged, but its schedules could not be listed: ${error.name}: ${error.message}`
    }
    counts[status] += indexes.length
    if (status === 'active') continue
    needsAction.push({
      ref: ref as BillingKey['ref'],
      indexes,
      reason: reasons[status],
      message,
      ...(result.ok ? { key: result.key } : {}),
      ...(error ? { error } : {}),
      ...(scheduled instanceof Date ? { scheduledAt: scheduled } : {}),
    })
  }
  return {
    total,
    counts,
    chargeable: counts.active + counts.expiring + counts.expiresBeforeCharge,
    needsAction,
    checkedAt,
    expiringWithinDays,
  }
}

/**
 * A key the provider calls active is judged by its `expiresAt` too: past it, the key is expired;
 * within the window, it is expiring (still chargeable, but it needs renewing before it lapses).
 * A `BillingKeyExpiredError` counts as expired: the provider does not say whether the key was
 * deleted or ran out (Bootpay's SUBSCRIBE_BK_EXPIRED covers both), and both need the same action,
 * a new key from the customer.
 */
function classify(
  result: LookupResult,
  now: Date,
  windowMs: number,
): { status: AuditStatus; message: string } {
  if (!result.ok) {
    const { error } = result
    if (is(error, BillingKeyExpiredError)) {
      return { status: 'expired', message: `deleted or expired at the provider: ${error.message}` }
    }
    if (is(error, NotFoundError)) return { status: 'notFound', message: error.message }
    return { status: 'error', message: `${error.name}: ${error.message}` }
  }
  const { status, expiresAt } = result.key
  if (status === 'deleted') return { status, message: 'the key was deleted' }
  if (status === 'expired') {
    return {
      status,
      message: expiresAt ? `the key expired on ${day(expiresAt)}` : 'the key has expired',
    }
  }
  const left = expiresAt ? expiresAt.getTime() - now.getTime() : Number.POSITIVE_INFINITY
  if (expiresAt && left <= 0) {
    return { status: 'expired', message: `the key expired on ${day(expiresAt)}` }
  }
  if (expiresAt && left <= windowMs) {
    const days = Math.ceil(left / DAY_MS)
    return {
      status: 'expiring',
      message: `the key expires on ${day(expiresAt)}, in ${days} day${days === 1 ? '' : 's'}`,
    }
  }
  return { status: 'active', message: 'the key can be charged' }
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10)
}
