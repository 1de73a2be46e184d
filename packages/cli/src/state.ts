import { type FileHandle, open, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { InputError, UsageError } from './errors'
import { describeFsError } from './input'
import { fileLines } from './stream-input'
import type { AuditedRow } from './stream-report'
import { printable } from './text'

/** The first line of a state file: which audit it belongs to. */
interface StateHeader {
  billingkeyAuditState: 1
  /** the input file, as an absolute path */
  input: string
  checkedAt: string
  expiringWithinDays: number
}

/**
 * The progress of one audit, kept in a file so an interrupted run can go on where it stopped:
 * a header line, then one JSON line per audited row, in file order, appended and flushed to disk
 * as each batch of lookups settles (the jsonl report's lines). A line cut short by a crash is
 * dropped on resume.
 */
export interface AuditState {
  readonly checkedAt: Date
  readonly expiringWithinDays: number
  /** how many rows earlier runs settled */
  readonly settledCount: number
  /** the rows earlier runs settled, in file order, read from the file as they are asked for */
  settled(): AsyncGenerator<AuditedRow>
  /** appends rows and flushes them to disk */
  append(rows: readonly AuditedRow[]): Promise<void>
  close(): Promise<void>
}

/**
 * Opens the state file `path`: a new (or empty) file starts a new audit of `input`; an existing
 * one must be the state of an audit of the same file, whose expiry instant and window are kept.
 */
export async function openState(
  path: string,
  cwd: string,
  options: { input: string; expiringWithinDays: number | undefined; now: Date },
): Promise<AuditState> {
  const file = resolve(cwd, path)
  const input = resolve(cwd, options.input)
  const size = await stat(file).then(
    (stats) => {
      if (stats.isDirectory()) throw new InputError(`cannot use ${path}: it is a directory`)
      return stats.size
    },
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return 0
      throw new InputError(`cannot read ${path}: ${describeFsError(error)}`)
    },
  )
  let header: StateHeader
  let settledCount = 0
  let complete = 0
  if (size === 0) {
    header = {
      billingkeyAuditState: 1,
      input,
      checkedAt: options.now.toISOString(),
      expiringWithinDays: options.expiringWithinDays ?? 30,
    }
  } else {
    const read = await readState(file, path)
    header = read.header
    settledCount = read.rows
    complete = read.bytes
    if (header.input !== input) {
      throw new InputError(
        `${path} is the state of an audit of ${printable(header.input)}, not of ${options.input}`,
      )
    }
    if (
      options.expiringWithinDays !== undefined &&
      options.expiringWithinDays !== header.expiringWithinDays
    ) {
      throw new UsageError(
        `${path} is an audit with --expiring-within ${header.expiringWithinDays}; resume it with the same, or start a new state file`,
      )
    }
  }

  let handle: FileHandle
  try {
    handle = await open(file, size === 0 ? 'w' : 'r+')
  } catch (error) {
    throw new InputError(`cannot write ${path}: ${describeFsError(error)}`)
  }
  let position = complete
  const write = async (text: string) => {
    const bytes = Buffer.from(text)
    await handle.write(bytes, 0, bytes.length, position)
    position += bytes.length
    await handle.datasync()
  }
  if (size === 0) await write(`${JSON.stringify(header)}\n`)
  // A crash can leave half a line at the end: it is cut off, and appending goes on after the
  // last whole line.
  else if (complete < size) await handle.truncate(complete)

  return {
    checkedAt: new Date(header.checkedAt),
    expiringWithinDays: header.expiringWithinDays,
    settledCount,
    async *settled() {
      if (settledCount === 0) return
      let index = -1
      for await (const line of fileLines(file)) {
        index++
        if (index === 0) continue
        if (index > settledCount) break
        yield JSON.parse(line) as AuditedRow
      }
    },
    async append(rows) {
      if (rows.length > 0) await write(rows.map((row) => `${JSON.stringify(row)}\n`).join(''))
    },
    close: () => handle.close(),
  }
}

/** The header, how many whole row lines follow it, and the bytes up to the last whole line. */
async function readState(
  file: string,
  path: string,
): Promise<{ header: StateHeader; rows: number; bytes: number }> {
  let header: StateHeader | undefined
  let rows = 0
  let bytes = 0
  let broken = false
  for await (const line of fileLines(file, true)) {
    // only the last line may be cut short; a bad line before it is not a crash's doing
    if (broken)
      throw new InputError(`${path} is not a billingkey audit state file (line ${rows + 2})`)
    const text = line.endsWith('\n') ? line.slice(0, -1) : undefined
    let value: unknown
    try {
      value = text === undefined ? undefined : JSON.parse(text)
    } catch {}
    if (value === undefined || typeof value !== 'object' || value === null) {
      broken = true
      continue
    }
    if (!header) {
      if ((value as Partial<StateHeader>).billingkeyAuditState !== 1) break
      header = value as StateHeader
    } else {
      rows++
    }
    bytes += Buffer.byteLength(line)
  }
  if (!header) throw new InputError(`${path} is not a billingkey audit state file`)
  return { header, rows, bytes }
}
