import {
  AbortError,
  BillingKeyExpiredError,
  type BootpayRef,
  NotFoundError,
  ValidationError,
} from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { createBootpayAdapter, createBootpayClient, NotBillingKeyReceiptError } from '../src/index'
import { bootpay, credentials, fixtureBody, json } from './helpers'

const byReceipt = fixtureBody('getBillingKeyByReceipt-200-card')
const byKey = fixtureBody('getBillingKey-200-bank')

/** Answers lookups by the id in the path: `expired-*` and `plain-*` fail, others succeed. */
const answer = (pathname: string) => {
  const id = decodeURIComponent(pathname.split('/').pop() ?? '')
  if (id.startsWith('expired'))
    return json({ error_code: 'SUBSCRIBE_BK_EXPIRED', message: 'expired' }, 400)
  if (id.startsWith('plain')) return json({ error_code: 'RC_NOT_SUBSCRIBE', message: 'no' }, 400)
  return json(pathname.startsWith('/v2/billing_key/') ? byKey : byReceipt)
}

describe('createBootpayAdapter: lookup', () => {
  it('looks a receipt id up by receipt and a billing key by key', async () => {
    const { fetch, apiCalls } = bootpay((call) => answer(call.url.pathname))
    const billingKeys = createBootpayAdapter(createBootpayClient({ ...credentials, fetch }))
    const receiptRef: BootpayRef = { provider: 'bootpay', receiptId: 'r1' }
    const keyRef: BootpayRef = { provider: 'bootpay', billingKey: 'k1' }
    expect(billingKeys.provider).toBe('bootpay')
    await expect(billingKeys.lookup(receiptRef)).resolves.toMatchObject({
      ref: receiptRef,
      method: 'card',
      raw: byReceipt,
    })
    await expect(billingKeys.lookup(keyRef)).resolves.toMatchObject({
      ref: keyRef,
      method: 'bank',
      raw: byKey,
    })
    expect(apiCalls().map((call) => call.url.pathname)).toEqual([
      '/v2/subscribe/billing_key/r1',
      '/v2/billing_key/k1',
    ])
  })

  it('throws the typed error of a failed lookup', async () => {
    const { fetch } = bootpay((call) => answer(call.url.pathname))
    const billingKeys = createBootpayAdapter(createBootpayClient({ ...credentials, fetch }))
    await expect(
      billingKeys.lookup({ provider: 'bootpay', billingKey: 'expired-1' }),
    ).rejects.toBeInstanceOf(BillingKeyExpiredError)
  })
})

describe('createBootpayAdapter: lookupMany', () => {
  it('answers each ref in order, failures included, and reports progress', async () => {
    const { fetch } = bootpay((call) => answer(call.url.pathname))
    const billingKeys = createBootpayAdapter(createBootpayClient({ ...credentials, fetch }))
    const refs: BootpayRef[] = [
      { provider: 'bootpay', receiptId: 'r1' },
      { provider: 'bootpay', billingKey: 'expired-1' },
      { provider: 'bootpay', receiptId: 'plain-1' },
      { provider: 'bootpay', billingKey: '..' },
      { provider: 'bootpay', billingKey: 'k1' },
    ]
    const settled: number[] = []
    const results = await billingKeys.lookupMany(refs, {
      concurrency: 2,
      onSettled: (count) => settled.push(count),
    })
    expect(results.map((result) => result.ref)).toEqual(refs)
    expect(results.map((result) => result.ok)).toEqual([true, false, false, false, true])
    const errors = results.map((result) => (result.ok ? undefined : result.error))
    expect(errors[1]).toBeInstanceOf(BillingKeyExpiredError)
    expect(errors[2]).toBeInstanceOf(NotBillingKeyReceiptError)
    expect(errors[2]).toBeInstanceOf(NotFoundError)
    expect(errors[3]).toBeInstanceOf(ValidationError)
    expect(settled).toEqual([1, 1, 1, 1, 1])
  })

  it.each([
    [2, 2],
    [undefined, 8],
  ])('keeps at most %s lookups in flight (max %i)', async (concurrency, max) => {
    let inFlight = 0
    let peak = 0
    const { fetch } = bootpay(async (call) => {
      peak = Math.max(peak, ++inFlight)
      // Yield to the event loop so every worker that can start does so before this one answers.
      await new Promise((resolve) => setTimeout(resolve, 0))
      inFlight--
      return answer(call.url.pathname)
    })
    const billingKeys = createBootpayAdapter(createBootpayClient({ ...credentials, fetch }))
    const refs = Array.from({ length: 12 }, (_, i) => ({
      provider: 'bootpay' as const,
      billingKey: `k${i}`,
    }))
    const results = await billingKeys.lookupMany(refs, { concurrency })
    expect(results.every((result) => result.ok)).toBe(true)
    expect(peak).toBe(max)
  })

  it('rejects with AbortError on abort and starts no further lookup', async () => {
    const controller = new AbortController()
    const { fetch, apiCalls } = bootpay((call) => answer(call.url.pathname))
    const billingKeys = createBootpayAdapter(createBootpayClient({ ...credentials, fetch }))
    const refs = ['k1', 'k2', 'k3'].map((billingKey) => ({
      provider: 'bootpay' as const,
      billingKey,
    }))
    const run = billingKeys.lookupMany(refs, {
      concurrency: 1,
      signal: controller.signal,
      onSettled: () => controller.abort(),
    })
    await expect(run).rejects.toBeInstanceOf(AbortError)
    expect(apiCalls()).toHaveLength(1)
  })

  it('answers an empty list with an empty list, without a request', async () => {
    const { fetch, calls } = bootpay(() => json({}))
    const billingKeys = createBootpayAdapter(createBootpayClient({ ...credentials, fetch }))
    await expect(billingKeys.lookupMany([])).resolves.toEqual([])
    expect(calls).toHaveLength(0)
  })
})
