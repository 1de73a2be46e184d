import { afterEach, describe, expect, it, vi } from 'vitest'
import { positive } from '../src/settings'

describe('positive', () => {
  afterEach(() => {
    vi.unstubAllEnvs()
  })

  it('takes the fallback when the variable is unset or empty', () => {
    vi.stubEnv('BILLINGKEY_BENCH_TEST', '')
    expect(positive('BILLINGKEY_BENCH_TEST', 30)).toBe(30)
    expect(positive('BILLINGKEY_BENCH_UNSET', 3)).toBe(3)
  })

  it('reads a positive number', () => {
    vi.stubEnv('BILLINGKEY_BENCH_TEST', '2.5')
    expect(positive('BILLINGKEY_BENCH_TEST', 30)).toBe(2.5)
  })

  it.each(['0', '-1', 'abc'])('refuses %j, naming the variable', (value) => {
    vi.stubEnv('BILLINGKEY_BENCH_TEST', value)
    expect(() => positive('BILLINGKEY_BENCH_TEST', 30)).toThrow(/BILLINGKEY_BENCH_TEST/)
  })
})
