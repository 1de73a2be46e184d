import { describe, expect, it } from 'vitest'
import { colorEnabled, displayWidth, painter, printable, table } from '../src/text'

describe('colorEnabled', () => {
  it('only on a terminal, and never with NO_COLOR set or TERM=dumb', () => {
    expect(colorEnabled({ write() {}, isTTY: true }, {})).toBe(true)
    expect(colorEnabled({ write() {}, isTTY: false }, {})).toBe(false)
    expect(colorEnabled({ write() {} }, {})).toBe(false)
    expect(colorEnabled({ write() {}, isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(colorEnabled({ write() {}, isTTY: true }, { TERM: 'dumb' })).toBe(false)
  })
})

describe('painter', () => {
  it('wraps text in SGR codes when enabled and leaves it alone when not', () => {
    expect(painter(true)('red', 'x')).toBe('\u001b[31mx\u001b[39m')
    expect(painter(false)('red', 'x')).toBe('x')
  })
})

describe('printable', () => {
  it('shows control characters as escapes so a terminal does not run them', () => {
    expect(printable('a\u001b[2Jb\r\nc\u009b')).toBe('a\\u001b[2Jb\\u000d\\u000ac\\u009b')
    expect(printable('신한카드 ok')).toBe('신한카드 ok')
  })

  it('shows bidirectional controls and line separators as escapes, so an id cannot reverse its line', () => {
    expect(printable('abc\u202Efdp.exe')).toBe('abc\\u202efdp.exe')
    for (const c of [
      '\u061c',
      '\u200e',
      '\u200f',
      '\u2028',
      '\u2029',
      '\u202a',
      '\u2066',
      '\u2069',
    ]) {
      expect(printable(`a${c}b`)).toBe(`a\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}b`)
    }
  })
})

describe('displayWidth', () => {
  it('counts Hangul and CJK as two cells and colour codes as none', () => {
    expect(displayWidth('abc')).toBe(3)
    expect(displayWidth('신한카드')).toBe(8)
    expect(displayWidth(painter(true)('bold', 'ab'))).toBe(2)
  })
})

describe('table', () => {
  it('aligns columns by display width and leaves the last one unpadded', () => {
    const text = table(
      [{ header: 'name' }, { header: 'n', align: 'right' }, { header: 'note' }],
      [
        ['신한', '5', 'x'],
        ['kb', '120', 'longer note'],
      ],
      painter(false),
    )
    expect(text).toBe(
      [
        'name    n  note',
        '────  ───  ───────────',
        '신한    5  x',
        'kb    120  longer note',
        '',
      ].join('\n'),
    )
  })
})
