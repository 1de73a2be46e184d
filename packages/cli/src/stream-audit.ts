import type { BillingKeys, ProviderAdapters } from '@billingkey/client'
import { notConfigured } from './connect'
import { InputError } from './errors'
import type { InputRow } from './input'
import type { Progress } from './progress'
import { type BillingKeyRef, refId } from './refs'
import { errorJson, keyJson } from './report'
import type { AuditState } from './state'
import { type InputItem, isRow, readRows } from './stream-input'
import type { AuditedRow, ReportRow } from './stream-report'

/** A window holds this many refs to look up per request slot (concurrency): 1,600 at 8. */
const WINDOW_PER_SLOT = 200
/** Duplicates within this many distinct refs of each other are looked up once. */
export const RECENT_LIMIT = 10_000

export interface AuditStreamOptions {
  file: string
  cwd: string
  keys: BillingKeys<ProviderAdapters>
  /** rows an earlier run settled are taken from here, and every newly audited row is added */
  state?: AuditState | undefined
  statePath?: string | undefined
  checkedAt: Date
  expiringWithinDays: number
  concurrency?: number | undefined
  signal?: AbortSignal | undefined
  /** every row of the input, in file order, as its result is known */
  onRow(row: ReportRow): Promise<void>
  /**
   * how many rows are audited so far (resumed ones included), and, from the lookups, each
   * provider client's rate and any 429 pause (also reported, `done` unchanged, as a pause starts)
   */
  onProgress(done: number, rateLimits?: Progress['rateLimits']): void
}

interface Slot {
  item: InputItem
  row?: ReportRow
  /** taken from the state file, so not added to it again */
  replayed?: boolean
}

/**
 * Audits the file a window at a time: reads rows until a window's worth of refs needs looking
 * up, looks them up with one `audit` call of the facade (which sends iamport uids in multi lookups
 * and keeps the concurrency), records them in the state, and hands every row on in file order.
 * Only one window and the recent results are held, however long the file.
 */
export async function auditStream(options: AuditStreamOptions): Promise<void> {
  const { keys, state } = options
  const windowSize = (options.concurrency ?? 8) * WINDOW_PER_SLOT
  const replay = state?.settled()
  let next = await replay?.next()
  const recent = new Map<string, AuditedRow>()
  let window: Slot[] = []
  let toLookUp = 0
  let done = 0

  const remember = (row: AuditedRow) => {
    const key = refKey(row.ref)
    recent.delete(key)
    recent.set(key, row)
    if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value as string)
  }

  const flush = async () => {
    // a window of rows already settled makes no request that the abort could stop
    options.signal?.throwIfAborted()
    const pending = window.filter((slot) => !slot.row)
    if (pending.length > 0) {
      const refs: BillingKeyRef[] = pending.map((slot) => (slot.item as InputRow).ref)
      const before = done
      const report = await keys.audit(refs, {
        now: options.checkedAt,
        expiringWithinDays: options.expiringWithinDays,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        onProgress: (progress) => options.onProgress(before + progress.done, progress.rateLimits),
      })
      const rows: AuditedRow[] = pending.map((slot, i) => ({
        line: slot.item.line,
        ref: refs[i] as BillingKeyRef,
        status: 'active',
      }))
      for (const entry of report.needsAction) {
        // The facade's message for a provider without an adapter speaks of createBillingKeys();
        // on the command line, the fix is an environment variable.
        const message = keys.providers.includes(entry.ref.provider)
          ? entry.message
          : notConfigured(entry.ref.provider)
        for (const index of entry.indexes) {
          Object.assign(rows[index] as AuditedRow, {
            status: entry.reason,
            message,
            ...(entry.key ? { key: keyJson(entry.key) } : {}),
            ...(entry.error ? { error: errorJson(entry.error) } : {}),
          })
        }
      }
      pending.forEach((slot, i) => {
        slot.row = rows[i] as AuditedRow
        remember(slot.row as AuditedRow)
      })
      done += pending.length
    }
    await state?.append(
      window
        .filter((slot) => !slot.replayed && slot.row?.status !== 'invalid')
        .map((slot) => slot.row as AuditedRow),
    )
    for (const slot of window) await options.onRow(slot.row as ReportRow)
    window = []
    toLookUp = 0
  }

  for await (const item of readRows(options.file, options.cwd)) {
    if (!isRow(item)) {
      window.push({ item, row: { line: item.line, status: 'invalid', message: item.message } })
    } else if (next && !next.done) {
      const settled = next.value
      if (settled.line !== item.line || refKey(settled.ref) !== refKey(item.ref)) {
        throw mismatch(options, item.line)
      }
      window.push({ item, row: settled, replayed: true })
      remember(settled)
      next = await replay?.next()
      options.onProgress(++done)
    } else {
      const known = recent.get(refKey(item.ref))
      if (known) {
        window.push({ item, row: { ...known, line: item.line, ref: item.ref } })
        options.onProgress(++done)
      } else {
        window.push({ item })
        toLookUp++
      }
    }
    if (toLookUp >= windowSize || window.length >= 4 * windowSize) await flush()
  }
  await flush()
  if (next && !next.done) throw mismatch(options, next.value.line)
}

function mismatch(options: AuditStreamOptions, line: number): InputError {
  return new InputError(
    `${options.statePath} does not match ${options.file} at line ${line}: the file changed since ` +
      'that audit; start a new state file',
  )
}

/** Equal for two refs to the same key. */
export function refKey(ref: BillingKeyRef): string {
  const { field, value } = refId(ref)
  return `${ref.provider}\u0000${field}\u0000${value}`
}
