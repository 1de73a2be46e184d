import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createRateLimiter } from '../src'

/** Starts `count` takes at once and records, on the fake clock, when each one was let through. */
function startTakes(limiter: ReturnType<typeof createRateLimiter>, count: number) {
  const started: number[] = []
  const t0 = Date.now()
  const done = Promise.all(
    Array.from({ length: count }, () => limiter.take().then(() => started.push(Date.now() - t0))),
  )
  return { started, done }
}

describe('createRateLimiter', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))
  afterEach(() => vi.useRealTimers())

  it('spaces requests evenly at the rate, first come first served', async () => {
    const { started, done } = startTakes(createRateLimiter({ requestsPerSecond: 10 }), 5)
    await vi.runAllTimersAsync()
    await done
    expect(started).toEqual([0, 100, 200, 300, 400])
  })

  it('lets a burst through at once after an idle spell, then keeps the rate', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 10, burst: 3 })
    const { started, done } = startTakes(limiter, 5)
    await vi.runAllTimersAsync()
    await done
    expect(started).toEqual([0, 0, 0, 100, 200])
  })

  it('does not bank unused time beyond the burst', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 10 })
    await limiter.take()
    await vi.advanceTimersByTimeAsync(10_000)
    const { started, done } = startTakes(limiter, 3)
    await vi.runAllTimersAsync()
    await done
    expect(started).toEqual([0, 100, 200])
  })

  it('a pause holds every waiting and later request until it ends', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 10 })
    const { started, done } = startTakes(limiter, 3)
    await vi.advanceTimersByTimeAsync(0) // the first goes at once
    limiter.pause(2_000)
    expect(limiter.pausedForMs()).toBe(2_000)
    await vi.runAllTimersAsync()
    await done
    expect(started).toEqual([0, 2_000, 2_100])
    expect(limiter.pausedForMs()).toBe(0)
  })

  it('reports its state, and tells listeners of each pause that starts or grows', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 10 })
    const seen: unknown[] = []
    const stop = limiter.onPause((state) => seen.push(state))
    limiter.onPause(() => {
      throw new Error('a broken listener is ignored')
    })
    const { done } = startTakes(limiter, 2)
    await vi.runAllTimersAsync()
    await done
    expect(limiter.state()).toEqual({ requestsPerSecond: 10, requests: 2 })
    const until = (ms: number) => new Date(Date.now() + ms)
    // Each returns when the pause ends, the longer one already under way included.
    expect(limiter.pause(2_000)).toBe(until(2_000).getTime())
    expect(limiter.pause(1_000)).toBe(until(2_000).getTime()) // inside the current pause: no news
    expect(limiter.pause(3_000)).toBe(until(3_000).getTime())
    expect(seen).toEqual([
      { requestsPerSecond: 10, requests: 2, pausedUntil: until(2_000) },
      { requestsPerSecond: 10, requests: 2, pausedUntil: until(3_000) },
    ])
    expect(limiter.state().pausedUntil).toEqual(until(3_000))
    await vi.advanceTimersByTimeAsync(3_000)
    expect(limiter.state()).toEqual({ requestsPerSecond: 10, requests: 2 })
    stop()
    limiter.pause(500)
    expect(seen).toHaveLength(2)
  })

  it('a shorter pause never cuts a longer one short', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 100 })
    limiter.pause(3_000)
    limiter.pause(1_000)
    const { started, done } = startTakes(limiter, 1)
    await vi.runAllTimersAsync()
    await done
    expect(started).toEqual([3_000])
  })

  it('an aborted waiter leaves the line and rejects with its reason; the rest keep their turn', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 10 })
    const controller = new AbortController()
    await limiter.take()
    const aborted = limiter.take(controller.signal)
    const { started, done } = startTakes(limiter, 1)
    const reason = new Error('caller gave up')
    controller.abort(reason)
    await expect(aborted).rejects.toBe(reason)
    await vi.runAllTimersAsync()
    await done
    expect(started).toEqual([100])
  })

  it('rejects at once on a signal that already fired', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 1 })
    await expect(limiter.take(AbortSignal.abort('stop'))).rejects.toBe('stop')
  })

  it.each([0, -1, Number.NaN])('refuses a rate of %s', (rate) => {
    expect(() => createRateLimiter({ requestsPerSecond: rate })).toThrow(RangeError)
  })
})

describe('createRateLimiter on a busy event loop', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('keeps the rate when its timers fire late, without going over it', async () => {
    // Other work holds the event loop: every timer the limiter sets fires 4 ms after it was due.
    const onTime = globalThis.setTimeout
    vi.stubGlobal('setTimeout', ((callback: () => void, ms = 0) =>
      onTime(callback, ms + 4)) as typeof setTimeout)
    const { started, done } = startTakes(createRateLimiter({ requestsPerSecond: 50 }), 40)
    await vi.runAllTimersAsync()
    await done
    // 39 intervals of 20 ms; losing the lateness at every turn would take 39 × 24 ms = 936 ms.
    expect(started.at(-1)).toBeLessThanOrEqual(39 * 20 + 4)
    // Never ahead of the schedule: the nth start comes no sooner than n intervals in.
    expect(started.every((at, n) => at >= n * 20)).toBe(true)
  })
})
