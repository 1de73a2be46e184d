// keys.charge and keys.findPayment: iamport against the in-process sandbox (its ledger is the
// truth), Bootpay and PortOne over core's recording fetch answering with the bodies of
// specs/*/fixtures (their sandbox charging is not in yet).
import { readFileSync } from 'node:fs'
import { createBootpayAdapter, createBootpayClient } from '@billingkey/bootpay'
import { createPortoneAdapter, createPortoneClient } from '@billingkey/portone'
import { describe, expect, test } from 'vitest'
import { json, recordingFetch, type Sent } from '../../core/test/fetch'
import { AbortError, createBillingKeys, ValidationError } from '../src/index'
import type { WireLog } from './recording'
import { SEEDED, sandboxProviders } from './setup'

const fixture = (provider: 'bootpay' | 'portone', name: string) =>
  JSON.parse(
    readFileSync(
      new URL(`../../../specs/${provider}/fixtures/${name}.json`, import.meta.url),
      'utf8',
    ),
  ).response as { status: number; body: Record<string, unknown> }

const answer = (provider: 'bootpay' | 'portone', name: string, patch: object = {}) => {
  const { status, body } = fixture(provider, name)
  return json(Array.isArray(body) ? body : { ...body, ...patch }, status)
}

const fast = { pollIntervalMs: 1, deadlineMs: 50 }
const iamportRef = { provider: 'iamport', customerUid: SEEDED.customerUid } as const
/** The charge requests an iamport wire log holds. */
const charges = (log: WireLog) =>
  log.requests.filter((r) => r.startsWith('POST /subscribe/payments/again'))

describe('keys.charge through the iamport adapter, against the sandbox', () => {
  test('a paid charge: the outcome the client proved, untouched, and the ledger agrees', async () => {
    const { iamport, sandbox, iamportLog } = sandboxProviders()
    let fromClient: unknown
    const keys = createBillingKeys({
      iamport: {
        ...iamport,
        // The client's own result, to compare with what the facade hands back.
        charge: async (...args) => {
          fromClient = await iamport.charge?.(...args)
          return fromClient as never
        },
      },
    })
    const result = await keys.charge(iamportRef, {
      orderId: 'facade-order-1',
      amount: 12_000,
      name: '월간 구독',
      customer: { name: '홍길동', email: 'gildong@example.com' },
    })
    expect(result).toBe(fromClient)
    expect(result).toMatchObject({
      outcome: 'paid',
      orderId: 'facade-order-1',
      payment: { provider: 'iamport', orderId: 'facade-order-1', status: 'paid', amount: 12_000 },
    })
    expect(charges(iamportLog)).toHaveLength(1)
    const [entry] = sandbox.ledger.entries()
    expect(entry).toMatchObject({ orderId: 'facade-order-1', amount: 12_000, decline: null })
    expect(sandbox.ledger.audit().doubleCharges).toEqual([])

    const found = await keys.findPayment('iamport', 'facade-order-1')
    expect(found).toMatchObject({ status: 'paid', orderId: 'facade-order-1', amount: 12_000 })
    expect(found?.paymentId).toBe(entry?.paymentId)
    // orderId went out as merchant_uid, the common fields under iamport's names.
    expect(found?.raw).toMatchObject({
      merchant_uid: 'facade-order-1',
      name: '월간 구독',
      buyer_name: '홍길동',
      buyer_email: 'gildong@example.com',
    })
    // By a ref of the provider too; an order the provider never saw is null.
    expect(await keys.findPayment(iamportRef, 'facade-order-1')).toEqual(found)
    expect(await keys.findPayment('iamport', 'facade-order-none')).toBeNull()
  })

  test('a decline (test amount 4001) passes through with the issuer’s code and reason', async () => {
    const { iamport, sandbox } = sandboxProviders()
    const keys = createBillingKeys({ iamport })
    const result = await keys.charge(iamportRef, { orderId: 'o-declined', amount: 4001, name: 'x' })
    expect(result).toMatchObject({
      outcome: 'declined',
      orderId: 'o-declined',
      // iamport's failed payment carries its reason, not a code.
      reason: '잔액이 부족합니다.',
      payment: { status: 'failed', orderId: 'o-declined' },
    })
    expect(sandbox.ledger.entries()).toHaveLength(1)
    expect(await keys.findPayment('iamport', 'o-declined')).toMatchObject({ status: 'failed' })
  })

  test('a charge whose answer is lost is reconciled by the client, never re-sent', async () => {
    const { iamport, sandbox, iamportLog } = sandboxProviders()
    // The first charge is committed, then the connection drops: the client finds it paid.
    sandbox.setFaults([
      { provider: 'iamport', operationId: 'chargeBillingKey', kind: 'commit-then-reset', times: 1 },
    ])
    const keys = createBillingKeys({ iamport })
    const result = await keys.charge(
      iamportRef,
      { orderId: 'o-lost', amount: 5000, name: 'x' },
      fast,
    )
    expect(result).toMatchObject({ outcome: 'paid', orderId: 'o-lost' })
    expect(charges(iamportLog)).toHaveLength(1)
    expect(sandbox.ledger.audit()).toMatchObject({ paid: 1, doubleCharges: [] })

    // Dropped before the provider saw it, and the deadline spent: unknown, with the order key.
    sandbox.setFaults([
      { provider: 'iamport', operationId: 'chargeBillingKey', kind: 'reset', times: 1 },
    ])
    const unknown = await keys.charge(
      iamportRef,
      { orderId: 'o-unknown', amount: 5000, name: 'x' },
      { ...fast, deadlineMs: 0 },
    )
    expect(unknown).toMatchObject({ outcome: 'unknown', orderId: 'o-unknown', payment: null })
    expect(sandbox.ledger.entries().filter((e) => e.orderId === 'o-unknown')).toEqual([])
    expect(charges(iamportLog)).toHaveLength(2)
  })

  test('options pass through: a short timeout is refused, an aborted signal sends nothing', async () => {
    const { iamport, iamportLog } = sandboxProviders()
    const keys = createBillingKeys({ iamport })
    const request = { orderId: 'o-options', amount: 1000, name: 'x' }
    await expect(keys.charge(iamportRef, request, { timeoutMs: 5_000 })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'timeoutMs',
    })
    const controller = new AbortController()
    controller.abort()
    await expect(
      keys.charge(iamportRef, request, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortError)
    expect(charges(iamportLog)).toEqual([])
  })
})

describe('bad input is a ValidationError before any request', () => {
  const { iamport, iamportLog } = sandboxProviders()
  const keys = createBillingKeys({ iamport })
  const good = { orderId: 'o', amount: 1000, name: 'x' }

  test.each([
    ['no orderId', { amount: 1000, name: 'x' }, 'request.orderId'],
    ['an empty orderId', { ...good, orderId: '' }, 'request.orderId'],
    ['amount 0', { ...good, amount: 0 }, 'request.amount'],
    ['a negative amount', { ...good, amount: -1000 }, 'request.amount'],
    ['a fractional amount', { ...good, amount: 999.5 }, 'request.amount'],
    ['an amount as text', { ...good, amount: '1000' }, 'request.amount'],
    ['no name', { orderId: 'o', amount: 1000 }, 'request.name'],
    ['a lowercase currency', { ...good, currency: 'krw' }, 'request.currency'],
    ['taxFree above amount', { ...good, taxFree: 2000 }, 'request.taxFree'],
    ['extra as an array', { ...good, extra: [] }, 'request.extra'],
    ['no request', undefined, 'request.orderId'],
  ])('%s', async (_, request, field) => {
    const error = await keys.charge(iamportRef, request as never).catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field, provider: 'iamport' })
    expect(iamportLog.requests).toEqual([])
  })

  test('an unknown or unconfigured provider, in charge and in findPayment', async () => {
    const request = good as never
    await expect(keys.charge({ provider: 'paypal' } as never, request)).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'ref.provider',
    })
    await expect(
      keys.charge({ provider: 'bootpay', billingKey: 'b' } as never, request),
    ).rejects.toThrow(/no bootpay adapter was configured/)
    await expect(keys.findPayment('bootpay' as never, 'o')).rejects.toThrow(ValidationError)
    await expect(keys.findPayment('paypal' as never, 'o')).rejects.toThrow(ValidationError)
    await expect(keys.findPayment('iamport', '')).rejects.toMatchObject({ field: 'orderId' })
    expect(iamportLog.requests).toEqual([])
  })

  test('an adapter from before charging came to the facade: a typed error, no request', async () => {
    const { charge: _, findPayment: __, ...old } = iamport
    const oldKeys = createBillingKeys({ iamport: old })
    await expect(oldKeys.charge(iamportRef, good)).rejects.toThrow(
      /iamport adapter has no charge: update @billingkey\/iamport/,
    )
    await expect(oldKeys.findPayment('iamport', 'o')).rejects.toThrow(ValidationError)
    expect(iamportLog.requests).toEqual([])
  })
})

describe('keys.charge through the Bootpay adapter, over the spec fixtures', () => {
  const BILLING_KEY = '66542dfb4d18d5fc7b43e1b6'
  function bootpay(respond: (sent: Sent) => Response) {
    const fetch = recordingFetch(respond)
    const client = createBootpayClient({ clientKey: 'ck', secretKey: 'sk', fetch, maxRetries: 0 })
    return {
      keys: createBillingKeys({ bootpay: createBootpayAdapter(client) }),
      calls: fetch.calls,
    }
  }
  const sentCharges = (calls: Sent[]) =>
    calls.filter((c) => c.url.pathname === '/v2/subscribe/payment')
  const request = { orderId: '1716792650.95292', amount: 1000, name: '테스트결제' }

  test('paid: orderId as order_id, amount as price, name as order_name', async () => {
    const { keys, calls } = bootpay(() => answer('bootpay', 'chargeBillingKey-200'))
    const result = await keys.charge(
      { provider: 'bootpay', billingKey: BILLING_KEY },
      {
        ...request,
        taxFree: 0,
        customer: { name: '홍길동', phone: '01000000000', email: 'test@bootpay.co.kr' },
        extra: { card_quota: '00' },
      },
    )
    expect(result).toMatchObject({
      outcome: 'paid',
      orderId: request.orderId,
      payment: { provider: 'bootpay', status: 'paid', amount: 1000, orderId: request.orderId },
    })
    expect(sentCharges(calls)).toHaveLength(1)
    expect(sentCharges(calls)[0]?.body).toEqual({
      billing_key: BILLING_KEY,
      order_id: request.orderId,
      price: 1000,
      order_name: '테스트결제',
      tax_free: 0,
      card_quota: '00',
      user: { username: '홍길동', phone: '01000000000', email: 'test@bootpay.co.kr' },
    })
  })

  test('a ref by receipt id looks its billing key up first, then charges it', async () => {
    const byReceipt = fixture('bootpay', 'getBillingKeyByReceipt-200-card').body
    const { keys, calls } = bootpay((sent) =>
      sent.method === 'GET'
        ? json(byReceipt)
        : answer('bootpay', 'chargeBillingKey-200', { order_id: 'o-receipt' }),
    )
    const result = await keys.charge(
      { provider: 'bootpay', receiptId: byReceipt.receipt_id as string },
      { ...request, orderId: 'o-receipt' },
    )
    expect(result.outcome).toBe('paid')
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      `GET /v2/subscribe/billing_key/${byReceipt.receipt_id}`,
      'POST /v2/subscribe/payment',
    ])
    expect(sentCharges(calls)[0]?.body).toMatchObject({ billing_key: byReceipt.billing_key })
  })

  test('declined: any error_code, passed through; the order lookup finds nothing', async () => {
    const { keys, calls } = bootpay((sent) =>
      sent.method === 'POST'
        ? answer('bootpay', 'chargeBillingKey-400-declined-undocumented-code')
        : json([]),
    )
    const result = await keys.charge(
      { provider: 'bootpay', billingKey: BILLING_KEY },
      { ...request, orderId: '1716792650.95294' },
      fast,
    )
    expect(result).toMatchObject({
      outcome: 'declined',
      orderId: '1716792650.95294',
      code: '<undocumented decline code>',
      payment: null,
    })
    expect(sentCharges(calls)).toHaveLength(1)
  })

  test('unknown: the connection drops and the lookups fail; sent once, the order key kept', async () => {
    const { keys, calls } = bootpay((sent) => {
      if (sent.method === 'POST') throw new TypeError('fetch failed')
      return answer('bootpay', 'findReceiptsByOrderId-500')
    })
    const result = await keys.charge(
      { provider: 'bootpay', billingKey: BILLING_KEY },
      request,
      fast,
    )
    expect(result).toMatchObject({ outcome: 'unknown', orderId: request.orderId, payment: null })
    expect(result.outcome === 'unknown' && result.error.name).toBe('ConnectionError')
    expect(sentCharges(calls)).toHaveLength(1)
    expect(calls.length).toBeGreaterThan(1) // the lookups by order_id
  })

  test('only KRW, refused before any request', async () => {
    const { keys, calls } = bootpay(() => answer('bootpay', 'chargeBillingKey-200'))
    await expect(
      keys.charge(
        { provider: 'bootpay', billingKey: BILLING_KEY },
        { ...request, currency: 'USD' },
      ),
    ).rejects.toMatchObject({ name: 'ValidationError', field: 'currency' })
    expect(calls).toEqual([])
  })

  test('findPayment: the order’s receipt by order_id, or null', async () => {
    const { keys, calls } = bootpay((sent) =>
      decodeURIComponent(sent.url.pathname).endsWith('/1716792650.95292')
        ? answer('bootpay', 'findReceiptsByOrderId-200')
        : json([]),
    )
    expect(await keys.findPayment('bootpay', '1716792650.95292')).toMatchObject({
      provider: 'bootpay',
      orderId: '1716792650.95292',
    })
    expect(await keys.findPayment('bootpay', 'o-none')).toBeNull()
    expect(calls.map((c) => decodeURIComponent(c.url.pathname))).toEqual([
      '/v2/lookup/order/1716792650.95292',
      '/v2/lookup/order/o-none',
    ])
  })
})

describe('keys.charge through the PortOne adapter, over the spec fixtures', () => {
  const KEY = 'billing-key-0195f1f0-1111-7000-8000-000000000001'
  const ORDER = 'order-20260301-0001'
  function portone(respond: (sent: Sent) => Response) {
    const fetch = recordingFetch(respond)
    const client = createPortoneClient({ apiSecret: 'portone-secret', fetch, maxRetries: 0 })
    return {
      keys: createBillingKeys({ portone: createPortoneAdapter(client) }),
      calls: fetch.calls,
    }
  }
  const ref = { provider: 'portone', billingKey: KEY } as const
  const request = { orderId: ORDER, amount: 1000, name: '월간 이용권' }

  test('paid: orderId as paymentId, with the Idempotency-Key derived from it', async () => {
    const { keys, calls } = portone(() => answer('portone', 'payWithBillingKey-200'))
    const result = await keys.charge(ref, {
      ...request,
      taxFree: 100,
      customer: { email: 'a@example.com', phone: '01012345678' },
      extra: { installmentMonth: 3 },
    })
    expect(result).toMatchObject({
      outcome: 'paid',
      orderId: ORDER,
      payment: { provider: 'portone', status: 'paid', amount: 1000, currency: 'KRW' },
    })
    expect(calls).toHaveLength(1)
    const [charge] = calls
    expect(charge?.url.pathname).toBe(`/payments/${ORDER}/billing-key`)
    expect(charge?.headers.get('idempotency-key')).toContain(ORDER)
    expect(charge?.body).toEqual({
      billingKey: KEY,
      orderName: '월간 이용권',
      amount: { total: 1000, taxFree: 100 },
      currency: 'KRW',
      installmentMonth: 3,
      customer: { email: 'a@example.com', phoneNumber: '01012345678' },
    })
  })

  test('declined: the PG’s code and message, passed through', async () => {
    const { keys } = portone((sent) =>
      sent.method === 'POST'
        ? answer('portone', 'payWithBillingKey-502-pg-provider')
        : answer('portone', 'getPayment-404-payment-not-found'),
    )
    const result = await keys.charge(ref, request, fast)
    expect(result.outcome).toBe('declined')
    expect(result).toMatchObject({ orderId: ORDER })
  })

  test('the charge options reach the PortOne client: a timeout under 60 s sends nothing', async () => {
    const { keys, calls } = portone(() => answer('portone', 'payWithBillingKey-200'))
    await expect(keys.charge(ref, request, { timeoutMs: 5_000 })).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'timeoutMs',
      provider: 'portone',
    })
    expect(calls).toEqual([])
  })

  test('findPayment: the payment, or null on PAYMENT_NOT_FOUND', async () => {
    const { keys, calls } = portone((sent) =>
      sent.url.pathname === `/payments/${ORDER}`
        ? answer('portone', 'getPayment-200-paid')
        : answer('portone', 'getPayment-404-payment-not-found'),
    )
    expect(await keys.findPayment(ref, ORDER)).toMatchObject({
      provider: 'portone',
      orderId: ORDER,
      status: 'paid',
    })
    expect(await keys.findPayment('portone', 'order-unknown')).toBeNull()
    expect(calls).toHaveLength(2)
  })
})
