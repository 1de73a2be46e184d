import { describe, expect, it } from 'vitest'
import {
  AbortError,
  type BillingKey,
  BillingKeyError,
  ConnectionError,
  lookupEach,
  NotFoundError,
  type PortoneRef,
  TimeoutError,
} from '../src'
import { rejection } from './helpers'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
const refs: PortoneRef[] = Array.from({ length: 12 }, (_, i) => ({
  provider: 'portone',
  billingKey: `key-${i}`,
}))
const keyOf = (ref: PortoneRef) => ({ provider: 'portone', ref }) as BillingKey<'portone'>

describe('lookupEach', () => {
  it('looks each ref up once, at most `concurrency` at a time, results in the refs’ order', async () => {
    let running = 0
    let peak = 0
    const asked: string[] = []
    const lookupMany = lookupEach('portone', async (ref) => {
      asked.push(ref.billingKey)
      running++
      peak = Math.max(peak, running)
      // Later refs settle first, so the order cannot come from the order of settling.
      for (let i = 0; i < 12 - Number(ref.billingKey.slice(4)); i++) await tick()
      running--
      if (ref.billingKey === 'key-4') throw new NotFoundError('portone getBillingKey failed: gone')
      if (ref.billingKey === 'key-7') throw new TypeError('fetch failed')
      return keyOf(ref)
    })
    const settled: number[] = []
    const results = await lookupMany(refs, {
      concurrency: 3,
      onSettled: (count) => settled.push(count),
    })

    expect(results.map((result) => result.ref)).toEqual(refs)
    expect(asked.sort()).toEqual(refs.map((ref) => ref.billingKey).sort())
    expect(peak).toBe(3)
    // One call per ref, each a delta of 1 (not a running total).
    expect(settled).toEqual(refs.map(() => 1))
    for (const [index, result] of results.entries()) {
      if (index === 4 || index === 7) continue
      expect(result).toEqual({ ref: refs[index], ok: true, key: keyOf(refs[index] as PortoneRef) })
    }
    // A failing ref is that ref's result, typed, with the provider and the operation.
    const notFound = results[4]
    expect(notFound?.ok).toBe(false)
    if (notFound?.ok !== false) return
    expect(notFound.error).toBeInstanceOf(NotFoundError)
    expect(notFound.error).toMatchObject({ provider: 'portone', operation: 'lookup' })
    const reset = results[7]
    if (reset?.ok !== false) throw new Error('key-7 should have failed')
    expect(reset.error).toBeInstanceOf(ConnectionError)
    expect(reset.error).toBeInstanceOf(BillingKeyError)
    expect(reset.error).toMatchObject({ provider: 'portone', operation: 'lookup' })
  })

  it('defaults to 8 lookups at a time and passes the caller’s signal to each', async () => {
    let running = 0
    let peak = 0
    const controller = new AbortController()
    const signals = new Set<AbortSignal | undefined>()
    const lookupMany = lookupEach('bootpay', async (ref, options) => {
      signals.add(options?.signal)
      running++
      peak = Math.max(peak, running)
      await tick()
      running--
      return { provider: 'bootpay', ref } as BillingKey<'bootpay'>
    })
    const many = Array.from({ length: 20 }, (_, i) => ({
      provider: 'bootpay' as const,
      receiptId: `r${i}`,
    }))
    expect(await lookupMany(many, { signal: controller.signal })).toHaveLength(20)
    expect(peak).toBe(8)
    expect([...signals]).toEqual([controller.signal])
    expect(await lookupMany([])).toEqual([])
  })

  it('rejects the batch on the caller’s abort, and starts no further lookup', async () => {
    const controller = new AbortController()
    const asked: string[] = []
    const settled: number[] = []
    const lookupMany = lookupEach('portone', async (ref, options) => {
      asked.push(ref.billingKey)
      if (ref.billingKey === 'key-1') controller.abort()
      await tick()
      if (options?.signal?.aborted) throw new AbortError('aborted', { provider: 'portone' })
      return keyOf(ref)
    })
    const error = await rejection(
      lookupMany(refs, {
        signal: controller.signal,
        concurrency: 2,
        onSettled: (count) => settled.push(count),
      }),
    )
    expect(error).toBeInstanceOf(AbortError)
    expect(asked).toEqual(['key-0', 'key-1'])
    // Both running lookups saw the abort: neither is a result, neither is reported settled.
    expect(settled).toEqual([])
  })

  it('keeps a timeout of one ref (not the caller’s abort) as that ref’s failure', async () => {
    const controller = new AbortController()
    const lookupMany = lookupEach('portone', async (ref) => {
      if (ref.billingKey === 'key-0') throw new DOMException('slow', 'TimeoutError')
      return keyOf(ref)
    })
    const results = await lookupMany(refs.slice(0, 3), { signal: controller.signal })
    expect(results.map((result) => result.ok)).toEqual([false, true, true])
    const [first] = results
    if (first?.ok !== false) throw new Error('key-0 should have failed')
    expect(first.error).toBeInstanceOf(TimeoutError)
    expect(first.error.provider).toBe('portone')
  })
})
