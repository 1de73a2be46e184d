import { describe, expect, it } from 'vitest'
import { quantile, scale, summarize } from '../src/stats'

describe('quantile', () => {
  it.each([
    [0, 1],
    [0.25, 1.75],
    [0.5, 2.5],
    [0.75, 3.25],
    [1, 4],
  ])('interpolates between ranks: q=%d of 1..4 is %d', (q, expected) => {
    expect(quantile([1, 2, 3, 4], q)).toBe(expected)
  })

  it('is the sample itself for one sample', () => {
    expect(quantile([7], 0.99)).toBe(7)
  })

  it('refuses no samples', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError)
  })
})

describe('summarize', () => {
  it('sorts a copy and reports median, quartiles and range', () => {
    const samples = [9, 1, 5, 3, 7]
    expect(summarize(samples)).toEqual({ n: 5, median: 5, p25: 3, p75: 7, min: 1, max: 9 })
    expect(samples).toEqual([9, 1, 5, 3, 7])
  })

  it('takes the mean of the middle two for an even count', () => {
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5)
  })
})

describe('scale', () => {
  it('converts every statistic and keeps the count', () => {
    expect(scale(summarize([1000, 2000, 3000]), 1e-3)).toEqual({
      n: 3,
      median: 2,
      p25: 1.5,
      p75: 2.5,
      min: 1,
      max: 3,
    })
  })
})
