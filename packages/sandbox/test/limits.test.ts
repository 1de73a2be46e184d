import { describe, expect, it } from 'vitest'
import { createSandbox, DEMO_CREDENTIALS, startSandbox } from '../src/index'
import { createLatency, createTokenBucket } from '../src/limits'
import { deriveRandom } from '../src/random'

describe('createTokenBucket', () => {
  it('lets a second of requests through at once, then one per 1/rate', () => {
    const bucket = createTokenBucket(50)
    const t = 1_000_000
    const answers = Array.from({ length: 51 }, () => bucket.take(t))
    expect(answers.slice(0, 50).every((wait) => wait === 0)).toBe(true)
    expect(answers[50]).toBe(1) // Retry-After: 1 s
    expect(bucket.take(t + 19)).toBeGreaterThan(0) // 0.95 of a token refilled
    expect(bucket.take(t + 21)).toBe(0) // 1.05
    expect(bucket.take(t + 22)).toBeGreaterThan(0)
  })

  it('never banks more than the burst after an idle spell', () => {
    const bucket = createTokenBucket(10, 2)
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 1])
    const later = 3_600_000
    expect([bucket.take(later), bucket.take(later), bucket.take(later)]).toEqual([0, 0, 1])
  })

  it('asks for whole seconds, enough for a token to refill', () => {
    const bucket = createTokenBucket(0.25, 1) // one request per 4 s
    expect(bucket.take(0)).toBe(0)
    expect(bucket.take(0)).toBe(4)
  })

  it.each([0, -1, Number.NaN])('refuses a rate of %s', (rate) => {
    expect(() => createTokenBucket(rate)).toThrow(RangeError)
  })
})

describe('createLatency', () => {
  it('draws around the median with a right tail near the 95th percentile', () => {
    const draw = createLatency({ medianMs: 50, p95Ms: 150 }, deriveRandom(1, 'latency'))
    const samples = Array.from({ length: 20_000 }, draw).sort((a, b) => a - b)
    const at = (q: number) => samples[Math.floor(q * samples.length)] as number
    expect(at(0.5)).toBeGreaterThan(45)
    expect(at(0.5)).toBeLessThan(55)
    expect(at(0.95)).toBeGreaterThan(135)
    expect(at(0.95)).toBeLessThan(165)
    expect(samples[0]).toBeGreaterThanOrEqual(0)
    expect(new Set(samples).size).toBeGreaterThan(100) // a distribution, not a constant
  })

  it('is the same sequence for the same seed', () => {
    const a = createLatency({ medianMs: 50 }, deriveRandom(7, 'latency'))
    const b = createLatency({ medianMs: 50 }, deriveRandom(7, 'latency'))
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b))
  })

  it('is 0 for a median of 0, and refuses a p95 under the median', () => {
    expect(createLatency({ medianMs: 0 }, Math.random)()).toBe(0)
    expect(() => createLatency({ medianMs: 50, p95Ms: 10 }, Math.random)).toThrow(RangeError)
  })
})

/** The token calls: public, cheap, one per provider. */
const tokenCall = {
  iamport: {
    path: '/iamport/users/getToken',
    body: {
      imp_key: DEMO_CREDENTIALS.iamport.apiKey,
      imp_secret: DEMO_CREDENTIALS.iamport.apiSecret,
    },
  },
  bootpay: {
    path: '/bootpay/v2/request/token',
    body: {
      application_id: DEMO_CREDENTIALS.bootpay.applicationId,
      private_key: DEMO_CREDENTIALS.bootpay.privateKey,
    },
  },
} as const

const post = (fetcher: typeof fetch, base: string, provider: 'iamport' | 'bootpay') =>
  fetcher(`${base}${tokenCall[provider].path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(tokenCall[provider].body),
  })

describe('the sandbox with limits and latency', () => {
  it('answers 429 with Retry-After in the provider’s shape once its budget is spent, per provider, in process', async () => {
    const sandbox = createSandbox({ limits: { bootpay: { requestsPerSecond: 1, burst: 2 } } })
    const base = 'http://sandbox.invalid'
    const bootpay = [
      await post(sandbox.fetch, base, 'bootpay'),
      await post(sandbox.fetch, base, 'bootpay'),
      await post(sandbox.fetch, base, 'bootpay'),
    ]
    expect(bootpay.map((r) => r.status)).toEqual([200, 200, 429])
    const limited = bootpay[2] as Response
    expect(limited.headers.get('retry-after')).toBe('1')
    expect(await limited.json()).toMatchObject({ error_code: expect.any(String) })
    // iamport has no limit here
    for (let i = 0; i < 3; i++)
      expect((await post(sandbox.fetch, base, 'iamport')).status).toBe(200)
    const stats = sandbox.stats()
    expect(stats.rateLimited).toEqual({ bootpay: 1 })
    expect(stats.statuses).toEqual({ 200: 5, 429: 1 })
    expect(stats.requests).toBe(6)
  })

  it('holds every answer for the drawn latency, a 429 too, over a socket', async () => {
    // p95 = median: a constant, so the test can time it; the default draws a long right tail.
    const sandbox = await startSandbox({
      limits: { iamport: { requestsPerSecond: 1, burst: 1 } },
      latency: { medianMs: 150, p95Ms: 150 },
    })
    try {
      const timed = async () => {
        const started = performance.now()
        const response = await post(fetch, sandbox.url, 'iamport')
        return { response, ms: performance.now() - started }
      }
      const [first, second] = [await timed(), await timed()]
      expect(first?.response.status).toBe(200)
      expect(second?.response.status).toBe(429)
      expect(await second?.response.json()).toEqual({
        code: -1,
        message: expect.stringContaining('rate limit'),
        response: null,
      })
      expect(second?.response.headers.get('retry-after')).toBe('1')
      expect(first?.ms).toBeGreaterThanOrEqual(145)
      expect(second?.ms).toBeGreaterThanOrEqual(145)
      expect(sandbox.stats().rateLimited).toEqual({ iamport: 1 })
    } finally {
      await sandbox.close()
    }
  })

  it('refuses a bad limit or latency when it is made', () => {
    expect(() => createSandbox({ limits: { iamport: { requestsPerSecond: 0 } } })).toThrow(
      RangeError,
    )
    expect(() => createSandbox({ latency: { medianMs: -1 } })).toThrow(RangeError)
  })
})
