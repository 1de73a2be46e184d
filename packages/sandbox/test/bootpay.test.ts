import { describe, expect, it } from 'vitest'
import { DEFAULT_SEED, DEMO_BOOTPAY_CREDENTIALS } from '../src/index'
import type { BootpayKey } from '../src/seed'
import { createDataSet } from '../src/seed'
import { basicAuth, bootpayToken, call, MINUTE, START, useSandbox } from './helpers'

const context = useSandbox()
const base = () => context.sandbox.bootpay.baseUrl
const data = createDataSet(DEFAULT_SEED, START)
const keysOf = (category: string, method?: 'card' | 'bank') =>
  data.bootpay.keys
    .filter((k) => k.category === category && (!method || k.key.method === method))
    .map((k) => k.key)
const activeCard = keysOf('active', 'card')[0] as BootpayKey
const activeBank = keysOf('active', 'bank')[0] as BootpayKey
const expired = keysOf('expired')[0] as BootpayKey
const deleted = keysOf('deleted')[0] as BootpayKey
const UNKNOWN = '000000000000000000000000'

const tokenRequest = (json: unknown) => call(`${base()}/v2/request/token`, { json })
const credentials = {
  application_id: DEMO_BOOTPAY_CREDENTIALS.applicationId,
  private_key: DEMO_BOOTPAY_CREDENTIALS.privateKey,
}

async function send(method: string, path: string, options: { json?: unknown; auth?: string } = {}) {
  const auth = options.auth ?? `Bearer ${await bootpayToken(context.sandbox)}`
  return call(`${base()}${path}`, { method, headers: { authorization: auth }, json: options.json })
}

const byReceipt = (id: string, auth?: string) =>
  send('GET', `/v2/subscribe/billing_key/${id}`, { auth })
const byKey = (key: string, auth?: string) => send('GET', `/v2/billing_key/${key}`, { auth })
const destroy = (key: string) => send('DELETE', `/v2/subscribe/billing_key/${key}`)

const card = {
  pg: 'nicepay',
  order_name: '정기결제 카드 등록',
  subscription_id: 'sub_test_1',
  card_no: '5570420412341074',
  card_pw: '12',
  card_identity_no: '900101',
  card_expire_year: '30',
  card_expire_month: '12',
}
const bank = {
  pg: '나이스페이',
  order_name: '테스트결제',
  subscription_id: 'sub_bank_1',
  username: '홍길동',
  bank_name: '국민',
  bank_account: '675123412342472',
  identity_no: '901014',
  phone: '01012341234',
}

describe('Bootpay tokens (facts §2.2)', () => {
  it('B-1: issues a token valid for 30 minutes', async () => {
    const answer = await tokenRequest(credentials)
    expect(answer.status).toBe(200)
    expect(answer.body).toEqual({ access_token: expect.any(String), expire_in: 1800 })
  })

  it('B-2: returns the same token within 25 minutes, with the time it has left', async () => {
    const first = (await tokenRequest(credentials)).body
    context.clock.now += 24 * MINUTE
    const second = (await tokenRequest(credentials)).body
    expect(second).toEqual({ access_token: first.access_token, expire_in: 6 * 60 })
  })

  it('issues a new token after 25 minutes; the old one works until its own expiry', async () => {
    const first = (await tokenRequest(credentials)).body.access_token
    context.clock.now += 26 * MINUTE
    const second = (await tokenRequest(credentials)).body
    expect(second.access_token).not.toBe(first)
    expect(second.expire_in).toBe(1800)
    expect((await byReceipt(activeCard.receipt_id, `Bearer ${first}`)).status).toBe(200)
    context.clock.now += 4 * MINUTE
    const old = await byReceipt(activeCard.receipt_id, `Bearer ${first}`)
    expect(old.status).toBe(401)
    expect(old.body.error_code).toBe('TOKEN_KEY_INVALID')
    expect((await byReceipt(activeCard.receipt_id, `Bearer ${second.access_token}`)).status).toBe(
      200,
    )
  })

  it('B-3: refuses a wrong private key with TOKEN_KEY_INVALID', async () => {
    const answer = await tokenRequest({ ...credentials, private_key: 'wrong' })
    expect(answer.status).toBe(401)
    expect(answer.body).toEqual({ error_code: 'TOKEN_KEY_INVALID', message: expect.any(String) })
  })

  it('refuses a token request without credentials as invalid input, naming the field', async () => {
    const answer = await tokenRequest({ application_id: credentials.application_id })
    expect(answer.status).toBe(400)
    expect(answer.body.error_code).toBe('INVALID_PARAMETER')
    expect(answer.body.message).toContain('private_key')
  })

  it('B-5: refuses a call without credentials, or with an unknown token', async () => {
    const none = await call(`${base()}/v2/subscribe/billing_key/${activeCard.receipt_id}`)
    expect(none.status).toBe(401)
    expect(none.body.error_code).toBe('TOKEN_KEY_INVALID')
    expect((await byReceipt(activeCard.receipt_id, 'Bearer nope')).status).toBe(401)
  })

  it('B-20: accepts Basic client_key:secret_key instead of a token, and refuses wrong ones', async () => {
    expect((await byReceipt(activeCard.receipt_id, basicAuth)).status).toBe(200)
    const wrong = `Basic ${Buffer.from('sandbox_client_key:wrong').toString('base64')}`
    const refused = await byReceipt(activeCard.receipt_id, wrong)
    expect(refused.status).toBe(401)
    expect(refused.body.error_code).toBe('TOKEN_KEY_INVALID')
  })
})

describe('Bootpay lookups', () => {
  it('B-4, B-8: by receipt, a card key is SubscriptionBilling with status 11', async () => {
    const answer = await byReceipt(activeCard.receipt_id)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      receipt_id: activeCard.receipt_id,
      billing_key: activeCard.billing_key,
      status: 11,
      method_symbol: 'card_rebill_rest',
      billing_data: {
        card_no: expect.stringMatching(/^\d{8}\*{4}\d{4}$/),
        card_company: expect.any(String),
        card_type: expect.any(Number),
      },
    })
    expect(answer.body.published_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/)
    expect(Date.parse(answer.body.billing_expire_at)).toBeGreaterThan(START)
  })

  it('B-8: a bank key has bank fields and never expires', async () => {
    const answer = await byReceipt(activeBank.receipt_id)
    expect(answer.body).toMatchObject({
      method_symbol: 'automatic_transfer_rest',
      billing_data: {
        bank_name: expect.any(String),
        bank_code: expect.any(String),
        username: expect.stringMatching(/\*$/),
      },
      billing_expire_at: '2099-12-31T23:59:59+09:00',
    })
  })

  it('B-7: by key, the other shape: expire_at, integer sandbox, status 1, no receipt', async () => {
    const answer = await byKey(activeCard.billing_key)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({
      billing_key: activeCard.billing_key,
      status: 1,
      version: 2,
    })
    expect([0, 1]).toContain(answer.body.sandbox)
    expect(answer.body.expire_at).toEqual(expect.any(String))
    expect(answer.body).not.toHaveProperty('receipt_id')
  })

  it('an expired key is found, with its expiry in the past', async () => {
    for (const answer of [await byReceipt(expired.receipt_id), await byKey(expired.billing_key)]) {
      expect(answer.status).toBe(200)
      const expiry = answer.body.billing_expire_at ?? answer.body.expire_at
      expect(Date.parse(expiry)).toBeLessThan(START)
    }
  })

  it('a deleted key answers SUBSCRIBE_BK_EXPIRED both ways', async () => {
    for (const answer of [await byReceipt(deleted.receipt_id), await byKey(deleted.billing_key)]) {
      expect(answer.status).toBe(400)
      expect(answer.body.error_code).toBe('SUBSCRIBE_BK_EXPIRED')
    }
  })

  it('B-6: an ordinary payment receipt is RC_NOT_SUBSCRIBE; an unknown one RC_NOT_FOUND', async () => {
    const payment = await byReceipt(data.bootpay.paymentReceipts[0] as string)
    expect(payment.status).toBe(400)
    expect(payment.body.error_code).toBe('RC_NOT_SUBSCRIBE')
    for (const answer of [await byReceipt(UNKNOWN), await byKey(UNKNOWN)]) {
      expect(answer.status).toBe(400)
      expect(answer.body.error_code).toBe('RC_NOT_FOUND')
    }
  })

  it('accepts the .json suffix the .NET SDK appends', async () => {
    const answer = await send('GET', `/v2/subscribe/billing_key/${activeCard.receipt_id}.json`)
    expect(answer.status).toBe(200)
    expect(answer.body.receipt_id).toBe(activeCard.receipt_id)
  })

  it('refuses an id over the contract limit as invalid input', async () => {
    const answer = await byKey('f'.repeat(129))
    expect(answer.status).toBe(400)
    expect(answer.body.error_code).toBe('INVALID_PARAMETER')
  })
})

describe('Bootpay card keys', () => {
  it('B-10: issues a card key that both lookups then find', async () => {
    const issued = await send('POST', '/v2/request/subscribe', {
      json: { ...card, metadata: { plan: 'pro' } },
    })
    expect(issued.status).toBe(200)
    expect(issued.body).toMatchObject({
      subscription_id: 'sub_test_1',
      metadata: { plan: 'pro' },
      pg: '나이스페이먼츠',
      status: 11,
      billing_data: {
        card_no: '55704204****1074',
        card_company: 'KB국민카드',
        card_company_code: '02',
      },
      billing_expire_at: '2030-12-31T23:59:59+09:00',
    })
    expect((await byReceipt(issued.body.receipt_id)).body).toEqual(issued.body)
    expect((await byKey(issued.body.billing_key)).body.billing_key).toBe(issued.body.billing_key)
  })

  it('B-9: refuses a request without card_no, naming it', async () => {
    const { card_no: _, ...withoutNumber } = card
    const answer = await send('POST', '/v2/request/subscribe', { json: withoutNumber })
    expect(answer.status).toBe(400)
    expect(answer.body.error_code).toBe('INVALID_PARAMETER')
    expect(answer.body.message).toContain('card_no')
  })

  it('B-11: refuses a bad expiry month with RC_INVALID_EXP_MONTH', async () => {
    const answer = await send('POST', '/v2/request/subscribe', {
      json: { ...card, card_expire_month: '13' },
    })
    expect(answer.status).toBe(400)
    expect(answer.body.error_code).toBe('RC_INVALID_EXP_MONTH')
  })

  it('refuses an invalid card number or an expired card', async () => {
    for (const json of [
      { ...card, card_no: '1111111111111111' },
      { ...card, card_expire_year: '25', card_expire_month: '05' },
    ]) {
      const answer = await send('POST', '/v2/request/subscribe', { json })
      expect(answer.status).toBe(400)
      expect(answer.body.error_code).toBe('RC_CARD_INVALID')
    }
  })

  it('an issued card key expires with its card, on the sandbox clock', async () => {
    const issued = await send('POST', '/v2/request/subscribe', {
      json: { ...card, card_expire_year: '25', card_expire_month: '07' },
    })
    expect(issued.body.billing_expire_at).toBe('2025-07-31T23:59:59+09:00')
    context.clock.now = Date.parse('2025-08-01T00:00:00+09:00')
    const lookup = await byReceipt(issued.body.receipt_id, basicAuth)
    expect(Date.parse(lookup.body.billing_expire_at)).toBeLessThan(context.clock.now)
    const removal = await send('DELETE', `/v2/subscribe/billing_key/${issued.body.billing_key}`, {
      auth: basicAuth,
    })
    expect(removal.body.error_code).toBe('SUBSCRIBE_BK_EXPIRED')
  })

  it('B-16, B-17: deletes a key once; then it is SUBSCRIBE_BK_EXPIRED everywhere', async () => {
    const removed = await destroy(activeCard.billing_key)
    expect(removed.status).toBe(200)
    expect(removed.body).toEqual({ billing_key: activeCard.billing_key })
    for (const answer of [
      await destroy(activeCard.billing_key),
      await byKey(activeCard.billing_key),
      await byReceipt(activeCard.receipt_id),
    ]) {
      expect(answer.status).toBe(400)
      expect(answer.body.error_code).toBe('SUBSCRIBE_BK_EXPIRED')
    }
  })

  it('refuses to delete an expired or an unknown key', async () => {
    expect((await destroy(expired.billing_key)).body.error_code).toBe('SUBSCRIBE_BK_EXPIRED')
    expect((await destroy(UNKNOWN)).body.error_code).toBe('RC_NOT_FOUND')
  })
})

describe('Bootpay bank keys, two steps', () => {
  it('B-12, B-13: request gives status 41; the first publish is not ready, the next one issues', async () => {
    const requested = await send('POST', '/v2/request/subscribe/automatic-transfer', {
      json: { ...bank, metadata: { order: 7 } },
    })
    expect(requested.status).toBe(200)
    expect(requested.body).toMatchObject({
      status: 41,
      price: 0,
      order_id: 'sub_bank_1',
      sandbox: true,
      metadata: { order: 7 },
    })
    const receiptId = requested.body.receipt_id
    expect((await byReceipt(receiptId)).body.error_code).toBe('SUBSCRIBE_PUBLISH_NOT_READY')

    const early = await send('POST', '/v2/request/subscribe/automatic-transfer/publish', {
      json: { receipt_id: receiptId },
    })
    expect(early.status).toBe(400)
    expect(early.body.error_code).toBe('SUBSCRIBE_PUBLISH_NOT_READY')

    const published = await send('POST', '/v2/request/subscribe/automatic-transfer/publish', {
      json: { receipt_id: receiptId },
    })
    expect(published.status).toBe(200)
    expect(published.body).toMatchObject({
      receipt_id: receiptId,
      status: 11,
      billing_data: {
        bank_name: '국민',
        bank_code: '004',
        bank_account: '6751*********72',
        username: '홍길*',
      },
      billing_expire_at: '2099-12-31T23:59:59+09:00',
      metadata: { order: 7 },
    })
    expect((await byReceipt(receiptId)).body).toEqual(published.body)
    // Publishing again (a retry after a lost answer) returns the same key.
    const again = await send('POST', '/v2/request/subscribe/automatic-transfer/publish', {
      json: { receipt_id: receiptId },
    })
    expect(again.body.billing_key).toBe(published.body.billing_key)
  })

  it('consent() lets the first publish succeed', async () => {
    const requested = await send('POST', '/v2/request/subscribe/automatic-transfer', { json: bank })
    expect(context.sandbox.bootpay.consent(requested.body.receipt_id)).toBe(true)
    expect(context.sandbox.bootpay.consent(UNKNOWN)).toBe(false)
    const published = await send('POST', '/v2/request/subscribe/automatic-transfer/publish', {
      json: { receipt_id: requested.body.receipt_id },
    })
    expect(published.status).toBe(200)
  })

  it('refuses an unknown bank, and publishing an unknown receipt', async () => {
    const unknownBank = await send('POST', '/v2/request/subscribe/automatic-transfer', {
      json: { ...bank, bank_name: '없는은행' },
    })
    expect(unknownBank.body.error_code).toBe('SUBSCRIBE_AT_LOOKUP_USER_FAILED')
    const publish = await send('POST', '/v2/request/subscribe/automatic-transfer/publish', {
      json: { receipt_id: UNKNOWN },
    })
    expect(publish.body.error_code).toBe('RC_NOT_FOUND')
  })

  it('issues ids from the seed, so a replayed test issues the same ones', async () => {
    const first = await send('POST', '/v2/request/subscribe', { json: card })
    await context.sandbox.close()
    context.sandbox = await (await import('../src/index')).startSandbox({ now: () => START })
    const replay = await send('POST', '/v2/request/subscribe', { json: card })
    expect(replay.body.receipt_id).toBe(first.body.receipt_id)
    expect(replay.body.billing_key).toBe(first.body.billing_key)
  })
})
