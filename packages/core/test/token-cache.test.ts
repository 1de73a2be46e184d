import { describe, expect, it, vi } from 'vitest'
import { AuthenticationError, type IssuedToken, TokenCache } from '../src'
import { rejection } from './helpers'

const MINUTE = 60_000

/** A clock the test moves by hand. */
function clock(start = Date.parse('2026-03-01T00:00:00Z')) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

/** fetchToken that answers tokens t1, t2, … valid for `lifetimeMs` on the given clock. */
function issuer(time: { now: () => number }, lifetimeMs = 30 * MINUTE) {
  let issued = 0
  const fetchToken = vi.fn(async (): Promise<IssuedToken> => {
    issued++
    return { accessToken: `t${issued}`, expiresAt: time.now() + lifetimeMs }
  })
  return fetchToken
}

describe('TokenCache', () => {
  it('makes exactly one token request for 1,000 concurrent calls on a cold cache', async () => {
    const time = clock()
    const fetchToken = issuer(time)
    const cache = new TokenCache({ fetchToken, now: time.now })
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => cache.get()))
    expect(fetchToken).toHaveBeenCalledTimes(1)
    expect(new Set(tokens)).toEqual(new Set(['t1']))
  })

  it('reuses the token until the refresh margin, then refreshes once', async () => {
    const time = clock()
    const fetchToken = issuer(time)
    const cache = new TokenCache({ fetchToken, now: time.now, refreshMarginMs: MINUTE })
    expect(await cache.get()).toBe('t1')
    time.advance(29 * MINUTE - 1)
    expect(await cache.get()).toBe('t1')
    time.advance(1)
    const refreshed = await Promise.all([cache.get(), cache.get(), cache.get()])
    expect(refreshed).toEqual(['t2', 't2', 't2'])
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })

  it('defaults to a 30 s margin', async () => {
    const time = clock()
    const fetchToken = issuer(time)
    const cache = new TokenCache({ fetchToken, now: time.now })
    await cache.get()
    time.advance(30 * MINUTE - 30_001)
    expect(await cache.get()).toBe('t1')
    time.advance(1)
    expect(await cache.get()).toBe('t2')
  })

  it.each([
    ['ahead', 10 * MINUTE],
    ['behind', -10 * MINUTE],
  ])('corrects for a server clock %s of the local one', async (_, skew) => {
    const time = clock()
    // iamport: `now` and `expired_at` on the server's clock, 30 minutes apart.
    const fetchToken = vi.fn(async () => ({
      accessToken: 'server',
      serverNow: time.now() + skew,
      expiresAt: time.now() + skew + 30 * MINUTE,
    }))
    const cache = new TokenCache({ fetchToken, now: time.now, refreshMarginMs: 0 })
    await cache.get()
    time.advance(30 * MINUTE - 1)
    await cache.get()
    expect(fetchToken).toHaveBeenCalledTimes(1)
    time.advance(1)
    await cache.get()
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })

  it('counts the lifetime from when the request left, not when it came back', async () => {
    const time = clock()
    const fetchToken = vi.fn(async () => {
      const serverNow = time.now() + 5 * MINUTE
      time.advance(2_000) // the token call takes 2 s
      return { accessToken: 'slow', serverNow, expiresAt: serverNow + 30 * MINUTE }
    })
    const cache = new TokenCache({ fetchToken, now: time.now, refreshMarginMs: 0 })
    await cache.get()
    time.advance(30 * MINUTE - 2_000 - 1)
    await cache.get()
    expect(fetchToken).toHaveBeenCalledTimes(1)
    time.advance(1)
    await cache.get()
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })

  it('rejects every waiter with the same error, then tries again on the next call', async () => {
    const time = clock()
    const failure = new AuthenticationError('iamport getToken failed: HTTP 401')
    const fetchToken = vi
      .fn<() => Promise<IssuedToken>>()
      .mockRejectedValueOnce(failure)
      .mockResolvedValueOnce({ accessToken: 'ok', expiresAt: time.now() + MINUTE * 30 })
    const cache = new TokenCache({ fetchToken, now: time.now })
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => cache.get()))
    expect(fetchToken).toHaveBeenCalledTimes(1)
    for (const result of results) expect(result).toEqual({ status: 'rejected', reason: failure })
    expect(await cache.get()).toBe('ok')
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })

  it('invalidate() drops the token; invalidate(token) only if it is still the cached one', async () => {
    const time = clock()
    const fetchToken = issuer(time)
    const cache = new TokenCache({ fetchToken, now: time.now })
    expect(await cache.get()).toBe('t1')
    cache.invalidate('t0') // a stale 401 from an older token
    expect(await cache.get()).toBe('t1')
    cache.invalidate('t1')
    expect(await cache.get()).toBe('t2')
    cache.invalidate()
    expect(await cache.get()).toBe('t3')
  })

  it("lets one caller give up without failing the others' shared request", async () => {
    const time = clock()
    let release: (token: IssuedToken) => void = () => {}
    const fetchToken = vi.fn(() => new Promise<IssuedToken>((resolve) => (release = resolve)))
    const cache = new TokenCache({ fetchToken, now: time.now })
    const controller = new AbortController()
    const impatient = cache.get(controller.signal)
    const patient = cache.get()
    controller.abort()
    expect(await rejection(impatient)).toMatchObject({ name: 'AbortError' })
    release({ accessToken: 'late', expiresAt: time.now() + 30 * MINUTE })
    expect(await patient).toBe('late')
    expect(fetchToken).toHaveBeenCalledTimes(1)
  })

  it('aborts the shared request once every waiter has given up, and starts afresh after', async () => {
    const time = clock()
    const signals: AbortSignal[] = []
    const fetchToken = vi.fn(
      (signal: AbortSignal) =>
        new Promise<IssuedToken>((resolve, reject) => {
          signals.push(signal)
          signal.addEventListener('abort', () => reject(signal.reason))
          if (signals.length > 1) resolve({ accessToken: 'next', expiresAt: time.now() + MINUTE })
        }),
    )
    const cache = new TokenCache({ fetchToken, now: time.now, refreshMarginMs: 0 })
    const first = new AbortController()
    const second = new AbortController()
    const waiting = [cache.get(first.signal), cache.get(second.signal)]
    first.abort()
    expect(signals[0]?.aborted).toBe(false)
    second.abort()
    expect(signals[0]?.aborted).toBe(true)
    for (const waiter of waiting)
      expect(await rejection(waiter)).toMatchObject({ name: 'AbortError' })
    expect(await cache.get()).toBe('next')
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })

  it('never aborts the shared request while a waiter without a signal needs it', async () => {
    const time = clock()
    let seen: AbortSignal | undefined
    let release: (token: IssuedToken) => void = () => {}
    const fetchToken = vi.fn((signal: AbortSignal) => {
      seen = signal
      return new Promise<IssuedToken>((resolve) => (release = resolve))
    })
    const cache = new TokenCache({ fetchToken, now: time.now })
    const controller = new AbortController()
    const impatient = cache.get(controller.signal)
    const patient = cache.get()
    controller.abort()
    expect(await rejection(impatient)).toMatchObject({ name: 'AbortError' })
    expect(seen?.aborted).toBe(false)
    release({ accessToken: 'kept', expiresAt: time.now() + 30 * MINUTE })
    expect(await patient).toBe('kept')
  })

  it('rejects at once for an already aborted signal', async () => {
    const time = clock()
    const cache = new TokenCache({ fetchToken: issuer(time), now: time.now })
    expect(await rejection(cache.get(AbortSignal.abort()))).toMatchObject({ name: 'AbortError' })
    expect(await cache.get()).toBe('t1')
  })
})
