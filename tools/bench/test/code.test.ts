import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { codeLines, portoneVerdict, providerLines } from '../src/comparisons/code'

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

describe('providerLines', () => {
  it('counts payments.ts apart from the rest of a provider package, at a commit', () => {
    const portone = providerLines('portone', 'HEAD')
    expect(portone?.keys).toBeGreaterThan(100)
    expect(portone?.payments).toBeGreaterThan(100)
    // A package that does not exist at a commit has no count.
    expect(providerLines('no-such-provider', 'HEAD')).toBeUndefined()
  })

  it('counts iamport’s payment webhook with its payments', () => {
    const show = (file: string) =>
      execFileSync('git', ['show', `HEAD:packages/iamport/src/${file}`], { encoding: 'utf8' })
    const webhook = codeLines(show('webhook.ts'))
    expect(webhook).toBeGreaterThan(10)
    expect(providerLines('iamport', 'HEAD')?.payments).toBe(
      codeLines(show('payments.ts')) + webhook,
    )
  })
})

describe('portoneVerdict', () => {
  it('compares PortOne’s billing keys and wiring with iamport before the kit, and names the total', () => {
    const met = portoneVerdict({ keys: 445, payments: 0 }, { keys: 300, payments: 280 })
    expect(met).toContain('300 lines against iamport’s 445')
    expect(met).toContain('33 % fewer, **met**')
    expect(met).toContain('580 lines in all')
    expect(portoneVerdict({ keys: 445, payments: 0 }, { keys: 400, payments: 0 })).toContain(
      '**not met**',
    )
    expect(portoneVerdict(undefined, { keys: 1, payments: 1 })).toMatch(/^Not measured/)
  })
})
