import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AuditCounts, AuditReason, AuditStatus } from '@billingkey/client'
import { refusedCredentials } from './connect'
import { csvLine } from './csv'
import type { InputIssue } from './input'
import type { Output } from './io'
import { type BillingKeyRef, type Failure, ID_FIELDS, type Provider, refId } from './refs'
import { type AuditOutcome, auditTable } from './report'
import { fileLines } from './stream-input'
import type { Paint } from './text'

/** One audited row of the input: the jsonl report's line and the state file's. */
export interface AuditedRow {
  line: number
  ref: BillingKeyRef
  status: 'active' | AuditReason
  /** why it needs action; absent when active */
  message?: string
  /** the key as `keyJson` gives it, when the lookup found it and it needs action */
  key?: Record<string, unknown>
  /** the error as `errorJson` gives it, when the lookup failed */
  error?: { name: string; message: string; status?: number; code?: unknown; requestId?: string }
}

/** A row that could not be read, in the jsonl and csv reports. */
export interface InvalidRow {
  line: number
  status: 'invalid'
  message: string
}

export type ReportRow = AuditedRow | InvalidRow

export type AuditFormat = 'table' | 'json' | 'csv' | 'jsonl'
export const AUDIT_FORMATS: readonly AuditFormat[] = ['table', 'json', 'csv', 'jsonl']

/** The table lists at most this many keys that need action and malformed rows (each). */
export const TABLE_LIMIT = 1000

export interface Sink {
  write(text: string): Promise<void>
  close(): Promise<void>
}

interface Writable {
  write(chunk: string): unknown
  once?(event: string, listener: () => void): unknown
  off?(event: string, listener: () => void): unknown
  destroyed?: boolean
}

const WAKE_EVENTS = ['drain', 'close', 'error']

/** Writes respecting backpressure: a full buffer waits for `drain` (or for the stream to end). */
async function writeTo(output: Writable, text: string): Promise<void> {
  if (output.write(text) !== false || !output.once || output.destroyed) return
  await new Promise<void>((resolve) => {
    const wake = () => {
      for (const event of WAKE_EVENTS) output.off?.(event, wake)
      resolve()
    }
    for (const event of WAKE_EVENTS) output.once?.(event, wake)
  })
}

export function outputSink(output: Output): Sink {
  return { write: (text) => writeTo(output, text), close: async () => {} }
}

export function fileSink(path: string): Sink {
  const stream = createWriteStream(path)
  let failed: Error | undefined
  stream.on('error', (error) => {
    failed = error
  })
  return {
    async write(text) {
      if (failed) throw failed
      await writeTo(stream, text)
    },
    close: () =>
      new Promise((resolve, reject) => {
        if (failed) return reject(failed)
        stream.end(() => (failed ? reject(failed) : resolve()))
      }),
  }
}

export interface ReportWriter {
  /** Adds the next row of the input, in file order. */
  add(row: ReportRow): Promise<void>
  /** Writes what is left of the report; resolves to what decides the exit code. */
  finish(): Promise<{ needsAction: number; issues: number; refused: string[] }>
  /** Drops the spool and closes the sink of a report that will not be finished. */
  discard(): Promise<void>
}

const COUNT_OF: Record<AuditedRow['status'], AuditStatus> = {
  active: 'active',
  expiring: 'expiring',
  expires_before_charge: 'expiresBeforeCharge',
  expired: 'expired',
  deleted: 'deleted',
  not_found: 'notFound',
  error: 'error',
}

/**
 * Writes an audit report as its rows come, holding only what the summary needs. `csv` and
 * `jsonl` write each row at once. `json` keeps the counts and spools the keys that need action
 * and the malformed rows to a temporary file, written out after the counts at the end. `table`
 * keeps the counts and the first TABLE_LIMIT keys that need action and malformed rows.
 */
export function reportWriter(options: {
  format: AuditFormat
  sink: Sink
  file: string
  checkedAt: Date
  expiringWithinDays: number
  paint: Paint
}): ReportWriter {
  const { format, sink } = options
  const counts: AuditCounts = {
    active: 0,
    expiring: 0,
    expiresBeforeCharge: 0,
    expired: 0,
    deleted: 0,
    notFound: 0,
    error: 0,
  }
  let needsAction = 0
  let issues = 0
  const refused = new Set<Provider>()
  const listed: { needsAction: AuditedRow[]; issues: InputIssue[] } = {
    needsAction: [],
    issues: [],
  }
  let spool: { dir: string; path: string; sink: Sink } | undefined
  let started = false

  const total = () => Object.values(counts).reduce((sum, count) => sum + count, 0)
  const spoolSink = async () => {
    if (!spool) {
      const dir = await mkdtemp(join(tmpdir(), 'billingkey-audit-'))
      const path = join(dir, 'spool.jsonl')
      spool = { dir, path, sink: fileSink(path) }
    }
    return spool.sink
  }

  return {
    async add(row) {
      if (row.status === 'invalid') issues++
      else {
        counts[COUNT_OF[row.status]]++
        if (row.status !== 'active') needsAction++
        if (row.error?.name === 'AuthenticationError') refused.add(row.ref.provider)
      }
      if (format === 'jsonl') return sink.write(`${JSON.stringify(row)}\n`)
      if (format === 'csv') {
        const header = started
          ? ''
          : csvLine(['line', 'provider', ...ID_FIELDS, 'status', 'message'])
        started = true
        return sink.write(header + csvRow(row))
      }
      if (row.status === 'active') return
      if (format === 'json') return (await spoolSink()).write(`${JSON.stringify(row)}\n`)
      if (row.status === 'invalid') {
        if (listed.issues.length < TABLE_LIMIT) listed.issues.push(row)
      } else if (listed.needsAction.length < TABLE_LIMIT) listed.needsAction.push(row)
    },

    async finish() {
      if (format === 'csv' && !started) {
        await sink.write(csvLine(['line', 'provider', ...ID_FIELDS, 'status', 'message']))
      }
      if (format === 'json') await writeJson()
      if (format === 'table') await sink.write(tableText())
      await dropSpool()
      await sink.close()
      const failures = [...refused].map((provider) => ({ name: 'AuthenticationError', provider }))
      return { needsAction, issues, refused: refusedCredentials(failures as Failure[]) }
    },

    async discard() {
      await dropSpool()
      await sink.close().catch(() => {})
    },
  }

  async function dropSpool() {
    if (!spool) return
    await spool.sink.close().catch(() => {})
    await rm(spool.dir, { recursive: true, force: true })
    spool = undefined
  }

  async function writeJson() {
    const head = JSON.stringify(
      {
        file: options.file,
        checkedAt: options.checkedAt.toISOString(),
        expiringWithinDays: options.expiringWithinDays,
        total: total(),
        chargeable: counts.active + counts.expiring + counts.expiresBeforeCharge,
        counts,
      },
      null,
      2,
    )
    await sink.write(`${head.slice(0, -2)},\n  "needsAction": [`)
    if (spool) await spool.sink.close()
    // Each list is read back from the spool in file order, one line at a time.
    const list = async (pick: (row: ReportRow) => object | undefined) => {
      let first = true
      if (spool) {
        for await (const line of fileLines(spool.path)) {
          const value = pick(JSON.parse(line) as ReportRow)
          if (!value) continue
          await sink.write(`${first ? '' : ','}\n    ${JSON.stringify(value)}`)
          first = false
        }
      }
      return first ? ']' : '\n  ]'
    }
    await sink.write(
      await list((row) =>
        row.status === 'invalid'
          ? undefined
          : {
              lines: [row.line],
              ref: row.ref,
              reason: row.status,
              message: row.message,
              ...(row.key ? { key: row.key } : {}),
              ...(row.error ? { error: row.error } : {}),
            },
      ),
    )
    await sink.write(',\n  "invalidRows": [')
    await sink.write(
      await list((row) =>
        row.status === 'invalid' ? { line: row.line, message: row.message } : undefined,
      ),
    )
    await sink.write('\n}\n')
  }

  function tableText(): string {
    // The table over the rows kept; the rest are counted, not listed.
    const rows = listed.needsAction.map(({ line, ref }) => ({ line, ref }))
    const outcome: AuditOutcome = {
      file: options.file,
      report: {
        total: total(),
        counts,
        chargeable: counts.active + counts.expiring + counts.expiresBeforeCharge,
        needsAction: listed.needsAction.map((row, index) => ({
          ref: row.ref as never,
          indexes: [index],
          reason: row.status as AuditReason,
          message: row.message ?? '',
        })),
        checkedAt: options.checkedAt,
        expiringWithinDays: options.expiringWithinDays,
      },
      rows,
      issues: listed.issues,
      omitted: {
        needsAction: needsAction - listed.needsAction.length,
        issues: issues - listed.issues.length,
      },
    }
    return auditTable(outcome, options.paint)
  }
}

/** A row of the csv report: audited rows with their status, malformed ones as `invalid`. */
function csvRow(row: ReportRow): string {
  const ref = row.status === 'invalid' ? undefined : row.ref
  const id = ref && refId(ref)
  return csvLine([
    row.line,
    ref?.provider,
    ...ID_FIELDS.map((field) => (id?.field === field ? id.value : '')),
    row.status,
    row.message ?? '',
  ])
}
