import { describe, expect, it, vi } from 'vitest'
import {
  AuthenticationError,
  ConnectionError,
  createTransport,
  type IssuedToken,
  RateLimitError,
  ResponseError,
  TimeoutError,
  TokenCache,
} from '../src'
import { renderings } from './faults'
import { json, mockFetch, never, rejection } from './helpers'

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

  it('starts a new request for a call made in the tick its sole waiter gave up', async () => {
    const time = clock()
    const signals: AbortSignal[] = []
    const fetchToken = vi.fn(
      (signal: AbortSignal) =>
        new Promise<IssuedToken>((resolve, reject) => {
          signals.push(signal)
          signal.addEventListener('abort', () => reject(signal.reason))
          if (signals.length > 1) resolve({ accessToken: 'fresh', expiresAt: time.now() + MINUTE })
        }),
    )
    const cache = new TokenCache({ fetchToken, now: time.now, refreshMarginMs: 0 })
    const first = new AbortController()
    const abandoned = cache.get(first.signal)
    first.abort()
    const next = cache.get(new AbortController().signal)
    expect(await rejection(abandoned)).toMatchObject({ name: 'AbortError' })
    expect(await next).toBe('fresh')
    expect(signals.map((s) => s.aborted)).toEqual([true, false])
  })

  it('lets the request run on when its last waiter only timed out, for the retry to join', async () => {
    const time = clock()
    let seen: AbortSignal | undefined
    let release: (token: IssuedToken) => void = () => {}
    const fetchToken = vi.fn((signal: AbortSignal) => {
      seen = signal
      return new Promise<IssuedToken>((resolve) => (release = resolve))
    })
    const cache = new TokenCache({ fetchToken, now: time.now })
    const attempt = new AbortController()
    const timedOut = cache.get(attempt.signal)
    attempt.abort(new TimeoutError('iamport GET … timed out after 1000 ms'))
    expect(await rejection(timedOut)).toMatchObject({ name: 'TimeoutError' })
    expect(seen?.aborted).toBe(false)
    const retry = cache.get(new AbortController().signal)
    release({ accessToken: 'joined', expiresAt: time.now() + 30 * MINUTE })
    expect(await retry).toBe('joined')
    expect(fetchToken).toHaveBeenCalledTimes(1)
  })
})

describe('TokenCache refuses a token it cannot send', () => {
  const TOKEN = 'CANARYtok3n'
  it.each([
    ['no token', undefined],
    ['null', null],
    ['a number', 42],
    ['an empty string', ''],
    ['a newline', `${TOKEN}\nx-injected: 1`],
    ['a NUL', `${TOKEN}\0`],
    ['a space', `${TOKEN} x`],
    ['a non-ASCII character', `${TOKEN}é`],
  ])('%s: a ResponseError that never quotes it, and nothing cached', async (_, accessToken) => {
    const time = clock()
    const fetchToken = vi.fn(async () => ({
      accessToken: accessToken as string,
      expiresAt: time.now() + 30 * MINUTE,
    }))
    const cache = new TokenCache({ fetchToken, now: time.now })
    const error = await rejection(cache.get())
    expect(error).toBeInstanceOf(ResponseError)
    expect((error as Error).message).toMatch(/no usable access token/)
    for (const text of renderings(error)) expect(text).not.toContain('CANARY')
    await rejection(cache.get())
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })

  it('so no request goes out with "Bearer undefined" or a broken header', async () => {
    for (const accessToken of [undefined, `${TOKEN}\n`]) {
      const fetch = mockFetch(() => json({ code: 0 }))
      const cache = new TokenCache({
        fetchToken: async () => ({ accessToken: accessToken as string, expiresAt: NaN }),
      })
      const send = createTransport({
        provider: 'iamport',
        fetch,
        authorize: async (_, signal) => `Bearer ${await cache.get(signal)}`,
      })
      const error = await rejection(send('https://api.iamport.kr/subscribe/customers/c1'))
      expect(error).toBeInstanceOf(ResponseError)
      expect(error).toMatchObject({ provider: 'iamport' })
      for (const text of renderings(error)) expect(text).not.toContain('CANARY')
      expect(fetch.calls).toHaveLength(0)
    }
  })

  it('hides the current token by value in any error, its cause included', async () => {
    const cache = new TokenCache({
      fetchToken: async () => ({
        accessToken: `${TOKEN}-live`,
        expiresAt: Date.now() + MINUTE * 30,
      }),
    })
    // A runtime error quoting the header as it was set, with no key name before it.
    const fetch = () => Promise.reject(new TypeError(`header value ${TOKEN}-live is invalid`))
    const send = createTransport({
      provider: 'iamport',
      fetch,
      maxRetries: 0,
      authorize: async (_, signal) => `Bearer ${await cache.get(signal)}`,
    })
    const error = await rejection(send('https://api.iamport.kr/subscribe/customers/c1'))
    expect(error).toBeInstanceOf(ConnectionError)
    expect((error as Error).cause).toBeInstanceOf(Error)
    expect((error as Error).message).toContain('[REDACTED]')
    for (const text of renderings(error)) expect(text).not.toContain(TOKEN)
  })
})

describe('TokenCache without a usable expiry', () => {
  it.each([
    ['missing', { expiresAt: undefined }],
    ['not a number', { expiresAt: Number.NaN, serverNow: Number.NaN }],
    ['not after the server clock', { expiresAt: 1_000, serverNow: 1_000 }],
  ])('%s: keeps the token for defaultLifetimeMs', async (_, expiry) => {
    const time = clock()
    let issued = 0
    const fetchToken = vi.fn(
      async () => ({ accessToken: `t${++issued}`, ...expiry }) as IssuedToken,
    )
    const cache = new TokenCache({
      fetchToken,
      now: time.now,
      refreshMarginMs: 0,
      defaultLifetimeMs: 10 * MINUTE,
    })
    expect(await cache.get()).toBe('t1')
    time.advance(10 * MINUTE - 1)
    expect(await cache.get()).toBe('t1')
    time.advance(1)
    expect(await cache.get()).toBe('t2')
  })

  it('defaults to 5 minutes', async () => {
    const time = clock()
    const fetchToken = issuer(time, Number.NaN)
    const cache = new TokenCache({ fetchToken, now: time.now, refreshMarginMs: 0 })
    await cache.get()
    time.advance(5 * MINUTE - 1)
    await cache.get()
    expect(fetchToken).toHaveBeenCalledTimes(1)
    time.advance(1)
    await cache.get()
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })
})

describe('TokenCache after a failure with a Retry-After', () => {
  it('fails at once with the same error until it passes, without a request', async () => {
    const time = clock()
    const limited = new RateLimitError('iamport getToken failed: HTTP 429', {
      provider: 'iamport',
      retryAfterMs: 2_000,
    })
    const fetchToken = vi
      .fn<() => Promise<IssuedToken>>()
      .mockRejectedValueOnce(limited)
      .mockResolvedValueOnce({ accessToken: 'later', expiresAt: time.now() + 30 * MINUTE })
    const cache = new TokenCache({ fetchToken, now: time.now })
    expect(await rejection(cache.get())).toBe(limited)
    time.advance(1_999)
    expect(await rejection(cache.get(new AbortController().signal))).toBe(limited)
    expect(fetchToken).toHaveBeenCalledTimes(1)
    time.advance(1)
    expect(await cache.get()).toBe('later')
    expect(fetchToken).toHaveBeenCalledTimes(2)
  })

  it("waits for the token outside the call's attempt timeout: a token 429 ends as itself", async () => {
    // The case, scaled down: a token Retry-After (50 ms) longer than the call's attempt
    // timeout (20 ms), with default retries. The token call's own retries decide the outcome.
    const fetch = mockFetch((request) =>
      request.url.endsWith('/users/getToken')
        ? json({ code: -1, message: 'slow down' }, 429, { 'retry-after': '0.05' })
        : json({ code: 0, response: {} }),
    )
    const cache = rateLimitedTokens(fetch)
    const lookup = createTransport({
      provider: 'iamport',
      fetch,
      timeoutMs: 20,
      authorize: async (_, signal) => `Bearer ${await cache.get(signal)}`,
    })
    const error = await rejection(lookup('https://api.iamport.kr/subscribe/customers/c1'))
    expect(error).toBeInstanceOf(RateLimitError)
    // The token request's first try and its two retries, each after the Retry-After; no lookup.
    expect(fetch.calls.map((c) => c.url.pathname)).toEqual(Array(3).fill('/users/getToken'))
  })

  it('reaches a lookup whose attempts time out first as itself, asking no sooner', async () => {
    const time = clock()
    // The token endpoint is rate limited for good; the lookup's attempts (20 ms each) time out
    // long before the token call has waited out its Retry-After (50 ms) and retried twice.
    const fetch = mockFetch((request) =>
      request.url.endsWith('/users/getToken')
        ? json({ code: -1, message: 'slow down' }, 429, { 'retry-after': '0.05' })
        : never(),
    )
    const cache = rateLimitedTokens(fetch, time.now)
    const lookup = createTransport({
      provider: 'iamport',
      fetch,
      timeoutMs: 20,
      maxRetries: 40,
      retry: { baseDelayMs: 5, maxDelayMs: 5 },
      authorize: async (_, signal) => `Bearer ${await cache.get(signal)}`,
    })
    const url = 'https://api.iamport.kr/subscribe/customers/c1'
    const error = await rejection(lookup(url))
    expect(error).toBeInstanceOf(RateLimitError)
    expect(error).toMatchObject({ retryAfterMs: 50 })
    const tokenCalls = () => fetch.calls.filter((c) => c.request.url.endsWith('/users/getToken'))
    // One token request: its first try and two retries, each after the Retry-After.
    expect(tokenCalls()).toHaveLength(3)
    // Within the Retry-After (the cache's clock has not moved), a call fails at once.
    expect(await rejection(lookup(url))).toBeInstanceOf(RateLimitError)
    expect(tokenCalls()).toHaveLength(3)
  })
})

/** A token cache whose token call (with its own retries) always ends in a 429, Retry-After 50 ms. */
function rateLimitedTokens(fetch: ReturnType<typeof mockFetch>, now?: () => number) {
  const tokenCall = createTransport({ provider: 'iamport', fetch, isIdempotent: () => true })
  return new TokenCache({
    now,
    fetchToken: async (signal) => {
      const response = await tokenCall('https://api.iamport.kr/users/getToken', {
        method: 'POST',
        signal,
      })
      throw new RateLimitError('iamport getToken failed: HTTP 429', {
        provider: 'iamport',
        status: response.status,
        retryAfterMs: 50,
      })
    },
  })
}
