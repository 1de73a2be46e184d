import { DATA_SET_SIZE } from '@billingkey/sandbox'
import { describe, expect, it } from 'vitest'
import { countsFor } from '../src/comparisons/audit'

const total = (counts: Record<string, number | undefined> = {}) =>
  Object.values(counts).reduce((sum: number, n) => sum + (n ?? 0), 0)

describe('countsFor', () => {
  it.each([100_000, 1_000_000, 10_001])(
    '%d rows: half iamport, half Bootpay, every known key and unknown ids for the rest',
    (rows) => {
      const counts = countsFor(rows)
      expect(total(counts.iamport)).toBe(Math.floor(rows / 2))
      expect(total(counts.bootpay)).toBe(rows - Math.floor(rows / 2))
      const iamport = counts.iamport ?? {}
      expect((iamport.active ?? 0) + (iamport.deleted ?? 0)).toBe(DATA_SET_SIZE.iamport)
    },
  )

  it('scales the known keys down below 10,000 rows, so unknown ids never go negative', () => {
    const counts = countsFor(3_000)
    expect(total(counts.iamport) + total(counts.bootpay)).toBe(3_000)
    expect(counts.iamport?.unknown).toBeGreaterThan(0)
    expect(counts.bootpay?.unknown).toBeGreaterThan(0)
  })
})
