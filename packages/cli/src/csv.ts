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

const isBreak = (c: string | undefined) => c === ',' || c === '\n' || c === '\r'

/** Splits text (no BOM) into records; empty lines are left out. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = []
  let i = 0
  let line = 1
  while (i < text.length) {
    const start = line
    const fields: string[] = []
    let problem: string | undefined
    for (;;) {
      let field = ''
      if (text[i] === '"') {
        const opened = line
        i++
        for (;;) {
          if (i >= text.length) {
            throw new CsvSyntaxError(`line ${opened}: a quoted field is never closed`, opened)
          }
          const c = text[i] as string
          if (c === '"' && text[i + 1] === '"') {
            field += '"'
            i += 2
          } else if (c === '"') {
            i++
            break
          } else {
            if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++
            field += c
            i++
          }
        }
        if (!isBreak(text[i]) && i < text.length)
          problem ??= 'text after the closing quote of a field'
      }
      while (i < text.length && !isBreak(text[i])) {
        if (text[i] === '"') problem ??= 'a quote inside an unquoted field (quote the whole field)'
        field += text[i]
        i++
      }
      fields.push(field)
      if (text[i] !== ',') break
      i++
    }
    // the record ends at a line break (CRLF, LF or a lone CR) or at the end of the text
    if (i < text.length) {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
    }
    if (fields.length > 1 || fields[0] !== '' || problem) {
      records.push(problem ? { line: start, fields, problem } : { line: start, fields })
    }
  }
  return records
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
