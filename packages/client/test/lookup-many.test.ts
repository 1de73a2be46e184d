import {
  AbortError,
  type BillingKeyAdapter,
  BillingKeyExpiredError,
  type IamportRef,
  mapWithConcurrency,
  NotFoundError,
  ServerError,
  type Slots,
  ValidationError,
} from '@billingkey/core'
import { describe, expect, test } from 'vitest'
import { createBillingKeys, type Progress } from '../src/index'
import type { Gauge } from './recording'
import { providers, SECRETS, sandboxProviders, seededIds } from './setup'

/** The refs of the two providers these tests configure. */
type BillingKeyRef = import('@billingkey/core').IamportRef | import('@billingkey/core').BootpayRef

const uids = seededIds('active', 'customerUid')
const unknownUids = seededIds('unknown', 'customerUid')
const receipts = seededIds('active', 'receiptId')
const billingKeys = seededIds('active', 'billingKey')

// A 10,000-ref batch as a CSV export would give it: both providers interleaved, both Bootpay id
// kinds, keys of every fate (see wire.ts), refs given twice, and a bad row every 200.
const BAD_ROWS: unknown[] = [
  null,
  { provider: 'iamport' },
  { provider: 'stripe', customerUid: 'x' },
  { provider: 'bootpay', receiptId: '' },
  { provider: 'bootpay', receiptId: 'r', billingKey: 'b' },
]
const isBad = (i: number) => i % 200 === 199

/** 12 characters each, so every multi lookup but the last holds the same number of uids. */
function iamportUid(i: number): string {
  if (i % 60 === 4 && i >= 100) return iamportUid(i - 100) // given twice
  if (i === 5000) return 'boom-0005000' // fails its whole multi lookup
  return i % 50 === 10
    ? `missing-${String(i).padStart(4, '0')}`
    : `cust-${String(i).padStart(7, '0')}`
}

function bootpayRef(i: number): BillingKeyRef {
  if (i % 70 === 3 && i >= 100 && !isBad(i - 100)) return bootpayRef(i - 100) // given twice
  // Odd i only: i % 100 of 5, 7, …, 17 picks a fate, anything else is an active key.
  const fate =
    ['missing', 'gone', 'boom', 'soon', 'old', 'cancelled', 'notsub'][((i % 100) - 5) / 2] ?? 'bk'
  return i % 4 === 1
    ? { provider: 'bootpay', receiptId: `${fate}-r${i}` }
    : { provider: 'bootpay', billingKey: `${fate}-k${i}` }
}

function mixedRefs(n: number): unknown[] {
  return Array.from({ length: n }, (_, i) =>
    isBad(i)
      ? BAD_ROWS[((i - 199) / 200) % BAD_ROWS.length]
      : i % 2 === 0
        ? { provider: 'iamport', customerUid: iamportUid(i) }
        : bootpayRef(i),
  )
}

/** What each ref must come back as: `ok:<status>:<id>` or the error class. */
function expected(ref: unknown, failedChunk: ReadonlySet<string>): string {
  const r = ref as Partial<Record<'provider' | 'customerUid' | 'receiptId' | 'billingKey', string>>
  if (r?.provider === 'iamport' && r.customerUid) {
    if (failedChunk.has(r.customerUid)) return 'ServerError'
    return r.customerUid.startsWith('missing') ? 'NotFoundError' : `ok:active:${r.customerUid}`
  }
  const id = r?.receiptId ?? r?.billingKey
  if (r?.provider !== 'bootpay' || !id || (r.receiptId && r.billingKey)) return 'ValidationError'
  const fate: Record<string, string> = {
    missing: 'NotFoundError',
    notsub: 'NotFoundError',
    gone: 'BillingKeyExpiredError',
    boom: 'ServerError',
    old: `ok:expired:${id}`,
    cancelled: `ok:deleted:${id}`,
  }
  return fate[id.split('-')[0] as string] ?? `ok:active:${id}`
}

function outcome(
  result: { ok: true; key: { status: string; raw: unknown } } | { ok: false; error: Error },
): string {
  if (result.ok) {
    const raw = result.key.raw as Record<string, string>
    const id = raw.customer_uid ?? raw.receipt_id ?? raw.billing_key
    return `ok:${result.key.status}:${id}`
  }
  const { error } = result
  for (const type of [ValidationError, BillingKeyExpiredError, NotFoundError, ServerError]) {
    if (error instanceof type) return type.name
  }
  return `${error.name}: ${error.message}`
}

/** The distinct valid refs of one provider. */
const unique = (refs: unknown[], provider: string) =>
  new Set(
    refs
      .filter((ref) => expected(ref, new Set()) !== 'ValidationError')
      .filter((ref) => (ref as { provider?: string }).provider === provider)
      .map((ref) => JSON.stringify(ref)),
  )

describe('lookupMany over 10,000 mixed refs', () => {
  test('one result per ref in input order; iamport in ⌈n / batch⌉ multi lookups, Bootpay once per distinct ref', async () => {
    const { iamport, bootpay, iamportLog, bootpayLog } = providers()
    const keys = createBillingKeys({ iamport, bootpay })
    const refs = mixedRefs(10_000)
    const events: Progress[] = []

    const results = await keys.lookupMany(refs as BillingKeyRef[], {
      onProgress: (progress) => events.push(progress),
    })

    // Order: every position gets its own ref back, and the outcome that ref deserves.
    expect(results).toHaveLength(refs.length)
    expect(results.every((result, i) => result.ref === refs[i])).toBe(true)
    const failedChunk = new Set(iamportLog.batches.find((uids) => uids.includes('boom-0005000')))
    const mismatches = results
      .map((result, i) => ({ i, got: outcome(result), want: expected(refs[i], failedChunk) }))
      .filter(({ got, want }) => got !== want)
    expect(mismatches.slice(0, 5)).toEqual([])

    // Every outcome occurs, so the check above covered them all.
    const outcomes = new Set(results.map((result) => outcome(result).split(':')[0]))
    expect([...outcomes].sort()).toEqual(
      ['BillingKeyExpiredError', 'NotFoundError', 'ServerError', 'ValidationError', 'ok'].sort(),
    )
    // One failing multi lookup fails its own refs only.
    expect(failedChunk.size).toBeGreaterThan(1)
    expect(failedChunk.size).toBeLessThan(unique(refs, 'iamport').size)

    // iamport: batched, each distinct uid asked once, in ⌈n / batch⌉ requests.
    const uids = new Set([...unique(refs, 'iamport')].map((ref) => JSON.parse(ref).customerUid))
    const batch = Math.max(...iamportLog.batches.map((b) => b.length))
    expect(batch).toBeGreaterThan(100)
    expect(iamportLog.requests).toHaveLength(Math.ceil(uids.size / batch))
    expect(iamportLog.batches.filter((b) => b.length < batch)).toHaveLength(1)
    expect(iamportLog.requests.every((r) => r.startsWith('GET /subscribe/customers?'))).toBe(true)
    expect(iamportLog.batches.flat().sort()).toEqual([...uids].sort())

    // Bootpay: one request per distinct ref, none twice.
    expect(bootpayLog.requests).toHaveLength(unique(refs, 'bootpay').size)
    expect(new Set(bootpayLog.requests).size).toBe(bootpayLog.requests.length)
    expect([iamportLog.tokenCalls, bootpayLog.tokenCalls]).toEqual([1, 1])

    // Duplicates were really there, and share the lookup.
    const distinct = uids.size + unique(refs, 'bootpay').size + 50
    expect(distinct).toBeLessThan(refs.length)

    // Progress: only grows, counts every ref, ends exactly at the total.
    expect(events.length).toBeGreaterThan(10)
    expect(events.every((e) => e.total === refs.length)).toBe(true)
    expect(events.every((e, i) => i === 0 || e.done >= (events[i - 1] as Progress).done)).toBe(true)
    expect(events.at(-1)).toMatchObject({ done: refs.length, total: refs.length })

    // No secret anywhere in what comes back.
    const text = JSON.stringify(results)
    for (const secret of SECRETS) expect(text).not.toContain(secret)
  }, 120_000)
})

describe('lookupMany', () => {
  test('progress is never ahead of the answers on the wire', async () => {
    const { iamport, bootpay, iamportLog, bootpayLog } = sandboxProviders({ maxUrlLength: 1_000 })
    const keys = createBillingKeys({ iamport, bootpay })
    const refs: BillingKeyRef[] = Array.from({ length: 600 }, (_, i) =>
      i % 3 === 0
        ? { provider: 'bootpay', billingKey: billingKeys[i] as string }
        : { provider: 'iamport', customerUid: uids[i] as string },
    )
    const seen: { done: number; answered: number }[] = []
    await keys.lookupMany(refs, {
      onProgress: ({ done }) =>
        seen.push({ done, answered: iamportLog.answered + bootpayLog.answered }),
    })
    expect(iamportLog.requests.length).toBeGreaterThan(5)
    expect(seen.filter(({ done, answered }) => done > answered)).toEqual([])
    // …and it moves as answers come, not all at the end.
    expect(seen.filter(({ done }) => done > 0 && done < refs.length).length).toBeGreaterThan(
      iamportLog.requests.length,
    )
    expect(seen.at(-1)?.done).toBe(refs.length)
  }, 30_000)

  test('a bad or unconfigured ref is its own ValidationError; the rest are looked up', async () => {
    const { iamport, iamportLog } = sandboxProviders()
    const keys = createBillingKeys({ iamport })
    const refs = [
      { provider: 'iamport', customerUid: uids[1] },
      { provider: 'bootpay', receiptId: 'r-1' },
      { provider: 'iamport', customerUid: '' },
      { provider: 'iamport', customerUid: 'x'.repeat(81) },
      { provider: 'iamport', customerUid: uids[2] },
    ]
    // As an untyped caller would pass them (the types refuse the Bootpay ref).
    const results = await keys.lookupMany(refs as IamportRef[])
    expect(results.map((r) => (r.ok ? 'ok' : r.error.name))).toEqual([
      'ok',
      'ValidationError',
      'ValidationError',
      'ValidationError',
      'ok',
    ])
    expect(results[1]).toMatchObject({
      ok: false,
      error: {
        field: 'ref.provider',
        message: expect.stringMatching(
          /no bootpay adapter was configured: pass bootpay: createBootpayAdapter\(/,
        ),
      },
    })
    expect(iamportLog.batches).toEqual([[uids[1], uids[2]]])
  })

  test('an iamport multi lookup that finds some (207) or none (404) reports each missing ref', async () => {
    // Uids of at most 17 characters: two fit in a 130-character URL, three do not.
    const short = (ids: string[]) => ids.filter((id) => id.length <= 17)
    const { iamport, iamportLog } = sandboxProviders({ maxUrlLength: 130 })
    const [a, e] = short(uids) as [string, string]
    const [b, c, d] = short(unknownUids)
    const results = await createBillingKeys({ iamport }).lookupMany(
      [a, b, c, d, e].map((customerUid) => ({
        provider: 'iamport',
        customerUid: customerUid as string,
      })),
    )
    expect(iamportLog.batches.length).toBeGreaterThan(1)
    expect(
      iamportLog.batches.some((batch) => batch.every((uid) => unknownUids.includes(uid))),
    ).toBe(true)
    expect(results.map((r) => (r.ok ? r.key.ref.customerUid : r.error.name))).toEqual([
      a,
      'NotFoundError',
      'NotFoundError',
      'NotFoundError',
      e,
    ])
  })

  test('never has more requests in flight than `concurrency`, across both providers', async () => {
    const gauge: Gauge = { now: 0, max: 0 }
    const { iamport, bootpay } = sandboxProviders({
      iamport: { gauge },
      bootpay: { gauge },
      maxUrlLength: 300,
    })
    const refs: BillingKeyRef[] = Array.from({ length: 300 }, (_, i) =>
      i % 2
        ? { provider: 'bootpay', receiptId: receipts[i] as string }
        : { provider: 'iamport', customerUid: uids[i] as string },
    )
    await createBillingKeys({ iamport, bootpay }).lookupMany(refs, { concurrency: 3 })
    expect(gauge.max).toBe(3)
  }, 30_000)

  test('an abort mid-batch rejects with AbortError; no request starts after it and those in flight are aborted', async () => {
    const controller = new AbortController()
    let atAbort = 0
    const { iamport, bootpay, iamportLog, bootpayLog } = sandboxProviders({
      bootpay: {
        onRequest: (count) => {
          if (count === 100) {
            atAbort = count
            controller.abort()
          }
        },
      },
    })
    const refs: BillingKeyRef[] = Array.from({ length: 1_000 }, (_, i) =>
      i % 2
        ? { provider: 'bootpay', billingKey: billingKeys[(i - 1) / 2] as string }
        : { provider: 'iamport', customerUid: uids[i / 2] as string },
    )
    const events: Progress[] = []
    const run = createBillingKeys({ iamport, bootpay }).lookupMany(refs, {
      signal: controller.signal,
      concurrency: 4,
      onProgress: (progress) => events.push(progress),
    })
    await expect(run).rejects.toThrow(AbortError)
    // Give anything that would still start a chance to do so.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(atAbort).toBe(100)
    expect(bootpayLog.requests).toHaveLength(100)
    expect(bootpayLog.aborted).toBeGreaterThan(0)
    expect(iamportLog.requests.length).toBeGreaterThan(0)
    expect(events.at(-1)?.done).toBeLessThan(refs.length)
  }, 30_000)

  test('looks the providers up at once: one held back (by its rate limit, say) does not hold the others', async () => {
    // iamport's lookups wait until every Bootpay ref has settled: one provider after the other
    // (iamport first) would never finish.
    let bootpayDone = () => {}
    const held = new Promise<void>((resolve) => {
      bootpayDone = resolve
    })
    const fake = <P extends 'iamport' | 'bootpay'>(provider: P, before: () => Promise<void>) => ({
      provider,
      lookup: async (): Promise<never> => {
        throw new Error('unused')
      },
      lookupMany: (
        refs: readonly BillingKeyRef[],
        options: { concurrency?: number | Slots; onSettled?: (count: number) => void } = {},
      ) =>
        mapWithConcurrency(refs, options.concurrency ?? 1, async (ref) => {
          await before()
          options.onSettled?.(1)
          return { ref, ok: false as const, error: new NotFoundError('none', { provider }) }
        }),
    })
    let bootpaySettled = 0
    const keys = createBillingKeys({
      iamport: fake('iamport', () => held) as unknown as BillingKeyAdapter<'iamport'>,
      bootpay: fake('bootpay', async () => {
        if (++bootpaySettled === 3) bootpayDone()
      }) as unknown as BillingKeyAdapter<'bootpay'>,
    })
    const refs: BillingKeyRef[] = [
      { provider: 'iamport', customerUid: 'c-1' },
      { provider: 'iamport', customerUid: 'c-2' },
      ...['b-1', 'b-2', 'b-3'].map((billingKey) => ({ provider: 'bootpay' as const, billingKey })),
    ]
    const results = await keys.lookupMany(refs, { concurrency: 4 })
    expect(results.map((result) => (result.ok ? 'ok' : result.error.provider))).toEqual([
      'iamport',
      'iamport',
      'bootpay',
      'bootpay',
      'bootpay',
    ])
  })

  test('an abort during the iamport multi lookups starts no further request of either provider', async () => {
    const controller = new AbortController()
    let bootpayAtAbort = -1
    const { iamport, bootpay, iamportLog, bootpayLog } = sandboxProviders({
      maxUrlLength: 200,
      iamport: {
        onRequest: (count) => {
          if (count !== 3) return
          bootpayAtAbort = bootpayLog.requests.length
          controller.abort()
        },
      },
    })
    const refs: BillingKeyRef[] = Array.from({ length: 200 }, (_, i) =>
      i % 2
        ? { provider: 'bootpay', billingKey: billingKeys[i] as string }
        : { provider: 'iamport', customerUid: uids[i] as string },
    )
    const run = createBillingKeys({ iamport, bootpay }).lookupMany(refs, {
      signal: controller.signal,
      concurrency: 1,
    })
    await expect(run).rejects.toThrow(AbortError)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(iamportLog.requests).toHaveLength(3)
    expect(iamportLog.aborted).toBe(1)
    // The providers share the one slot, so Bootpay had begun; it starts nothing after the abort.
    expect(bootpayAtAbort).toBeGreaterThan(0)
    expect(bootpayLog.requests).toHaveLength(bootpayAtAbort)
  })

  test('a throwing onProgress rejects the call with its error, not as failed lookups, and stops the lookups', async () => {
    const { iamport, bootpay, iamportLog, bootpayLog } = sandboxProviders()
    const refs: BillingKeyRef[] = [
      { provider: 'iamport', customerUid: uids[0] as string },
      ...billingKeys
        .slice(0, 40)
        .map((billingKey) => ({ provider: 'bootpay' as const, billingKey })),
    ]
    const broken = new Error('stdout is closed')
    const calls: number[] = []
    let sentAtThrow = -1
    const sent = () => iamportLog.requests.length + bootpayLog.requests.length
    const run = createBillingKeys({ iamport, bootpay }).lookupMany(refs, {
      concurrency: 2,
      onProgress: ({ done }) => {
        calls.push(done)
        if (done === 0) return
        sentAtThrow = sent()
        throw broken
      },
    })
    await expect(run).rejects.toBe(broken)
    await new Promise((resolve) => setTimeout(resolve, 20))
    // Called no more after it threw.
    expect(calls).toEqual([0, 1])
    // What was in flight (at most the two slots) may have reached the sandbox; nothing after.
    expect(sentAtThrow).toBeGreaterThan(0)
    expect(sent()).toBeLessThanOrEqual(sentAtThrow + 2)
    expect(sent()).toBeLessThan(refs.length)
  })

  test('an already-aborted signal rejects before any request', async () => {
    const { iamport, iamportLog } = sandboxProviders()
    const run = createBillingKeys({ iamport }).lookupMany(
      [{ provider: 'iamport', customerUid: 'c-1' }],
      { signal: AbortSignal.abort() },
    )
    await expect(run).rejects.toThrow(AbortError)
    expect(iamportLog.requests).toEqual([])
  })

  test('an empty list resolves to no results, with one progress event at 0 of 0', async () => {
    const { iamport, iamportLog } = sandboxProviders()
    const events: Progress[] = []
    const results = await createBillingKeys({ iamport }).lookupMany([], {
      onProgress: (e) => events.push(e),
    })
    expect(results).toEqual([])
    expect(events).toEqual([
      { done: 0, total: 0, rateLimits: { iamport: { requestsPerSecond: Infinity, requests: 0 } } },
    ])
    expect(iamportLog.tokenCalls).toBe(0)
  })

  test.each([0, -1, 1.5, Number.NaN, '4'])(
    'concurrency %s is a ValidationError before any request',
    async (concurrency) => {
      const { iamport, iamportLog } = sandboxProviders()
      const run = createBillingKeys({ iamport }).lookupMany(
        [{ provider: 'iamport', customerUid: 'c-1' }],
        { concurrency: concurrency as number },
      )
      await expect(run).rejects.toThrow(ValidationError)
      await expect(run).rejects.toMatchObject({ field: 'concurrency' })
      expect(iamportLog.requests).toEqual([])
    },
  )

  test('refs that are not a list are a ValidationError', async () => {
    const { iamport } = sandboxProviders()
    const run = createBillingKeys({ iamport }).lookupMany('c-1' as never)
    await expect(run).rejects.toThrow(ValidationError)
    await expect(run).rejects.toMatchObject({ field: 'refs' })
  })
})
