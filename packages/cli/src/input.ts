import { extname } from 'node:path'
import { type CsvRecord, CsvSyntaxError, csvReader } from './csv'
import { InputError, UsageError } from './errors'
import { type BillingKeyRef, ID_FIELDS, type IdField, isProvider, PROVIDER_LIST } from './refs'
import { printable } from './text'

/** A key to audit and the line of the input file it came from. */
export interface InputRow {
  line: number
  ref: BillingKeyRef
}

/** A row that could not be read: reported with its line, and left out of the audit. */
export interface InputIssue {
  line: number
  message: string
}

export interface Input {
  rows: InputRow[]
  issues: InputIssue[]
}

export type InputFormat = 'csv' | 'jsonl'

type Field = 'provider' | IdField

// Header names and JSON keys compare without case, '_', '-' or spaces: customer_uid, customerUid
// and "Customer UID" are one column.
const FIELDS: Record<string, Field> = {
  provider: 'provider',
  customeruid: 'customer_uid',
  receiptid: 'receipt_id',
  billingkey: 'billing_key',
}
const fieldOf = (name: string): Field | undefined =>
  FIELDS[
    name
      .trim()
      .toLowerCase()
      .replace(/[\s_-]/g, '')
  ]

export function inputFormat(path: string): InputFormat {
  const ext = extname(path).toLowerCase()
  if (ext === '.csv') return 'csv'
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl'
  throw new UsageError(`cannot tell the format of ${path}: name it *.csv or *.jsonl`)
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EISDIR') return 'it is a directory'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  return error instanceof Error ? error.message : String(error)
}

/** `bytes`: the first bytes of the file. */
export function checkNotUtf16(bytes: Uint8Array, path: string): void {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError(`${path} is UTF-16; save it as UTF-8`)
  }
}

export function notUtf8(path: string): InputError {
  return new InputError(
    `${path} is not UTF-8 (a spreadsheet's "CSV UTF-8" export is; ` +
      `for EUC-KR/CP949 files: iconv -f cp949 -t utf-8)`,
  )
}

/** Parses file text (BOM already removed); `name` is the file name used in messages. */
export function parseInput(text: string, format: InputFormat, name: string): Input {
  const split = rowSplitter(format, name)
  const input: Input = { rows: [], issues: [] }
  for (const item of [...split.push(text), ...split.end()]) {
    if ('ref' in item) input.rows.push(item)
    else input.issues.push(item)
  }
  if (input.rows.length === 0 && input.issues.length === 0) throw noKeys(name, format)
  return input
}

export function noKeys(name: string, format: InputFormat): InputError {
  return new InputError(`${name} has no keys: ${expected(format)}`)
}

/** Splits a file's text, given a piece at a time, into rows in file order. */
export interface RowSplitter {
  /** The rows that `text` (the next piece of the file) completes. */
  push(text: string): (InputRow | InputIssue)[]
  /** The rest; throws InputError for a file that cannot be split into rows. */
  end(): (InputRow | InputIssue)[]
}

export function rowSplitter(format: InputFormat, name: string): RowSplitter {
  return format === 'csv' ? csvSplitter(name) : jsonlSplitter()
}

export function expected(format: InputFormat): string {
  return format === 'csv'
    ? 'expected a header row "provider,customer_uid,receipt_id,billing_key" and a row per key'
    : 'expected one JSON object per line, like {"provider":"iamport","customer_uid":"…"}'
}

function csvSplitter(name: string): RowSplitter {
  const reader = csvReader()
  let columns: Columns | undefined
  const rows = (records: CsvRecord[]) => {
    const out: (InputRow | InputIssue)[] = []
    for (const record of records) {
      if (!columns) {
        columns = csvColumns(record, name)
        continue
      }
      const result = csvRow(record, columns)
      if (typeof result === 'string') out.push({ line: record.line, message: result })
      else if (result) out.push({ line: record.line, ref: result })
    }
    return out
  }
  return {
    push: (text) => rows(reader.push(text)),
    end() {
      let last: CsvRecord[]
      try {
        last = reader.end()
      } catch (error) {
        if (error instanceof CsvSyntaxError) throw new InputError(`${name}: ${error.message}`)
        throw error
      }
      const out = rows(last)
      if (!columns) throw new InputError(`${name} is empty: ${expected('csv')}`)
      return out
    },
  }
}

export type Columns = (Field | undefined)[]

/** The field each column of a CSV header holds; a header that cannot be used is an InputError. */
export function csvColumns(header: CsvRecord, name: string): Columns {
  const columns = header.fields.map(fieldOf)
  const problem =
    header.problem ??
    (!columns.includes('provider') ? 'has no provider column' : undefined) ??
    (!ID_FIELDS.some((field) => columns.includes(field))
      ? `has no id column (${ID_FIELDS.join(', ')})`
      : undefined) ??
    duplicate(columns)
  if (problem) {
    const found = header.fields.map((field) => printable(field)).join(',')
    throw new InputError(
      `${name}: the header (line ${header.line}: ${found}) ${problem}; ${expected('csv')}`,
    )
  }
  return columns
}

/** A CSV record → a ref, what is wrong with it, or undefined for a blank row (skipped). */
export function csvRow(record: CsvRecord, columns: Columns): BillingKeyRef | string | undefined {
  // A blank row is skipped; one that breaks the quoting rules is reported however blank.
  if (!record.problem && record.fields.every((field) => field.trim() === '')) return undefined
  const values: Partial<Record<Field, string>> = {}
  columns.forEach((column, i) => {
    if (column) values[column] = record.fields[i]
  })
  return (
    record.problem ??
    (record.fields.length !== columns.length
      ? `${record.fields.length} fields, but the header has ${columns.length}`
      : toRef(values))
  )
}

function duplicate(columns: (Field | undefined)[]): string | undefined {
  const seen = columns.find((column, i) => column && columns.indexOf(column) !== i)
  return seen && `names the ${seen} column twice`
}

/** JSONL lines end with LF, CRLF or a lone CR; a CR at the end of a piece waits for the next. */
function jsonlSplitter(): RowSplitter {
  let buffer = ''
  let line = 0
  const row = (source: string): (InputRow | InputIssue)[] => {
    line++
    const result = jsonlRow(source)
    if (typeof result === 'string') return [{ line, message: result }]
    return result ? [{ line, ref: result }] : []
  }
  const split = (final: boolean) => {
    const out: (InputRow | InputIssue)[] = []
    const ends = /\r\n|\n|\r/g
    let from = 0
    for (let match = ends.exec(buffer); match; match = ends.exec(buffer)) {
      if (!final && match[0] === '\r' && ends.lastIndex === buffer.length) break
      out.push(...row(buffer.slice(from, match.index)))
      from = ends.lastIndex
    }
    buffer = buffer.slice(from)
    if (final && buffer !== '') out.push(...row(buffer))
    return out
  }
  return {
    push(text) {
      buffer += text
      return split(false)
    },
    end: () => split(true),
  }
}

/** A JSONL line → a ref, what is wrong with it, or undefined for a blank line (skipped). */
export function jsonlRow(source: string): BillingKeyRef | string | undefined {
  return source.trim() === '' ? undefined : jsonToRef(source)
}

function jsonToRef(source: string): BillingKeyRef | string {
  let value: unknown
  try {
    value = JSON.parse(source)
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeOf(value)}`
  }
  const values: Partial<Record<Field, string>> = {}
  for (const [key, field] of Object.entries(value)) {
    const name = fieldOf(key)
    if (!name || field === null || field === undefined) continue
    if (typeof field !== 'string') return `${name} must be a string, got ${typeOf(field)}`
    if (values[name] !== undefined) return `${name} is given twice`
    values[name] = field
  }
  return toRef(values)
}

const typeOf = (value: unknown) => (value === null ? 'null' : `a ${typeof value}`)

const ALLOWED: Record<BillingKeyRef['provider'], IdField[]> = {
  iamport: ['customer_uid'],
  bootpay: ['receipt_id', 'billing_key'],
  portone: ['billing_key'],
}

// The longest id each client accepts (packages/iamport/src/input.ts `customerUid`, 80;
// packages/bootpay/src/input.ts `id`, 128; packages/portone/src/input.ts `id`, 200, as
// PortOne's spec sets no maximum; none exports it). A longer id is a malformed row (exit 2), not
// a lookup that fails with a ValidationError (an `error` row, exit 1).
const MAX_ID_LENGTH: Record<BillingKeyRef['provider'], number> = {
  iamport: 80,
  bootpay: 128,
  portone: 200,
}

/** A row's values → a ref, or what is wrong with them. */
export function toRef(values: Partial<Record<Field, string>>): BillingKeyRef | string {
  const provider = values.provider?.trim().toLowerCase()
  if (!provider) return 'provider is empty'
  if (!isProvider(provider)) {
    return `unknown provider "${printable(values.provider ?? '')}" (expected ${PROVIDER_LIST})`
  }
  const allowed = ALLOWED[provider]
  const given = ID_FIELDS.filter((field) => values[field]?.trim())
  const foreign = given.filter((field) => !allowed.includes(field))
  if (foreign.length > 0) {
    return `${foreign.join(' and ')} is not used for ${provider}; ${provider} keys are identified by ${allowed.join(' or ')}`
  }
  if (given.length === 0) return `${provider} needs a ${allowed.join(' or a ')}`
  if (given.length > 1) return `give either ${given.join(' or ')}, not both`
  const field = given[0] as IdField
  const id = values[field] as string
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) return `${field} contains a control character`
  if (id.trim() !== id) return `${field} "${printable(id)}" has leading or trailing spaces`
  // What the clients refuse too: a lone surrogate (JSONL "\ud800") and a "." or ".." path segment.
  if (/\p{Cs}/u.test(id)) return `${field} is not well-formed Unicode (a lone surrogate)`
  if (/(^|\/)\.\.?(\/|$)/.test(id)) return `${field} must not contain "." or ".." path segments`
  if (id.length > MAX_ID_LENGTH[provider]) {
    return `${field} is ${id.length} characters long; ${provider} allows at most ${MAX_ID_LENGTH[provider]}`
  }
  if (field === 'customer_uid') return { provider: 'iamport', customerUid: id }
  if (field === 'receipt_id') return { provider: 'bootpay', receiptId: id }
  return provider === 'portone'
    ? { provider: 'portone', billingKey: id }
    : { provider: 'bootpay', billingKey: id }
}
