import { DATA_SET_SIZE } from '@billingkey/sandbox'
import { describe, expect, it } from 'vitest'
import { countsFor } from '../src/comparisons/audit'

const total = (counts: Record<string, number | undefined> = {}) =>
  Object.values(counts).reduce((sum: number, n) => sum + (n ?? 0), 0)

describe('countsFor', () => {
  it.each([100_000, 1_000_000, 10_001])(
    '%d rows: a third each iamport, Bootpay and PortOne V2, every known key and unknown ids for the rest',
    (rows) => {
      const counts = countsFor(rows)
      const third = Math.floor(rows / 3)
      expect(total(counts.iamport)).toBe(third)
      expect(total(counts.bootpay)).toBe(third)
      expect(total(counts.portone)).toBe(rows - 2 * third)
      const iamport = counts.iamport ?? {}
      expect((iamport.active ?? 0) + (iamport.deleted ?? 0)).toBe(DATA_SET_SIZE.iamport)
      const portone = counts.portone ?? {}
      expect((portone.active ?? 0) + (portone.deleted ?? 0)).toBe(DATA_SET_SIZE.portone)
    },
  )

  it('scales the known keys down below 10,000 rows, so unknown ids never go negative', () => {
    const counts = countsFor(3_000)
    expect(total(counts.iamport) + total(counts.bootpay) + total(counts.portone)).toBe(3_000)
    expect(counts.iamport?.unknown).toBeGreaterThan(0)
    expect(counts.bootpay?.unknown).toBeGreaterThan(0)
    expect(counts.portone?.unknown).toBeGreaterThan(0)
  })
})
