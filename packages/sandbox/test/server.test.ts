import { loadSpec } from '@billingkey/contract'
import { describe, expect, it } from 'vitest'
import { createBootpay } from '../src/bootpay'
import { createIamport } from '../src/iamport'
import {
  DEFAULT_SEED,
  DEMO_BOOTPAY_BASIC_CREDENTIALS,
  DEMO_BOOTPAY_CREDENTIALS,
  DEMO_IAMPORT_CREDENTIALS,
  DEMO_PORTONE_CREDENTIALS,
  formatBanner,
  sampleRefs,
  startSandbox,
} from '../src/index'
import { createLedger } from '../src/ledger'
import { basicAuth, bootpayToken, call, iamportToken, useSandbox } from './helpers'

const context = useSandbox()
const [active] = sampleRefs({ counts: { iamport: { active: 1 } } }).map((s) =>
  s.ref.provider === 'iamport' ? s.ref.customerUid : '',
)

/**
 * The charge operations the specs document (issues 17 and 18) that the sandbox does not emulate
 * yet: it answers them 501. Empty these lists as the emulation lands.
 */
const NOT_YET_EMULATED: Record<'iamport' | 'bootpay', string[]> = {
  iamport: [],
  bootpay: [],
}

describe('routing', () => {
  it('answers a path outside /iamport and /bootpay with 404', async () => {
    const answer = await call(`${context.sandbox.url}/stripe/v1/charges`)
    expect(answer.status).toBe(404)
    expect(answer.body.message).toContain('/iamport')
    expect(context.sandbox.stats().unmatched).toBe(1)
  })

  it('answers an unknown path or method with 404 in the provider’s shape', async () => {
    const iamport = await call(`${context.sandbox.iamport.baseUrl}/payments/prepare`, { json: {} })
    expect(iamport.status).toBe(404)
    expect(iamport.body).toMatchObject({ code: -1, response: null })
    const wrongMethod = await call(`${context.sandbox.iamport.baseUrl}/users/getToken`)
    expect(wrongMethod.status).toBe(404)
    const bootpay = await call(`${context.sandbox.bootpay.baseUrl}/v2/request/cash_receipt`, {
      json: {},
    })
    expect(bootpay.status).toBe(404)
    expect(bootpay.body.error_code).toEqual(expect.any(String))
  })

  it('refuses a body that is not JSON, in each provider’s shape', async () => {
    const headers = { 'content-type': 'application/json' }
    const iamport = await fetch(`${context.sandbox.iamport.baseUrl}/users/getToken`, {
      method: 'POST',
      headers,
      body: '{"imp_key":',
    })
    expect(await iamport.json()).toMatchObject({ code: -1, message: '/body: is not valid JSON' })
    const bootpay = await fetch(`${context.sandbox.bootpay.baseUrl}/v2/request/token`, {
      method: 'POST',
      headers,
      body: 'imp_key',
    })
    expect(bootpay.status).toBe(400)
    expect((await bootpay.json()).error_code).toBe('INVALID_PARAMETER')
  })

  it('refuses a body over 1 MiB with 413', async () => {
    const answer = await fetch(`${context.sandbox.bootpay.baseUrl}/v2/request/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ application_id: 'x'.repeat(1024 * 1024), private_key: 'y' }),
    }).catch((error: unknown) => error)
    // The sandbox answers 413 and closes; depending on timing the client sees the answer or the close.
    if (answer instanceof Response) expect(answer.status).toBe(413)
    else expect(answer).toBeInstanceOf(TypeError)
  })

  it('emulates every operation of both specs', () => {
    const options = { seed: DEFAULT_SEED, now: Date.now }
    const emulators = {
      iamport: createIamport({
        ...options,
        data: [],
        ledger: createLedger(Date.now),
        notify: () => {},
      }),
      bootpay: createBootpay({
        ...options,
        data: { keys: [], paymentReceipts: [] },
        ledger: createLedger(Date.now),
        notify: () => {},
      }),
    }
    for (const provider of ['iamport', 'bootpay'] as const) {
      const operations = loadSpec(provider).operations.map((o) => o.operationId)
      const emulated = operations.filter((id) => !NOT_YET_EMULATED[provider].includes(id))
      expect(Object.keys(emulators[provider].handlers).sort()).toEqual(emulated.sort())
    }
  })
})

describe('statistics', () => {
  it('counts requests per operation (token calls included), per status and per fault', async () => {
    const token = await iamportToken(context.sandbox)
    await iamportToken(context.sandbox)
    for (let i = 0; i < 3; i++) {
      await call(`${context.sandbox.iamport.baseUrl}/subscribe/customers/${active}`, {
        headers: { authorization: token },
      })
    }
    await bootpayToken(context.sandbox)
    context.sandbox.setFaults([{ kind: 'rate-limit', times: 1 }])
    await call(`${context.sandbox.iamport.baseUrl}/subscribe/customers/${active}`, {
      headers: { authorization: token },
    })
    expect(context.sandbox.stats()).toEqual({
      requests: 7,
      operations: {
        iamport: { getToken: 2, getBillingKey: 4 },
        bootpay: { getAccessToken: 1 },
        portone: {},
      },
      statuses: { '200': 6, '429': 1 },
      faults: { 'rate-limit': 1 },
      unmatched: 0,
      rateLimited: {},
    })
    context.sandbox.resetStats()
    expect(context.sandbox.stats()).toMatchObject({
      requests: 0,
      operations: { iamport: {}, bootpay: {} },
    })
  })

  it('hands out snapshots, not the live counters', async () => {
    const before = context.sandbox.stats()
    await iamportToken(context.sandbox)
    expect(before.requests).toBe(0)
  })
})

describe('logging', () => {
  it('logs one line per request and never a secret', async () => {
    const iamportTokenValue = await iamportToken(context.sandbox)
    const bootpayTokenValue = await bootpayToken(context.sandbox)
    await call(`${context.sandbox.iamport.baseUrl}/subscribe/customers/logged`, {
      headers: { authorization: `Bearer ${iamportTokenValue}` },
      json: {
        card_number: '4242-4242-4242-4242',
        expiry: '2030-12',
        birth: '900101',
        pwd_2digit: '12',
      },
    })
    await call(`${context.sandbox.bootpay.baseUrl}/v2/request/subscribe/automatic-transfer`, {
      headers: { authorization: basicAuth },
      json: {
        pg: 'nicepay',
        order_name: 'x',
        subscription_id: 'x',
        username: '홍길동',
        bank_name: '국민',
        bank_account: '675123412342472',
        identity_no: '901014',
        phone: '01012341234',
      },
    })
    await call(`${context.sandbox.iamport.baseUrl}/users/getToken`, {
      json: { imp_key: 'x', imp_secret: 'leaked?' },
    })
    context.sandbox.setFaults([{ kind: 'reset', times: 1 }])
    await call(`${context.sandbox.iamport.baseUrl}/subscribe/customers/${active}?reason=x`, {
      headers: { authorization: iamportTokenValue },
    }).catch(() => undefined)

    expect(context.log).toHaveLength(6)
    expect(context.log[2]).toMatch(
      /^POST \/iamport\/subscribe\/customers\/logged → 200 issueBillingKey \(\d+ ms\)$/,
    )
    expect(context.log[5]).toMatch(/fault=reset/)
    const secrets = [
      DEMO_IAMPORT_CREDENTIALS.apiSecret,
      DEMO_BOOTPAY_CREDENTIALS.privateKey,
      DEMO_BOOTPAY_BASIC_CREDENTIALS.secretKey,
      iamportTokenValue,
      bootpayTokenValue,
      '4242',
      '900101',
      '675123412342472',
      '901014',
      'leaked?',
      basicAuth.slice(6),
    ]
    for (const line of context.log) for (const secret of secrets) expect(line).not.toContain(secret)
  })
})

describe('lifecycle', () => {
  it('prints a banner with the URLs and the demo credentials', () => {
    const banner = formatBanner(context.sandbox)
    expect(banner).toContain(context.sandbox.iamport.baseUrl)
    expect(banner).toContain(context.sandbox.bootpay.baseUrl)
    expect(banner).toContain(context.sandbox.portone.baseUrl)
    for (const value of [
      ...Object.values(DEMO_PORTONE_CREDENTIALS),
      DEMO_IAMPORT_CREDENTIALS.apiKey,
      DEMO_IAMPORT_CREDENTIALS.apiSecret,
      DEMO_BOOTPAY_CREDENTIALS.applicationId,
      DEMO_BOOTPAY_CREDENTIALS.privateKey,
      DEMO_BOOTPAY_BASIC_CREDENTIALS.clientKey,
      DEMO_BOOTPAY_BASIC_CREDENTIALS.secretKey,
    ]) {
      expect(banner).toContain(value)
    }
  })

  it('serves each provider under its prefix of one loopback URL', () => {
    expect(context.sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(context.sandbox.iamport.baseUrl).toBe(`${context.sandbox.url}/iamport`)
    expect(context.sandbox.bootpay.baseUrl).toBe(`${context.sandbox.url}/bootpay`)
    expect(context.sandbox.port).toBe(Number(context.sandbox.url.split(':')[2]))
  })

  it('stops answering once closed, even with a keep-alive connection open', async () => {
    const sandbox = await startSandbox()
    expect((await call(`${sandbox.bootpay.baseUrl}/v2/request/token`, { json: {} })).status).toBe(
      400,
    )
    await sandbox.close()
    await expect(fetch(`${sandbox.bootpay.baseUrl}/v2/request/token`)).rejects.toThrow(TypeError)
  })

  it('keeps its state per instance', async () => {
    const other = await startSandbox()
    try {
      const token = await iamportToken(context.sandbox)
      await call(`${context.sandbox.iamport.baseUrl}/subscribe/customers/${active}`, {
        method: 'DELETE',
        headers: { authorization: token },
      })
      const otherToken = await iamportToken(other)
      expect(otherToken).not.toBe(token)
      const stillThere = await call(`${other.iamport.baseUrl}/subscribe/customers/${active}`, {
        headers: { authorization: otherToken },
      })
      expect(stillThere.status).toBe(200)
    } finally {
      await other.close()
    }
  })
})
