// The rate and a 429's pause, as the progress callback and a logger see them: the real Bootpay
// client and adapter over the sandbox's in-process fetch, with the sandbox's rate limit.
import { createBootpayAdapter, createBootpayClient } from '@billingkey/bootpay'
import { createSandbox } from '@billingkey/sandbox'
import { describe, expect, test } from 'vitest'
import { createBillingKeys, type Progress } from '../src/index'
import { seededIds } from './setup'

const receipts = seededIds('active', 'receiptId')

describe('rate limits in the progress', () => {
  test('a 429 is reported as it pauses the client (which provider, until when), with the rate', async () => {
    // Two requests at once, then two a second: the token call and one lookup pass, the next 429s.
    const sandbox = createSandbox({ limits: { bootpay: { requestsPerSecond: 2, burst: 2 } } })
    const logged: string[] = []
    const client = createBootpayClient({
      ...sandbox.credentials.bootpay,
      baseUrl: sandbox.bootpay.baseUrl,
      fetch: sandbox.fetch,
      requestsPerSecond: 50,
      logger: { debug() {}, info: (line) => logged.push(line), warn() {}, error() {} },
    })
    const keys = createBillingKeys({ bootpay: createBootpayAdapter(client) })
    const refs = receipts
      .slice(0, 3)
      .map((receiptId) => ({ provider: 'bootpay' as const, receiptId }))
    const events: Progress[] = []
    const started = Date.now()

    const results = await keys.lookupMany(refs, {
      concurrency: 1,
      onProgress: (progress) => events.push(structuredClone(progress)),
    })

    expect(results.map((result) => result.ok)).toEqual([true, true, true])
    expect(events.map(({ done }) => done)).toEqual([0, 1, 1, 2, 3, 3])
    const paused = events[2]?.rateLimits?.bootpay
    expect(paused).toMatchObject({ requestsPerSecond: 50, requests: 3 })
    // Retry-After: 1 s from the 429.
    const until = paused?.pausedUntil?.getTime() ?? 0
    expect(until - started).toBeGreaterThanOrEqual(1000)
    expect(until - Date.now()).toBeLessThanOrEqual(0)
    // Only the pause's own report carries pausedUntil; once it is over, it is gone.
    expect(events.filter((event) => event.rateLimits?.bootpay?.pausedUntil)).toHaveLength(1)
    // The token call, three lookups and the retry of the one that drew the 429.
    expect(events.at(-1)?.rateLimits).toEqual({ bootpay: { requestsPerSecond: 50, requests: 5 } })
    expect(sandbox.stats().rateLimited).toEqual({ bootpay: 1 })

    const pause = logged.find((line) => line.startsWith('billingkey rate limit pause'))
    expect(pause).toContain('"provider":"bootpay"')
    expect(pause).toContain('"pauseMs":1000')
    expect(pause).toContain(`"until":"${paused?.pausedUntil?.toISOString()}"`)
    expect(pause).toContain('"requestsPerSecond":50')
  })

  test('an adapter without a rateLimit gives progress without rateLimits', async () => {
    const keys = createBillingKeys({
      iamport: {
        provider: 'iamport',
        lookup: async () => {
          throw new Error('unused')
        },
        lookupMany: async (refs, options) => {
          options?.onSettled?.(refs.length)
          return refs.map((ref) => ({ ref, ok: false, error: new Error('no') as never }))
        },
      },
    })
    const events: Progress[] = []
    await keys.lookupMany([{ provider: 'iamport', customerUid: 'c-1' }], {
      onProgress: (progress) => events.push(progress),
    })
    expect(events.every((event) => !('rateLimits' in event))).toBe(true)
    expect(events.at(-1)).toEqual({ done: 1, total: 1 })
  })
})
