import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { extname, resolve } from 'node:path'
import { CsvSyntaxError, csvReader } from './csv'
import { InputError } from './errors'
import { describeFsError, toRef } from './input'
import { type BillingKeyRef, ID_FIELDS, type IdField } from './refs'
import { refKey } from './stream-audit'
import { fileLines } from './stream-input'
import type { AuditedRow } from './stream-report'
import { type Paint, plural, printable, table } from './text'

type Status = AuditedRow['status']
const STATUSES: readonly string[] = [
  'active',
  'expiring',
  'expires_before_charge',
  'expired',
  'deleted',
  'not_found',
  'error',
]
const CHARGEABLE: readonly Status[] = ['active', 'expiring', 'expires_before_charge']

/** What can change between two audits, in the order they are printed. */
export type Change = 'expired' | 'deleted' | 'expiring' | 'failing' | 'recovered' | 'new' | 'gone'
const TITLES: Record<Change, string> = {
  expired: 'newly expired',
  deleted: 'newly deleted (or unknown to the provider)',
  expiring: 'newly expiring',
  failing: 'newly failing lookups',
  recovered: 'recovered (chargeable again)',
  new: 'new keys (not in the previous report)',
  gone: 'gone keys (in the previous report, not in this file)',
}

/** Each kind of change lists at most this many keys; the rest are counted. */
export const COMPARE_LIST_LIMIT = 100

/**
 * The status of every key in a previous report (`--compare`), and the changes as this run's
 * rows come. A json report lists only the keys that needed action, so against one a key it does
 * not list counts as active then (new keys cannot be told), and only keys it lists can be gone.
 * One entry per key of the previous report is held (and one per new key).
 */
export interface Comparison {
  see(row: AuditedRow): void
  /** The changes, as text for a terminal or a log. */
  summary(paint: Paint): string
}

export async function readPrevious(path: string, cwd: string): Promise<Comparison> {
  const file = resolve(cwd, path)
  const ext = extname(path).toLowerCase()
  const before = new Map<string, Status>()
  let complete = true
  try {
    if (ext === '.json') {
      complete = false
      readJson(await readFile(file, 'utf8'), before, path)
    } else if (ext === '.jsonl' || ext === '.ndjson') {
      for await (const line of fileLines(file)) {
        if (line.trim() === '') continue
        const row = JSON.parse(line) as Partial<AuditedRow>
        if (row.ref && STATUSES.includes(row.status as string)) {
          before.set(refKey(row.ref), row.status as Status)
        }
      }
    } else if (ext === '.csv') {
      await readCsv(file, before, path)
    } else {
      throw new InputError(
        `--compare ${path}: give a previous audit report (.json, .jsonl or .csv)`,
      )
    }
  } catch (error) {
    if (error instanceof InputError) throw error
    if (error instanceof SyntaxError) {
      throw new InputError(`--compare ${path} is not an audit report: ${error.message}`)
    }
    throw new InputError(`cannot read ${path}: ${describeFsError(error)}`)
  }
  return comparison(path, before, complete)
}

function readJson(text: string, before: Map<string, Status>, path: string): void {
  const report = JSON.parse(text) as { needsAction?: { ref?: BillingKeyRef; reason?: string }[] }
  if (!Array.isArray(report.needsAction)) {
    throw new InputError(`--compare ${path} is not an audit report: it has no needsAction list`)
  }
  for (const entry of report.needsAction) {
    if (entry.ref && STATUSES.includes(entry.reason as string)) {
      before.set(refKey(entry.ref), entry.reason as Status)
    }
  }
}

async function readCsv(file: string, before: Map<string, Status>, path: string): Promise<void> {
  const reader = csvReader()
  let columns: string[] | undefined
  const take = (records: ReturnType<typeof reader.push>) => {
    for (const { fields } of records) {
      if (!columns) {
        columns = fields
        if (!columns.includes('status') || !columns.includes('provider')) {
          throw new InputError(`--compare ${path} is not an audit report: it has no status column`)
        }
        continue
      }
      const value = (name: string) => fields[(columns as string[]).indexOf(name)]
      const status = value('status')
      if (!STATUSES.includes(status as string)) continue
      const ref = toRef({
        provider: value('provider') ?? '',
        ...Object.fromEntries(ID_FIELDS.map((field) => [field, value(field) ?? ''])),
      })
      if (typeof ref !== 'string') before.set(refKey(ref), status as Status)
    }
  }
  try {
    for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
      take(reader.push(chunk as string))
    }
    take(reader.end())
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new InputError(`--compare ${path}: ${error.message}`)
    throw error
  }
}

/** The change from `before` to `now`, if it is one worth reading about. */
function changeOf(before: Status, now: Status): Change | undefined {
  if (before === now) return undefined
  if (now === 'expired') return 'expired'
  if ((now === 'deleted' || now === 'not_found') && before !== 'error' && before !== 'deleted') {
    return before === 'not_found' ? undefined : 'deleted'
  }
  if (now === 'expiring' && before === 'active') return 'expiring'
  if (now === 'expires_before_charge' && (before === 'active' || before === 'expiring'))
    return 'expiring'
  if (now === 'error') return 'failing'
  if (CHARGEABLE.includes(now) && !CHARGEABLE.includes(before)) return 'recovered'
  return undefined
}

function comparison(path: string, before: Map<string, Status>, complete: boolean): Comparison {
  // A key this run has seen is marked in `before` (so what is left unmarked at the end is gone).
  const SEEN = '' as Status
  const changes = new Map<Change, { count: number; rows: string[][] }>()
  const add = (change: Change, cells: string[]) => {
    const entry = changes.get(change) ?? { count: 0, rows: [] }
    changes.set(change, entry)
    entry.count++
    if (entry.rows.length < COMPARE_LIST_LIMIT) entry.rows.push(cells)
  }
  const idCell = (provider: string, field: string, value: string) =>
    [provider, `${field}=${printable(value)}`] as const

  return {
    see(row) {
      const key = refKey(row.ref)
      const was = before.get(key)
      if (was === SEEN) return
      before.set(key, SEEN)
      const [provider, field, value] = key.split('\u0000') as [string, string, string]
      const cells = (from: string) => [
        String(row.line),
        ...idCell(provider, field, value),
        from,
        row.status,
      ]
      if (was === undefined) {
        if (complete) add('new', cells('-'))
        else if (row.status !== 'active') {
          const change = changeOf('active', row.status)
          if (change) add(change, cells('active'))
        }
        return
      }
      const change = changeOf(was, row.status)
      if (change) add(change, cells(was))
    },

    summary(paint) {
      for (const [key, was] of before) {
        if (was === SEEN) continue
        const [provider, field, value] = key.split('\u0000') as [string, IdField, string]
        add('gone', ['-', ...idCell(provider, field, value), was, '-'])
      }
      before.clear()
      const kinds = (Object.keys(TITLES) as Change[]).filter((kind) => changes.has(kind))
      if (kinds.length === 0) return `No changes since ${printable(path)}.\n`
      const counts = kinds.map((kind) => {
        const count = changes.get(kind)?.count ?? 0
        if (kind === 'new' || kind === 'gone') return plural(count, `${kind} key`)
        return `${count} ${TITLES[kind].split(' (')[0]}`
      })
      let text = `Changes since ${printable(path)}: ${counts.join(', ')}\n`
      for (const kind of kinds) {
        const { count, rows } = changes.get(kind) as { count: number; rows: string[][] }
        text +=
          `\n${paint('bold', `${TITLES[kind]}: ${plural(count, 'key')}`)}\n` +
          table(
            [
              { header: 'line', align: 'right' },
              { header: 'provider' },
              { header: 'id' },
              { header: 'before' },
              { header: 'now' },
            ],
            rows,
            paint,
          ) +
          (count > rows.length ? `… and ${count - rows.length} more\n` : '')
      }
      return text
    },
  }
}
