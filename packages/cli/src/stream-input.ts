import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'
import { InputError } from './errors'
import {
  checkNotUtf16,
  describeFsError,
  type InputIssue,
  type InputRow,
  inputFormat,
  noKeys,
  notUtf8,
  rowSplitter,
} from './input'

/** A row of the input file in file order: a key to audit, or a row that could not be read. */
export type InputItem = InputRow | InputIssue

export const isRow = (item: InputItem): item is InputRow => 'ref' in item

/**
 * The rows of a CSV or JSONL file, read from a file stream as they are asked for: only the row
 * being read is held, however long the file. Throws InputError for a file that cannot be split
 * into rows (unreadable, not UTF-8, a bad header, a quote never closed, no rows at all); that
 * may come after rows were yielded, so `scanInput` reads the file once before any lookup.
 */
export async function* readRows(path: string, cwd: string): AsyncGenerator<InputItem> {
  const format = inputFormat(path)
  const split = rowSplitter(format, path)
  let any = false
  for await (const text of decodedChunks(path, cwd)) {
    for (const item of split.push(text)) {
      any = true
      yield item
    }
  }
  for (const item of split.end()) {
    any = true
    yield item
  }
  if (!any) throw noKeys(path, format)
}

/**
 * Reads the whole file once, checking it can be split into rows, reporting each malformed row
 * to `onIssue`; resolves to how many rows can be audited.
 */
export async function scanInput(
  path: string,
  cwd: string,
  onIssue: (issue: InputIssue) => void,
  signal?: AbortSignal,
): Promise<number> {
  let rows = 0
  for await (const item of readRows(path, cwd)) {
    signal?.throwIfAborted()
    if (isRow(item)) rows++
    else onIssue(item)
  }
  return rows
}

/** The file's text in pieces; a UTF-8 byte order mark is dropped. */
async function* decodedChunks(path: string, cwd: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let first = true
  const decode = (bytes?: Buffer) => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode()
    } catch {
      throw notUtf8(path)
    }
  }
  const stream = createReadStream(resolve(cwd, path))
  const chunks = stream[Symbol.asyncIterator]()
  try {
    for (;;) {
      let next: IteratorResult<Buffer>
      try {
        next = await chunks.next()
      } catch (error) {
        throw new InputError(`cannot read ${path}: ${describeFsError(error)}`)
      }
      if (next.done) break
      if (first) checkNotUtf16(next.value, path)
      first = false
      yield decode(next.value)
    }
    yield decode()
  } finally {
    stream.destroy()
  }
}

/** The file's lines without their LF, or with it (`keepEnds`), so a last line cut short shows. */
export async function* fileLines(file: string, keepEnds = false): AsyncGenerator<string> {
  const stream = createReadStream(file, { encoding: 'utf8' })
  let buffer = ''
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      buffer += chunk
      let from = 0
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n', from)) {
        yield buffer.slice(from, keepEnds ? end + 1 : end)
        from = end + 1
      }
      buffer = buffer.slice(from)
    }
    if (buffer !== '') yield buffer
  } finally {
    stream.destroy()
  }
}
