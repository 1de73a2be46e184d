// The in-process fetch: the sandbox's request handler without a socket, for the clients' tests
// and users' own. It must answer as the sandbox does over HTTP: same state, faults and checks.
import { createBootpayClient } from '@billingkey/bootpay'
import { ConnectionError, createIamportClient, NotFoundError } from '@billingkey/iamport'
import { describe, expect, it } from 'vitest'
import { createSandbox, sampleRefs, startSandbox } from '../src/index'
import { START } from './helpers'

const samples = sampleRefs({
  counts: { iamport: { active: 1, unknown: 1 }, bootpay: { active: 2 } },
})
const uids = samples.flatMap((s) =>
  'customerUid' in s.ref ? [[s.category, s.ref.customerUid]] : [],
)
const active = Object.fromEntries(uids).active as string
const unknown = Object.fromEntries(uids).unknown as string
const receipt = samples.flatMap((s) => ('receiptId' in s.ref ? [s.ref.receiptId] : []))[0] as string

function inProcess() {
  const sandbox = createSandbox({ validateResponses: true, now: () => START + 60_000 })
  const iamport = createIamportClient({
    ...sandbox.credentials.iamport,
    baseUrl: sandbox.iamport.baseUrl,
    fetch: sandbox.fetch,
    maxRetries: 0,
  })
  return { sandbox, iamport }
}

describe('createSandbox().fetch', () => {
  it('serves the provider clients without a port: lookups, errors, counters, contract checks', async () => {
    const { sandbox, iamport } = inProcess()
    expect(sandbox.iamport.baseUrl).toBe('http://sandbox.invalid/iamport')
    expect((await iamport.getBillingKey(active)).customer_uid).toBe(active)
    await expect(iamport.getBillingKey(unknown)).rejects.toBeInstanceOf(NotFoundError)
    const bootpay = createBootpayClient({
      ...sandbox.credentials.bootpay,
      baseUrl: sandbox.bootpay.baseUrl,
      fetch: sandbox.fetch,
    })
    expect((await bootpay.getBillingKeyByReceipt(receipt)).receipt_id).toBe(receipt)
    const stats = sandbox.stats()
    expect(stats.operations).toEqual({
      iamport: { getToken: 1, getBillingKey: 2 },
      bootpay: { getAccessToken: 1, getBillingKeyByReceipt: 1 },
      portone: {},
    })
    expect(stats.statuses).toEqual({ '200': 4, '404': 1 })
    expect(sandbox.violations).toEqual([])
  })

  it('reads JSON and form bodies, and routes by path whatever the origin', async () => {
    const { sandbox } = inProcess()
    const { apiKey, apiSecret } = sandbox.credentials.iamport
    const form = await sandbox.fetch('https://api.iamport.kr/iamport/users/getToken', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ imp_key: apiKey, imp_secret: apiSecret }),
    })
    expect(form.status).toBe(200)
    expect((await form.json()).response.access_token).toEqual(expect.any(String))
    const refused = await sandbox.fetch(`${sandbox.iamport.baseUrl}/users/getToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imp_key: apiKey, imp_secret: 'wrong' }),
    })
    expect(refused.status).toBe(401)
    const elsewhere = await sandbox.fetch('http://sandbox.invalid/stripe/v1/charges')
    expect(elsewhere.status).toBe(404)
    expect(sandbox.stats().unmatched).toBe(1)
  })

  it('answers faults as over a socket; a reset rejects the fetch like a dropped connection', async () => {
    const { sandbox, iamport } = inProcess()
    const { apiKey, apiSecret } = sandbox.credentials.iamport
    const token = await sandbox.fetch(`${sandbox.iamport.baseUrl}/users/getToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imp_key: apiKey, imp_secret: apiSecret }),
    })
    const authorization = (await token.json()).response.access_token as string
    const lookup = () =>
      sandbox.fetch(`${sandbox.iamport.baseUrl}/subscribe/customers/${active}`, {
        headers: { authorization },
      })

    sandbox.setFaults([{ kind: 'rate-limit', retryAfter: 7, times: 1 }])
    const limited = await lookup()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('7')

    sandbox.setFaults([{ kind: 'html-502', times: 1 }])
    const proxy = await lookup()
    expect(proxy.headers.get('content-type')).toBe('text/html')
    expect(await proxy.text()).toContain('<h1>502 Bad Gateway</h1>')

    sandbox.setFaults([{ kind: 'malformed-json', times: 1 }])
    await expect((await lookup()).json()).rejects.toThrow(SyntaxError)

    sandbox.setFaults([{ kind: 'reset', times: 2 }])
    const failure = (await lookup().catch((error: unknown) => error)) as TypeError
    expect(failure).toBeInstanceOf(TypeError)
    expect((failure.cause as { code?: string }).code).toBe('ECONNRESET')
    await expect(iamport.getBillingKey(active)).rejects.toBeInstanceOf(ConnectionError)
    expect(sandbox.stats().faults).toEqual({
      'rate-limit': 1,
      'html-502': 1,
      'malformed-json': 1,
      reset: 2,
    })
    expect((await lookup()).status).toBe(200)
  })

  it("stops at the caller's signal during a latency fault; the next answer is untouched", async () => {
    const { sandbox, iamport } = inProcess()
    sandbox.setFaults([{ kind: 'latency', ms: 60_000, times: 1 }])
    const slow = await sandbox
      .fetch(`${sandbox.iamport.baseUrl}/users/getToken`, {
        method: 'POST',
        signal: AbortSignal.timeout(50),
      })
      .catch((error: unknown) => error)
    expect((slow as Error).name).toBe('TimeoutError')
    const aborted = new AbortController()
    aborted.abort()
    await expect(
      sandbox.fetch(`${sandbox.iamport.baseUrl}/users/getToken`, { signal: aborted.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect((await iamport.getBillingKey(active)).customer_uid).toBe(active)
  })

  it('shares its state with the socket of a started sandbox', async () => {
    const sandbox = await startSandbox({ now: () => START })
    try {
      const overHttp = createIamportClient({
        ...sandbox.credentials.iamport,
        baseUrl: sandbox.iamport.baseUrl,
      })
      const inProcess = createIamportClient({
        ...sandbox.credentials.iamport,
        baseUrl: sandbox.iamport.baseUrl,
        fetch: sandbox.fetch,
      })
      const card = { card_number: '4242-4242-4242-4242', expiry: '2039-12', birth: '900101' }
      await overHttp.issueBillingKey('issued_over_http', card)
      expect((await inProcess.getBillingKey('issued_over_http')).customer_uid).toBe(
        'issued_over_http',
      )
      await inProcess.deleteBillingKey('issued_over_http')
      await expect(overHttp.getBillingKey('issued_over_http')).rejects.toBeInstanceOf(NotFoundError)
      expect(sandbox.stats().operations.iamport).toMatchObject({
        issueBillingKey: 1,
        getBillingKey: 2,
        deleteBillingKey: 1,
      })
    } finally {
      await sandbox.close()
    }
  })
})
