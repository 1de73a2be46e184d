import {
  type BillingKey,
  type BillingKeyError,
  BillingKeyExpiredError,
  type BillingKeyRef,
  type LookupResult,
  NotFoundError,
} from '@billingkey/core'
import { is } from './is'

/** Where one ref lands in an audit. Every ref lands in exactly one. */
export type AuditStatus = 'active' | 'expiring' | 'expired' | 'deleted' | 'notFound' | 'error'

/** Why a key needs action (the `AuditStatus`es other than `active`, in snake case for files). */
export type AuditReason = 'expiring' | 'expired' | 'deleted' | 'not_found' | 'error'

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
  /** The key, when the lookup succeeded (reason `expiring`, `expired` or `deleted`). */
  key?: K
  /** The error, when the lookup failed (reason `expired`, `not_found` or `error`). */
  error?: BillingKeyError
}

export interface AuditReport<K extends { ref: BillingKeyRef } = BillingKey> {
  /** The number of refs given (duplicates and invalid refs included). */
  total: number
  counts: AuditCounts
  /** Refs whose key can be charged now: `counts.active + counts.expiring`. */
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
  expired: 'expired',
  deleted: 'deleted',
  notFound: 'not_found',
  error: 'error',
}

const DAY_MS = 86_400_000

export function summarise(
  settled: readonly Settled[],
  total: number,
  checkedAt: Date,
  expiringWithinDays: number,
): AuditReport {
  const counts: AuditCounts = {
    active: 0,
    expiring: 0,
    expired: 0,
    deleted: 0,
    notFound: 0,
    error: 0,
  }
  const needsAction: AuditEntry[] = []
  for (const { ref, indexes, result } of settled) {
    const { status, message } = classify(result, checkedAt, expiringWithinDays * DAY_MS)
    counts[status] += indexes.length
    if (status === 'active') continue
    needsAction.push({
      ref: ref as BillingKey['ref'],
      indexes,
      reason: reasons[status],
      message,
      ...(result.ok ? { key: result.key } : { error: result.error }),
    })
  }
  return {
    total,
    counts,
    chargeable: counts.active + counts.expiring,
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
