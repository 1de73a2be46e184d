/** The middle and the spread of a set of samples. */
export interface Summary {
  n: number
  median: number
  /** The middle half of the samples lies within p25–p75. */
  p25: number
  p75: number
  min: number
  max: number
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of ascending samples, interpolated linearly between the two nearest
 * ranks (R's type 7, as numpy and most spreadsheets compute it).
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no samples')
  const at = (sorted.length - 1) * q
  const below = Math.floor(at)
  const low = sorted[below] as number
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number
  return low + (high - low) * (at - below)
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] as number,
    max: sorted.at(-1) as number,
  }
}

/** The same summary in another unit: every statistic times `factor`. */
export const scale = (s: Summary, factor: number): Summary => ({
  n: s.n,
  median: s.median * factor,
  p25: s.p25 * factor,
  p75: s.p75 * factor,
  min: s.min * factor,
  max: s.max * factor,
})
