import { setTimeout as sleep } from 'node:timers/promises'
import type { Emulator, ProviderName, Reply } from './emulator'
import { deriveRandom, type Random } from './random'

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

/** A provider's request budget: `requestsPerSecond`, and `burst` requests back to back (default one second's worth). */
export interface ProviderLimit {
  requestsPerSecond: number
  burst?: number
}

/** What a sandbox emulates of a real provider's gateway: a request budget and a network's latency. */
export interface GatewayOptions {
  /** Per provider: over budget, a request is answered 429 with Retry-After. Default: no limit. */
  limits?: Partial<Record<ProviderName, ProviderLimit>>
  /** Every answer (429s included) is held this long, drawn per request from the seed. Default: none. */
  latency?: LatencyOptions
}

/**
 * The gateway in front of the emulators, made once per sandbox: `admit` takes a request from its
 * provider's budget, waits the drawn latency (cut short by `signal`), and resolves to the
 * provider's 429 when the budget is spent, or undefined to serve the request. The budget is
 * spent on real time, not the sandbox clock, since clients pace themselves on real time.
 */
export function createGateway(
  { limits = {}, latency }: GatewayOptions,
  seed: number,
  signal: AbortSignal,
) {
  const buckets = new Map(
    Object.entries(limits).map(([provider, limit]) => {
      const { requestsPerSecond, burst } = limit as ProviderLimit
      return [provider, createTokenBucket(requestsPerSecond, burst)]
    }),
  )
  const delay = latency && createLatency(latency, deriveRandom(seed, 'latency'))
  return async (provider: ProviderName, emulator: Emulator): Promise<Reply | undefined> => {
    const wait = buckets.get(provider)?.take(performance.now()) ?? 0
    const ms = delay?.() ?? 0
    if (ms > 0) await sleep(ms, undefined, { signal })
    if (wait === 0) return undefined
    const reply = emulator.failure(429, `Too Many Requests: over ${provider}'s rate limit`)
    return { ...reply, headers: { ...reply.headers, 'retry-after': String(wait) } }
  }
}
