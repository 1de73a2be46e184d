import { describe, expect, it } from 'vitest'
import { type FaultRule, sampleRefs, startSandbox } from '../src/index'
import { basicAuth, call, iamportToken, useSandbox } from './helpers'

const context = useSandbox()
const [active] = sampleRefs({ counts: { iamport: { active: 1 } } }).map((s) =>
  s.ref.provider === 'iamport' ? s.ref.customerUid : '',
)
const [receipt] = sampleRefs({ counts: { bootpay: { active: 6 } } }).flatMap((s) =>
  s.ref.provider === 'bootpay' && 'receiptId' in s.ref ? [s.ref.receiptId] : [],
)

async function lookup(token: string) {
  return fetch(`${context.sandbox.iamport.baseUrl}/subscribe/customers/${active}`, {
    headers: { authorization: token },
  })
}

describe('faults', () => {
  it('rate-limit: 429 with Retry-After, in each provider’s error shape', async () => {
    const token = await iamportToken(context.sandbox)
    context.sandbox.setFaults([{ kind: 'rate-limit', retryAfter: 7 }])
    const iamport = await lookup(token)
    expect(iamport.status).toBe(429)
    expect(iamport.headers.get('retry-after')).toBe('7')
    expect(await iamport.json()).toMatchObject({ code: -1, response: null })
    const bootpay = await call(
      `${context.sandbox.bootpay.baseUrl}/v2/subscribe/billing_key/${receipt}`,
      {
        headers: { authorization: basicAuth },
      },
    )
    expect(bootpay.status).toBe(429)
    expect(bootpay.body).toEqual({ error_code: expect.any(String), message: expect.any(String) })
  })

  it('server-error: the given 5xx status', async () => {
    const token = await iamportToken(context.sandbox)
    context.sandbox.setFaults([{ kind: 'server-error', status: 503 }])
    const answer = await lookup(token)
    expect(answer.status).toBe(503)
    expect((await answer.json()).code).toBe(-1)
  })

  it('html-502: a proxy page, not JSON', async () => {
    const token = await iamportToken(context.sandbox)
    context.sandbox.setFaults([{ kind: 'html-502' }])
    const answer = await lookup(token)
    expect(answer.status).toBe(502)
    expect(answer.headers.get('content-type')).toBe('text/html')
    expect(await answer.text()).toContain('<h1>502 Bad Gateway</h1>')
  })

  it('reset: the connection drops without an answer', async () => {
    const token = await iamportToken(context.sandbox)
    context.sandbox.setFaults([{ kind: 'reset' }])
    const failure = await lookup(token).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(TypeError)
    expect(context.sandbox.stats().faults).toEqual({ reset: 1 })
  })

  it('malformed-json: 200 with a JSON content type and a body cut short', async () => {
    const token = await iamportToken(context.sandbox)
    context.sandbox.setFaults([{ kind: 'malformed-json' }])
    const answer = await lookup(token)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toContain('application/json')
    await expect(answer.json()).rejects.toThrow(SyntaxError)
  })

  it('latency: delays the answer; the answer itself is untouched', async () => {
    const token = await iamportToken(context.sandbox)
    context.sandbox.setFaults([{ kind: 'latency', ms: 60_000, times: 1 }])
    // A client giving up long before a minute passes proves the delay without timing anything.
    const slow = await fetch(`${context.sandbox.iamport.baseUrl}/subscribe/customers/${active}`, {
      headers: { authorization: token },
      signal: AbortSignal.timeout(200),
    }).catch((error: unknown) => error)
    expect((slow as Error).name).toBe('TimeoutError')
    const next = await lookup(token)
    expect(next.status).toBe(200)
    expect(context.sandbox.stats().faults).toEqual({ latency: 1 })
  })

  it('times: faults only the first N matching requests', async () => {
    const token = await iamportToken(context.sandbox)
    context.sandbox.setFaults([{ kind: 'server-error', times: 2 }])
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await lookup(token)).status)
    expect(statuses).toEqual([500, 500, 200, 200])
  })

  it('targets a provider and an operation; the first firing rule answers', async () => {
    const token = await iamportToken(context.sandbox)
    context.sandbox.setFaults([
      { provider: 'bootpay', kind: 'reset' },
      { provider: 'iamport', operationId: 'listPayments', kind: 'server-error', status: 502 },
      { provider: 'iamport', operationId: 'getBillingKey', kind: 'rate-limit' },
      { provider: 'iamport', operationId: 'getBillingKey', kind: 'server-error' },
    ])
    expect((await lookup(token)).status).toBe(429)
    const payments = await fetch(
      `${context.sandbox.iamport.baseUrl}/subscribe/customers/${active}/payments`,
      {
        headers: { authorization: token },
      },
    )
    expect(payments.status).toBe(502)
    // getToken matches no rule.
    expect(await iamportToken(context.sandbox)).toBe(token)
  })

  it('applies to token calls too when no operation is named', async () => {
    context.sandbox.setFaults([{ provider: 'iamport', kind: 'server-error', times: 1 }])
    const answer = await call(`${context.sandbox.iamport.baseUrl}/users/getToken`, {
      json: { imp_key: 'sandbox_imp_key', imp_secret: 'sandbox_imp_secret' },
    })
    expect(answer.status).toBe(500)
    expect(context.sandbox.stats().operations.iamport).toEqual({ getToken: 1 })
  })

  it('rate: a seed replays the same faults; another seed draws others', async () => {
    const outcomes = async (seed: number) => {
      const sandbox = await startSandbox({ seed, faults: [{ kind: 'server-error', rate: 0.5 }] })
      try {
        const statuses = []
        for (let i = 0; i < 40; i++) {
          const answer = await fetch(`${sandbox.bootpay.baseUrl}/v2/request/token`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ application_id: 'x', private_key: 'y' }),
          })
          statuses.push(answer.status)
        }
        return statuses
      } finally {
        await sandbox.close()
      }
    }
    const first = await outcomes(1)
    expect(await outcomes(1)).toEqual(first)
    expect(await outcomes(2)).not.toEqual(first)
    const faulted = first.filter((status) => status === 500).length
    expect(faulted).toBeGreaterThan(5)
    expect(faulted).toBeLessThan(35)
  })

  it('setFaults restarts the draws and the times counters', async () => {
    const token = await iamportToken(context.sandbox)
    const rules: FaultRule[] = [{ kind: 'server-error', rate: 0.5, times: 3 }]
    const run = async () => {
      context.sandbox.setFaults(rules)
      const statuses = []
      for (let i = 0; i < 12; i++) statuses.push((await lookup(token)).status)
      return statuses
    }
    const first = await run()
    expect(first.filter((s) => s === 500)).toHaveLength(3)
    expect(await run()).toEqual(first)
    context.sandbox.setFaults([])
    expect((await lookup(token)).status).toBe(200)
  })

  it.each([
    [{ kind: 'teapot' }, /kind must be one of/],
    [{ kind: 'reset', provider: 'stripe' }, /provider/],
    [{ kind: 'reset', operationId: 'chargeCard' }, /unknown operationId chargeCard/],
    [{ kind: 'reset', provider: 'iamport', operationId: 'getAccessToken' }, /unknown operationId/],
    [{ kind: 'reset', rate: 1.5 }, /rate/],
    [{ kind: 'server-error', status: 404 }, /status/],
    [{ kind: 'latency', ms: -1 }, /ms/],
    [{ kind: 'reset', times: 1.5 }, /times/],
  ])('refuses the rule %j', (rule, message) => {
    expect(() => context.sandbox.setFaults([rule as FaultRule])).toThrow(message)
  })
})
