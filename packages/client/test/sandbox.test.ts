// The facade over the sandbox, in process: the sample's categories must come out as the counts
// they promise, with and without faults the clients retry.
import { DEFAULT_SAMPLE_COUNTS, sampleRefs } from '@billingkey/sandbox'
import { describe, expect, test } from 'vitest'
import { createBillingKeys } from '../src/index'
import { sandboxProviders } from './setup'

describe('createBillingKeys against the sandbox', () => {
  // The default sample has no PortOne refs; the facade here has no PortOne adapter.
  const sample = sampleRefs().flatMap((s) => (s.ref.provider === 'portone' ? [] : [s.ref]))
  const { iamport: i, bootpay: b } = DEFAULT_SAMPLE_COUNTS
  // What each category of the sample means to an audit (see the facts and the facade's README).
  const expected = {
    active: i.active + b.active,
    expiring: b.expiring,
    expiresBeforeCharge: 0,
    expired: b.expired + b.deleted, // SUBSCRIBE_BK_EXPIRED does not say which of the two it was
    deleted: 0,
    notFound: i.deleted + i.unknown + b.unknown + b.notBilling,
    error: 0,
  }

  test('audits the sample refs into the counts their categories promise', async () => {
    const { iamport, bootpay, sandbox } = sandboxProviders({ sandbox: { validateResponses: true } })
    const report = await createBillingKeys({ iamport, bootpay }).audit(sample)
    expect(report.total).toBe(sample.length)
    expect(report.counts).toEqual(expected)
    expect(sandbox.violations).toEqual([])
  }, 30_000)

  test('gives the same audit through faults, retried by the clients', async () => {
    const { iamport, bootpay, sandbox } = sandboxProviders({ maxRetries: 5 })
    sandbox.setFaults([
      { kind: 'server-error', times: 2 },
      { kind: 'reset', times: 1 },
      { kind: 'rate-limit', retryAfter: 0, times: 1 },
      { kind: 'html-502', times: 1 },
    ])
    // Five faults in all: a call that met every one of them still has an attempt left.
    const report = await createBillingKeys({ iamport, bootpay }).audit(sample)
    expect(report.counts).toEqual(expected)
    expect(sandbox.stats().faults).toEqual({
      'server-error': 2,
      reset: 1,
      'rate-limit': 1,
      'html-502': 1,
    })
    // Backoff sleeps are real (the clients own them): up to 0.5 + 1 + 2 + 4 + 8 s for one call.
  }, 60_000)
})
