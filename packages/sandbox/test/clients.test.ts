import { createRequire } from 'node:module'
import {
  BillingKeyExpiredError,
  createBootpayClient,
  NotBillingKeyReceiptError,
} from '@billingkey/bootpay'
import {
  createIamportClient,
  NotFoundError,
  RejectedError,
  ResponseError,
  ServerError,
} from '@billingkey/iamport'
import { describe, expect, it } from 'vitest'
import { type SandboxRef, sampleRefs } from '../src/index'
import { MINUTE, useSandbox } from './helpers'

// The clients judge expiry and token lifetimes on the real clock, so the sandbox starts there.
const context = useSandbox({ start: () => Date.now() })

const refs = sampleRefs({
  counts: {
    iamport: { active: 3, deleted: 1, unknown: 1 },
    bootpay: { active: 6, expired: 2, deleted: 2, unknown: 2, notBilling: 1 },
  },
})
const pick = (provider: 'iamport' | 'bootpay', category: string) =>
  refs.filter((r) => r.ref.provider === provider && r.category === category).map((r) => r.ref)
const uid = (ref: SandboxRef | undefined) => (ref as { customerUid: string }).customerUid
const [active, otherActive, thirdActive] = pick('iamport', 'active').map(uid) as [
  string,
  string,
  string,
]
const [deleted] = pick('iamport', 'deleted').map(uid) as [string]
const [unknown] = pick('iamport', 'unknown').map(uid) as [string]
const receipts = (category: string) =>
  pick('bootpay', category).flatMap((ref) => ('receiptId' in ref ? [ref.receiptId] : []))
const billingKeys = (category: string) =>
  pick('bootpay', category).flatMap((ref) => ('billingKey' in ref ? [ref.billingKey] : []))

const iamport = (options: { maxRetries?: number } = {}) =>
  createIamportClient({
    ...context.sandbox.credentials.iamport,
    baseUrl: context.sandbox.iamport.baseUrl,
    ...options,
  })
const bootpay = (options: { maxRetries?: number } = {}) =>
  createBootpayClient({
    ...context.sandbox.credentials.bootpay,
    baseUrl: context.sandbox.bootpay.baseUrl,
    ...options,
  })
const card = {
  card_number: '4242-4242-4242-4242',
  expiry: '2039-12',
  birth: '900101',
  pwd_2digit: '12',
}

describe('@billingkey/iamport against the sandbox', () => {
  it('looks keys up one by one and in a batch (207), and reports the missing', async () => {
    const client = iamport()
    expect((await client.getBillingKey(active)).customer_uid).toBe(active)
    await expect(client.getBillingKey(deleted)).rejects.toThrow(NotFoundError)
    await expect(client.getBillingKey(unknown)).rejects.toThrow(NotFoundError)
    const { found, missing } = await client.getBillingKeys([active, unknown, otherActive, deleted])
    expect(found.map((k) => k.customer_uid)).toEqual([active, otherActive])
    expect(missing).toEqual([unknown, deleted])
    expect(await client.getBillingKeys([unknown])).toEqual({ found: [], missing: [unknown] })
  })

  it('issues, refuses a bad card, lists, and deletes', async () => {
    const client = iamport()
    const issued = await client.issueBillingKey('e2e_customer', { ...card, pg: 'nice' })
    expect(issued).toMatchObject({ customer_uid: 'e2e_customer', card_number: '42424242****4242' })
    expect(await client.getBillingKey('e2e_customer')).toEqual(issued)
    await expect(
      client.issueBillingKey('e2e_bad', { ...card, card_number: '1234-1234-1234-1234' }),
    ).rejects.toThrow(RejectedError)
    const payments = await client.listPayments(active)
    expect(payments.total).toBeGreaterThan(0)
    const now = Date.now()
    const schedules = await client.listSchedules(active, {
      from: new Date(now - 60 * 86_400_000),
      to: new Date(now + 31 * 86_400_000),
    })
    expect(schedules).toHaveProperty('total')
    await client.deleteBillingKey('e2e_customer', { reason: 'e2e' })
    await expect(client.getBillingKey('e2e_customer')).rejects.toThrow(NotFoundError)
  })

  it('asks for one token however many calls run at once', async () => {
    const client = iamport()
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        client.getBillingKey([active, otherActive, thirdActive][i % 3] as string),
      ),
    )
    expect(context.sandbox.stats().operations.iamport).toEqual({ getToken: 1, getBillingKey: 24 })
  })

  it('replays once with a new token when the sandbox says the token expired', async () => {
    const client = iamport()
    await client.getBillingKey(active)
    // Only the server's clock moves: the client still trusts its token and meets a 401.
    context.clock.now += 31 * MINUTE
    expect((await client.getBillingKey(active)).customer_uid).toBe(active)
    const { operations, statuses } = context.sandbox.stats()
    expect(operations.iamport).toEqual({ getToken: 2, getBillingKey: 3 })
    expect(statuses['401']).toBe(1)
  })

  it('retries idempotent calls through faults, never an issue request', async () => {
    const client = iamport({ maxRetries: 3 })
    await client.getToken()
    context.sandbox.setFaults([
      { operationId: 'getBillingKey', kind: 'rate-limit', retryAfter: 0, times: 1 },
      { operationId: 'getBillingKey', kind: 'reset', times: 1 },
      { operationId: 'getBillingKey', kind: 'server-error', status: 503, times: 1 },
      { operationId: 'issueBillingKey', kind: 'server-error', times: 1 },
    ])
    expect((await client.getBillingKey(active)).customer_uid).toBe(active)
    expect(context.sandbox.stats().operations.iamport.getBillingKey).toBe(4)
    await expect(client.issueBillingKey('never_twice', card)).rejects.toThrow(ServerError)
    expect(context.sandbox.stats().operations.iamport.issueBillingKey).toBe(1)
  }, 30_000)

  it('reports an HTML 502 as a ServerError and malformed JSON as a ResponseError', async () => {
    const client = iamport({ maxRetries: 0 })
    await client.getToken()
    context.sandbox.setFaults([
      { kind: 'html-502', times: 1 },
      { kind: 'malformed-json', times: 1 },
    ])
    const html = await client.getBillingKey(active).catch((error: unknown) => error)
    expect(html).toBeInstanceOf(ServerError)
    expect((html as ServerError).status).toBe(502)
    await expect(client.getBillingKey(active)).rejects.toThrow(ResponseError)
  })
})

describe('@billingkey/bootpay against the sandbox', () => {
  it('looks keys up by receipt and by key, with the documented errors', async () => {
    const client = bootpay()
    // The sample has both kinds of ref, so no loop below is empty.
    expect(receipts('active').length * billingKeys('active').length).toBeGreaterThan(0)
    expect(receipts('deleted').length + billingKeys('deleted').length).toBe(2)
    for (const receiptId of receipts('active')) {
      expect((await client.getBillingKeyByReceipt(receiptId)).status).toBe(11)
    }
    for (const billingKey of billingKeys('active')) {
      expect((await client.getBillingKey(billingKey)).status).toBe(1)
    }
    for (const receiptId of receipts('deleted')) {
      await expect(client.getBillingKeyByReceipt(receiptId)).rejects.toThrow(BillingKeyExpiredError)
    }
    for (const billingKey of billingKeys('deleted')) {
      await expect(client.getBillingKey(billingKey)).rejects.toThrow(BillingKeyExpiredError)
    }
    await expect(
      client.getBillingKeyByReceipt(receipts('notBilling')[0] as string),
    ).rejects.toThrow(NotBillingKeyReceiptError)
    await expect(client.getBillingKeyByReceipt('000000000000000000000000')).rejects.toThrow(
      NotFoundError,
    )
  })

  it('issues a card key, deletes it, and then finds it expired', async () => {
    const client = bootpay()
    const issued = await client.issueCardBillingKey({
      pg: 'nicepay',
      order_name: 'e2e',
      subscription_id: 'e2e_sub',
      card_no: '4242424242424242',
      card_pw: '12',
      card_identity_no: '900101',
      card_expire_year: '39',
      card_expire_month: '12',
    })
    expect((await client.getBillingKey(issued.billing_key)).billing_key).toBe(issued.billing_key)
    expect(await client.deleteBillingKey(issued.billing_key)).toEqual({
      billing_key: issued.billing_key,
    })
    await expect(client.getBillingKeyByReceipt(issued.receipt_id)).rejects.toThrow(
      BillingKeyExpiredError,
    )
    await expect(client.deleteBillingKey(issued.billing_key)).rejects.toThrow(
      BillingKeyExpiredError,
    )
  })

  it('takes a bank key through both steps', async () => {
    const client = bootpay()
    const requested = await client.requestBankBillingKey({
      pg: 'nicepay',
      order_name: 'e2e',
      subscription_id: 'e2e_bank',
      username: '홍길동',
      bank_name: '국민',
      bank_account: '675123412342472',
      identity_no: '901014',
      phone: '01012341234',
    })
    expect(requested.status).toBe(41)
    await expect(client.publishBankBillingKey(requested.receipt_id)).rejects.toThrow(RejectedError)
    const published = await client.publishBankBillingKey(requested.receipt_id)
    expect(published).toMatchObject({ receipt_id: requested.receipt_id, status: 11 })
  })

  it('shares one token across concurrent calls; Basic credentials need none', async () => {
    const tokenClient = bootpay()
    const active = receipts('active')
    await Promise.all(
      active.flatMap((receiptId) =>
        [1, 2, 3].map(() => tokenClient.getBillingKeyByReceipt(receiptId)),
      ),
    )
    expect(context.sandbox.stats().operations.bootpay.getAccessToken).toBe(1)
    context.sandbox.resetStats()
    const basicClient = createBootpayClient({
      ...context.sandbox.credentials.bootpayBasic,
      baseUrl: context.sandbox.bootpay.baseUrl,
    })
    await basicClient.getBillingKeyByReceipt(active[0] as string)
    expect(context.sandbox.stats().operations.bootpay).toEqual({ getBillingKeyByReceipt: 1 })
  })
})

describe('the official iamport Node SDK (iamport-rest-client-nodejs) against the sandbox', () => {
  // The SDK takes a `baseUrl` option. The official Bootpay SDK (@bootpay/backend-js) has only
  // `mode`, but its public API_ENTRYPOINTS table can be pointed here: tools/bench does that.
  const { Iamport, Request } = createRequire(import.meta.url)('iamport-rest-client-nodejs')

  it('gets a token and looks keys up, unchanged', async () => {
    const sdk = new Iamport({
      ...context.sandbox.credentials.iamport,
      baseUrl: context.sandbox.iamport.baseUrl,
    })
    const one = await Request.Customers.getBillingKey({ customer_uid: active }).request(sdk)
    expect(one.status).toBe(200)
    expect(one.data.response.customer_uid).toBe(active)
    // The SDK sends `customer_uid[]=` with qs brackets; one unknown uid makes it a 207.
    const many = await Request.Customers.getBillingKeys({
      customer_uid: [active, unknown],
    }).request(sdk)
    expect(many.status).toBe(207)
    expect(many.data.response).toHaveLength(1)
    const missing = await Request.Customers.getBillingKey({ customer_uid: unknown })
      .request(sdk)
      .catch((error: { response: { status: number; data: unknown } }) => error.response)
    expect(missing.status).toBe(404)
    expect(missing.data).toMatchObject({ code: 1 })
    const payments = await Request.Customers.getPayments({ customer_uid: active, page: 1 }).request(
      sdk,
    )
    expect(payments.data.response.total).toBeGreaterThan(0)
    expect(context.sandbox.stats().operations.iamport).toEqual({
      getToken: 1,
      getBillingKey: 2,
      getBillingKeys: 1,
      listPayments: 1,
    })
  })
  it('charges a key, finds the payment by merchant_uid and cancels it, unchanged', async () => {
    const sdk = new Iamport({
      ...context.sandbox.credentials.iamport,
      baseUrl: context.sandbox.iamport.baseUrl,
    })
    const order = { customer_uid: active, merchant_uid: 'sdk_order_1', amount: 1000, name: '월간' }
    const charged = await Request.Subscribe.again(order).request(sdk)
    expect(charged.data.response).toMatchObject({ merchant_uid: 'sdk_order_1', status: 'paid' })
    // The SDK turns a code != 0 into a rejection: the used merchant_uid is refused.
    const again = await Request.Subscribe.again(order)
      .request(sdk)
      .catch((error: { response: { data: unknown } }) => error.response.data)
    expect(again).toMatchObject({ code: 1, message: '이미 주문이 이루어진 건입니다.' })
    // ...but a declined charge comes back as a success: its status has to be checked.
    const declined = await Request.Subscribe.again({
      ...order,
      merchant_uid: 'sdk_order_2',
      amount: 4001,
    }).request(sdk)
    expect(declined.data.response.status).toBe('failed')
    const found = await Request.Payments.getByMerchantUid({
      merchant_uid: 'sdk_order_1',
      status: 'paid',
    }).request(sdk)
    expect(found.data.response.imp_uid).toBe(charged.data.response.imp_uid)
    const cancelled = await Request.Payments.cancel({
      imp_uid: charged.data.response.imp_uid,
      checksum: 1000,
      reason: 'test',
    }).request(sdk)
    expect(cancelled.data.response.status).toBe('cancelled')
    expect(context.sandbox.ledger.audit()).toEqual({ payments: 2, paid: 1, doubleCharges: [] })
  })
})

describe('the official Bootpay Node SDK (@bootpay/backend-js) against the sandbox', () => {
  // The SDK has no base URL option: `mode` picks a host from its public API_ENTRYPOINTS table, so
  // the test points `production` at the sandbox (as tools/bench does); nothing else is touched.
  const { Bootpay } = createRequire(import.meta.url)('@bootpay/backend-js')
  async function sdk() {
    Bootpay.API_ENTRYPOINTS.production = `${context.sandbox.bootpay.baseUrl}/v2`
    Bootpay.setConfiguration({
      application_id: context.sandbox.credentials.bootpay.applicationId,
      private_key: context.sandbox.credentials.bootpay.privateKey,
    })
    await Bootpay.getAccessToken()
    return Bootpay
  }
  /** What the SDK rejects with: Bootpay's error body itself. */
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a rejection')
      },
      (body: { error_code: string }) => body,
    )

  it('charges a key, looks the receipt up and cancels it in part and in full, unchanged', async () => {
    const bootpaySdk = await sdk()
    const billingKey = billingKeys('active')[0] as string
    const order = { billing_key: billingKey, order_name: '월간', price: 1000, order_id: 'sdk_1' }
    const receipt = await bootpaySdk.requestSubscribeCardPayment(order)
    expect(receipt).toMatchObject({ order_id: 'sdk_1', price: 1000, status: 1, sandbox: true })
    // A repeated order_id and a declined amount come back as rejections with an error_code.
    expect(await failure(bootpaySdk.requestSubscribeCardPayment(order))).toMatchObject({
      error_code: 'SANDBOX_DUPLICATE_ORDER_ID',
    })
    expect(
      await failure(
        bootpaySdk.requestSubscribePayment({ ...order, order_id: 'sdk_2', price: 4001 }),
      ),
    ).toMatchObject({ error_code: 'SANDBOX_CARD_INSUFFICIENT_FUNDS' })
    expect(await bootpaySdk.receiptPayment(receipt.receipt_id)).toMatchObject({
      receipt_id: receipt.receipt_id,
      status: 1,
    })
    const part = await bootpaySdk.cancelPayment({
      receipt_id: receipt.receipt_id,
      cancel_id: 'sdk_1_cancel_1',
      cancel_price: 400,
      cancel_username: '관리자',
      cancel_message: '부분 환불',
    })
    expect(part).toMatchObject({ status: 20, cancelled_price: 400 })
    const full = await bootpaySdk.cancelPayment({
      receipt_id: receipt.receipt_id,
      cancel_id: 'sdk_1_cancel_2',
      cancel_message: '전액 환불',
    })
    expect(full).toMatchObject({ status: 20, cancelled_price: 1000 })
    expect(
      await failure(
        bootpaySdk.cancelPayment({ receipt_id: receipt.receipt_id, cancel_id: 'sdk_1_cancel_3' }),
      ),
    ).toMatchObject({ error_code: 'RC_ALREADY_CANCELLED' })
    expect(context.sandbox.ledger.audit()).toEqual({ payments: 2, paid: 1, doubleCharges: [] })
  })

  it('reserves charges, looks them up, cancels one and runs the other on the sandbox clock, unchanged', async () => {
    const bootpaySdk = await sdk()
    const billingKey = billingKeys('active')[0] as string
    const reserve = (order_id: string) =>
      bootpaySdk.subscribePaymentReserve({
        billing_key: billingKey,
        order_name: '정기',
        price: 2000,
        order_id,
        reserve_execute_at: new Date(context.clock.now + 10 * MINUTE),
      })
    const kept = await reserve('sdk_reserve_1')
    const dropped = await reserve('sdk_reserve_2')
    expect(kept.reserve_id).toMatch(/^[0-9a-f]{24}$/)
    expect(await bootpaySdk.subscribePaymentReserveLookup(kept.reserve_id)).toMatchObject({
      reserve_id: kept.reserve_id,
      order_id: 'sdk_reserve_1',
      status: 1,
    })
    expect(await bootpaySdk.cancelSubscribeReserve(dropped.reserve_id)).toEqual({
      reserve_id: dropped.reserve_id,
      success: true,
    })
    await context.sandbox.advanceClock(10 * MINUTE)
    const run = await bootpaySdk.subscribePaymentReserveLookup(kept.reserve_id)
    expect(run.receipt_id).toMatch(/^[0-9a-f]{24}$/)
    expect(await bootpaySdk.receiptPayment(run.receipt_id)).toMatchObject({
      order_id: 'sdk_reserve_1',
      price: 2000,
      status: 1,
    })
    expect(context.sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })
})
