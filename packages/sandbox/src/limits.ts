import type { Random } from './random'

/**
 * A provider's request budget: a token bucket of `burst` requests (default: one second's worth)
 * that refills at `requestsPerSecond`. `take` answers 0 when a request may go through, else the
 * whole seconds to wait, for a 429's Retry-After.
 */
export function createTokenBucket(requestsPerSecond: number, burst = requestsPerSecond) {
  if (!(requestsPerSecond > 0 && Number.isFinite(requestsPerSecond)) || !(burst >= 1)) {
    throw new RangeError(
      'a rate limit needs a positive requestsPerSecond and a burst of at least 1',
    )
  }
  let tokens = burst
  let last = Number.NEGATIVE_INFINITY
  return {
    take(now: number): number {
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * requestsPerSecond)
      last = now
      if (tokens >= 1) {
        tokens -= 1
        return 0
      }
      return Math.max(1, Math.ceil((1 - tokens) / requestsPerSecond))
    },
  }
}

export interface LatencyOptions {
  /** Half of the answers come faster than this. */
  medianMs: number
  /** 95 % come faster than this; default 3 × the median (a long right tail, as real APIs have). */
  p95Ms?: number
}

/**
 * A latency per request drawn from a log-normal distribution with the given median and 95th
 * percentile, from the seeded stream `random`.
 */
export function createLatency({ medianMs, p95Ms = medianMs * 3 }: LatencyOptions, random: Random) {
  if (!(medianMs >= 0 && Number.isFinite(medianMs)) || !(p95Ms >= medianMs)) {
    throw new RangeError('latency needs medianMs ≥ 0 and p95Ms ≥ medianMs')
  }
  const sigma = medianMs > 0 ? Math.log(p95Ms / medianMs) / 1.6448536 : 0
  return (): number => {
    if (medianMs === 0) return 0
    // Box–Muller: a standard normal draw from two uniform ones.
    const u = 1 - random()
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
    return Math.round(medianMs * Math.exp(sigma * normal))
  }
}
