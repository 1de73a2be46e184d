import { describe, expect, it } from 'vitest'
import { codeLines } from '../src/comparisons/code'

describe('codeLines', () => {
  it('counts lines of code, not blank lines or comments', () => {
    const text = [
      "import { x } from 'y'",
      '',
      '// a comment',
      '/**',
      ' * a doc comment',
      ' */',
      'export const a = 1 // trailing comments count as code',
      '/* one-line block */',
      'export function f() {',
      '  return a',
      '}',
    ].join('\n')
    expect(codeLines(text)).toBe(5)
  })
})
