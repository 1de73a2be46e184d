/**
 * CSV as RFC 4180 writes it: comma-separated, fields optionally in double quotes, a quote inside
 * a quoted field doubled, CRLF or LF line ends (a quoted field may span lines).
 */

export interface CsvRecord {
  /** the line the record starts on, 1-based (a quoted field can make a record span lines) */
  line: number
  fields: string[]
  /** set when the record breaks the quoting rules; its fields are then a best guess */
  problem?: string
}

/** The file cannot be split into records: a quoted field is never closed. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message)
  }
}

/** Splits text (no BOM) into records; empty lines are left out. */
export function parseCsv(text: string): CsvRecord[] {
  const reader = csvReader()
  return [...reader.push(text), ...reader.end()]
}

export interface CsvReader {
  /** The records that `text` (the next piece of the file) completes. */
  push(text: string): CsvRecord[]
  /** The last record; throws CsvSyntaxError when a quoted field is still open. */
  end(): CsvRecord[]
}

/**
 * Reads CSV a piece at a time (a file stream's chunks), so a record may span pieces and only the
 * record being read is held.
 */
export function csvReader(): CsvReader {
  // field: at the start of a field; unquoted / quoted: inside one; quote: a quote seen inside a
  // quoted field (doubled, or the closing one); closed: after the closing quote.
  let state: 'field' | 'unquoted' | 'quoted' | 'quote' | 'closed' = 'field'
  let line = 1
  let start = 1
  let opened = 1
  let fields: string[] = []
  let field = ''
  let problem: string | undefined
  let started = false
  // a CR ended the last line: an LF right after it is part of the same line end
  let afterCr = false
  let records: CsvRecord[] = []

  const endRecord = () => {
    fields.push(field)
    if (fields.length > 1 || fields[0] !== '' || problem) {
      records.push(problem ? { line: start, fields, problem } : { line: start, fields })
    }
    fields = []
    field = ''
    problem = undefined
    started = false
    state = 'field'
  }
  // a comma or a line end outside quotes
  const separate = (c: string): boolean => {
    if (c === ',') {
      fields.push(field)
      field = ''
      state = 'field'
      return true
    }
    if (c === '\n' || c === '\r') {
      endRecord()
      line++
      afterCr = c === '\r'
      return true
    }
    return false
  }

  return {
    push(text) {
      records = []
      for (const c of text) {
        const lf = c === '\n' && afterCr
        afterCr = false
        if (lf && state !== 'quoted') continue
        if (!started) {
          started = true
          start = line
        }
        if (state === 'quote') {
          if (c === '"') {
            field += '"'
            state = 'quoted'
            continue
          }
          state = 'closed'
        }
        if (state === 'quoted') {
          if (c === '"') {
            state = 'quote'
            continue
          }
          // CRLF inside a field is one line end: counted at the CR, skipped at the LF
          if (c === '\r' || (c === '\n' && !lf)) line++
          afterCr = c === '\r'
          field += c
        } else if (state === 'field' && c === '"') {
          opened = line
          state = 'quoted'
        } else if (!separate(c)) {
          if (state === 'closed') problem ??= 'text after the closing quote of a field'
          if (c === '"') problem ??= 'a quote inside an unquoted field (quote the whole field)'
          field += c
          state = 'unquoted'
        }
      }
      return records
    },
    end() {
      records = []
      if (state === 'quoted') {
        throw new CsvSyntaxError(`line ${opened}: a quoted field is never closed`, opened)
      }
      if (started) endRecord()
      return records
    },
  }
}

/**
 * One CSV line (CRLF-terminated, as RFC 4180 and spreadsheets expect). A field that begins with
 * `=`, `+`, `-`, `@`, a tab or a CR is written as `"'…"`, so a spreadsheet shows it, never runs it.
 */
export function csvLine(fields: readonly (string | number | null | undefined)[]): string {
  return `${fields.map((field) => csvField(field == null ? '' : String(field))).join(',')}\r\n`
}

function csvField(value: string): string {
  // A cell a spreadsheet would run as a formula (OWASP "CSV injection"): a leading ' makes it
  // text, and the quotes keep it one cell.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /^'|[",\r\n]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe
}
