import { createBootpayClient } from '@billingkey/bootpay'
import { type Sandbox, sampleRefs, startSandbox } from '@billingkey/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProvider } from './fake-provider'
import { cli, sandboxEnv } from './helpers'

// iamport: a fake answers with the spec's shapes (and records what was sent). Bootpay and PortOne:
// a running sandbox holds the payments, charged through its API.
const SECRET = 'imp-secret-do-not-leak'
let fake: Awaited<ReturnType<typeof startFakeProvider>>
let env: Record<string, string>

beforeAll(async () => {
  fake = await startFakeProvider()
  env = {
    IAMPORT_API_KEY: 'imp-key',
    IAMPORT_API_SECRET: SECRET,
    IAMPORT_BASE_URL: fake.iamportBaseUrl,
  }
})
afterAll(() => fake?.close())

describe('payment iamport <merchant_uid>', () => {
  it('prints a paid payment as a table, exit 0', async () => {
    const { code, stdout, stderr } = await cli(['payment', 'iamport', 'order-1'], { env })
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('iamport merchant_uid=order-1: paid\n')
    expect(stdout).toMatch(/^ {2}amount {8}1000 KRW$/m)
    expect(stdout).toMatch(/^ {2}paid {10}\d{4}-\d\d-\d\dT/m)
    expect(stdout).toMatch(/^ {2}imp_uid {7}imps_157956638714$/m)
    expect(fake.requests.at(-1)?.path).toBe('/iamport/payments/find/order-1')
  })

  it('--format json: a failed payment with its reason and times, exit 0', async () => {
    const { code, stdout } = await cli(['payment', 'iamport', 'failed-1', '--format', 'json'], {
      env,
    })
    expect(code).toBe(0)
    const payment = JSON.parse(stdout)
    expect(payment).toMatchObject({
      provider: 'iamport',
      orderId: 'failed-1',
      paymentId: 'imps_157956638714',
      status: 'failed',
      amount: 1000,
      currency: 'KRW',
      paidAt: null,
      failedAt: new Date(1700000000 * 1000).toISOString(),
      failure: { code: null, reason: '[F113] 카드 잔액이 부족합니다' },
    })
    expect(payment).not.toHaveProperty('raw')
  })

  it('exit 1 when iamport holds no payment for the order', async () => {
    const { code, stdout, stderr } = await cli(['payment', 'iamport', 'missing-1', '-f', 'json'], {
      env,
    })
    expect(code).toBe(1)
    expect(stdout).toBe('null\n')
    expect(stderr).toBe('billingkey payment: iamport holds no payment for merchant_uid=missing-1\n')
  })

  it.each([
    [['payment'], 'which provider? iamport, bootpay or portone'],
    [
      ['payment', 'stripe', 'order-1'],
      'unknown provider "stripe" (payment supports iamport, bootpay and portone)',
    ],
    [['payment', 'portone'], 'give the paymentId of the order'],
    [['payment', 'iamport'], 'give the merchant_uid of the order'],
    [['payment', 'iamport', 'a', 'b'], 'give one merchant_uid'],
    [['payment', 'iamport', '..'], 'merchantUid must not contain "." or ".." segments'],
  ])('exit 2 before any request on bad input: %j', async (args, message) => {
    const before = fake.requests.length
    const { code, stderr } = await cli(args, { env })
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(fake.requests.length).toBe(before)
  })

  it('with other credentials but no iamport ones, says what to set (exit 2)', async () => {
    const { code, stderr } = await cli(['payment', 'iamport', 'order-1'], {
      env: { PORTONE_API_SECRET: 's' },
    })
    expect(code).toBe(2)
    expect(stderr).toContain(
      'iamport is not configured: set IAMPORT_API_KEY and IAMPORT_API_SECRET',
    )
  })

  it('against the embedded sandbox: an order it holds no payment for is exit 1', async () => {
    const { code, stderr } = await cli(['payment', 'iamport', 'order-1'])
    expect(code).toBe(1)
    expect(stderr).toContain('using the embedded sandbox')
    expect(stderr).toContain('iamport holds no payment for merchant_uid=order-1')
  })

  it('never prints the secret, even with --verbose', async () => {
    const { stdout, stderr } = await cli(['payment', 'iamport', 'order-1', '--verbose'], { env })
    expect(stderr).toContain('[debug]')
    expect(`${stdout}${stderr}`).not.toContain(SECRET)
  })
})

describe('payment bootpay <order_id>', () => {
  // A running sandbox holds the payments: charged here, looked up by the CLI over BOOTPAY_* env.
  let sandbox: Sandbox
  let bootpayEnv: Record<string, string>
  let receiptId: string
  beforeAll(async () => {
    sandbox = await startSandbox()
    const all = sandboxEnv(sandbox)
    bootpayEnv = Object.fromEntries(
      Object.entries(all).filter(([name]) => name.startsWith('BOOTPAY_')),
    )
    const client = createBootpayClient({
      ...sandbox.credentials.bootpay,
      baseUrl: sandbox.bootpay.baseUrl,
    })
    const [billingKey] = sampleRefs({ counts: { bootpay: { active: 8 } } }).flatMap((r) =>
      'billingKey' in r.ref ? [r.ref.billingKey] : [],
    )
    const charge = (orderId: string, price: number) =>
      client.chargeBillingKey({
        billingKey: billingKey as string,
        orderId,
        price,
        orderName: 'cli',
      })
    const paid = await charge('bp-order-1', 1000)
    if (paid.outcome !== 'paid') throw new Error(`setup: ${paid.outcome}`)
    receiptId = paid.payment.paymentId as string
    await client.cancelPayment({ receiptId, cancelId: 'bp-order-1-c1', price: 300, reason: 'r' })
    await charge('bp-declined-1', 4001)
  })
  afterAll(() => sandbox?.close())

  it('prints a partly cancelled payment as a table, exit 0', async () => {
    const { code, stdout, stderr } = await cli(['payment', 'bootpay', 'bp-order-1'], {
      env: bootpayEnv,
    })
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('bootpay order_id=bp-order-1: partially_cancelled\n')
    expect(stdout).toMatch(/^ {2}amount {8}1000 KRW$/m)
    expect(stdout).toMatch(/^ {2}cancelled {5}300 KRW$/m)
    expect(stdout).toMatch(/^ {2}paid {10}\d{4}-\d\d-\d\dT/m)
    expect(stdout).toContain(`  receipt_id    ${receiptId}\n`)
  })

  it('--format json: a declined payment, exit 0', async () => {
    const { code, stdout } = await cli(['payment', 'bootpay', 'bp-declined-1', '-f', 'json'], {
      env: bootpayEnv,
    })
    expect(code).toBe(0)
    const payment = JSON.parse(stdout)
    expect(payment).toMatchObject({
      provider: 'bootpay',
      orderId: 'bp-declined-1',
      status: 'failed',
      amount: 4001,
      paidAt: null,
    })
    expect(payment).not.toHaveProperty('raw')
  })

  it('exit 1 when Bootpay holds no payment for the order, here and in the embedded sandbox', async () => {
    const { code, stdout, stderr } = await cli(['payment', 'bootpay', 'bp-missing', '-f', 'json'], {
      env: bootpayEnv,
    })
    expect(code).toBe(1)
    expect(stdout).toBe('null\n')
    expect(stderr).toBe('billingkey payment: Bootpay holds no payment for order_id=bp-missing\n')
    const embedded = await cli(['payment', 'bootpay', 'bp-order-1'])
    expect(embedded.code).toBe(1)
    expect(embedded.stderr).toContain('using the embedded sandbox')
  })

  it.each([
    [['payment', 'bootpay'], 'give the order_id of the order'],
    [['payment', 'bootpay', 'a', 'b'], 'give one order_id'],
    [['payment', 'bootpay', '..'], 'orderId must not contain "." or ".." segments'],
  ])('exit 2 before any request on bad input: %j', async (args, message) => {
    sandbox.resetStats()
    const { code, stderr } = await cli(args, { env: bootpayEnv })
    expect(code).toBe(2)
    expect(stderr).toContain(message)
    expect(sandbox.stats().requests).toBe(0)
  })

  it('--help shows every provider and its order key', async () => {
    const { code, stdout } = await cli(['payment', '--help'])
    expect(code).toBe(0)
    expect(stdout).toContain(
      'billingkey payment iamport <merchant_uid> | bootpay <order_id> | portone <paymentId>',
    )
    expect(stdout).toContain('billingkey payment bootpay order_20260301_0001 --format json')
  })

  it('with other credentials but no Bootpay ones, says what to set (exit 2)', async () => {
    const { code, stderr } = await cli(['payment', 'bootpay', 'bp-order-1'], {
      env: { IAMPORT_API_KEY: 'k', IAMPORT_API_SECRET: 's' },
    })
    expect(code).toBe(2)
    expect(stderr).toContain('bootpay is not configured: set BOOTPAY_APPLICATION_ID')
  })
})

describe('payment portone <paymentId>', () => {
  let sandbox: Sandbox
  let portoneEnv: Record<string, string>
  beforeAll(async () => {
    sandbox = await startSandbox()
    portoneEnv = {
      PORTONE_API_SECRET: sandbox.credentials.portone.apiSecret,
      PORTONE_BASE_URL: sandbox.portone.baseUrl,
    }
    const { items } = await (
      await fetch(`${sandbox.portone.baseUrl}/billing-keys`, {
        headers: { authorization: `PortOne ${sandbox.credentials.portone.apiSecret}` },
      })
    ).json()
    const billingKey = items.find((k: { status: string }) => k.status === 'ISSUED').billingKey
    for (const [paymentId, total] of [
      ['order-p1', 9900],
      ['order-d1', 4001],
    ] as const) {
      await fetch(`${sandbox.portone.baseUrl}/payments/${paymentId}/billing-key`, {
        method: 'POST',
        headers: {
          authorization: `PortOne ${sandbox.credentials.portone.apiSecret}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ billingKey, orderName: '월간', amount: { total }, currency: 'KRW' }),
      })
    }
  })
  afterAll(() => sandbox?.close())

  it('prints a paid payment with its transactionId, exit 0', async () => {
    const { code, stdout, stderr } = await cli(['payment', 'portone', 'order-p1'], {
      env: portoneEnv,
    })
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('portone paymentId=order-p1: paid\n')
    expect(stdout).toMatch(/^ {2}amount {8}9900 KRW$/m)
    expect(stdout).toMatch(/^ {2}transactionId {1}[0-9a-f-]{36}$/m)
  })

  it('a declined payment is failed with the PG code (json), exit 0', async () => {
    const { code, stdout } = await cli(['payment', 'portone', 'order-d1', '-f', 'json'], {
      env: portoneEnv,
    })
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toMatchObject({
      provider: 'portone',
      orderId: 'order-d1',
      status: 'failed',
      failure: { code: 'F001' },
    })
  })

  it('no payment is exit 1; with no credentials at all the embedded sandbox answers', async () => {
    const missing = await cli(['payment', 'portone', 'order-none'], { env: portoneEnv })
    expect(missing.code).toBe(1)
    expect(missing.stderr).toBe(
      'billingkey payment: PortOne V2 holds no payment for paymentId=order-none\n',
    )
    const embedded = await cli(['payment', 'portone', 'order-p1'])
    expect(embedded.code).toBe(1)
    expect(embedded.stderr).toContain('using the embedded sandbox')
  })

  it('with iamport credentials only, portone is not configured (exit 2)', async () => {
    const { code, stderr } = await cli(['payment', 'portone', 'order-p1'], { env })
    expect(code).toBe(2)
    expect(stderr).toContain('portone is not configured: set PORTONE_API_SECRET')
  })
})
