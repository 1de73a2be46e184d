import type { Io, Output } from './io'

/**
 * Colour only on a terminal, never when NO_COLOR is set to anything (https://no-color.org) or
 * TERM is dumb.
 */
export function colorEnabled(output: Output, env: Io['env']): boolean {
  return output.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
}

const CODES = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39] }
export type Style = keyof typeof CODES
export type Paint = (style: Style, text: string) => string

export function painter(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text
  return (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m`
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g

/**
 * Makes text from a file or a provider safe to print on a terminal: control characters (escape
 * sequences, carriage returns, newlines), bidirectional controls (U+202E would show an id, and
 * the rest of its line, reversed) and line separators are shown as \u escapes instead.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

// Hangul, CJK and full-width forms take two terminal cells.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g
// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR sequences added by painter()
const SGR = /\u001b\[\d+m/g

export function displayWidth(text: string): number {
  const plain = text.replace(SGR, '')
  return plain.length + (plain.match(WIDE)?.length ?? 0)
}

export interface Column {
  header: string
  align?: 'left' | 'right'
}

/**
 * A plain-text table: a header, a rule and one line per row, with no trailing spaces.
 */
export function table(columns: Column[], rows: string[][], paint: Paint): string {
  const widths = columns.map((column, i) =>
    Math.max(displayWidth(column.header), ...rows.map((row) => displayWidth(row[i] ?? ''))),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => {
        const padding = ' '.repeat((widths[i] ?? 0) - displayWidth(cell))
        return columns[i]?.align === 'right' ? padding + cell : cell + padding
      })
      .join('  ')
      .trimEnd()
  return [
    paint('bold', line(columns.map((column) => column.header))),
    paint('dim', widths.map((width) => '─'.repeat(width)).join('  ')),
    ...rows.map(line),
  ]
    .map((text) => `${text}\n`)
    .join('')
}

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`
}
