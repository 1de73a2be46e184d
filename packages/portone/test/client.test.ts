import {
  AuthenticationError,
  NotFoundError,
  RejectedError,
  TimeoutError,
  ValidationError,
} from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { createPortoneClient, type PaymentInfo } from '../src'
import {
  chargeInput,
  client,
  failure,
  fixtureBody,
  isLookup,
  json,
  PAYMENT_ID,
  recordingFetch,
  SECRET,
} from './helpers'

const KEY = `"${PAYMENT_ID}-charge"`
const paid = fixtureBody<PaymentInfo>('getPayment-200-paid')
const failed = fixtureBody<PaymentInfo>('getPayment-200-failed')
const charged = { payment: { pgTxId: 'T-1', paidAt: '2026-03-01T09:00:01Z' } }
const charges = (fetch: ReturnType<typeof recordingFetch>) =>
  fetch.calls.filter((sent) => sent.method === 'POST')

describe('createPortoneClient', () => {
  it('sends `Authorization: PortOne <secret>` on every call, with no token call', async () => {
    const fetch = recordingFetch(() => json(fixtureBody('getBillingKeyInfo-200-issued')))
    await client(fetch).getBillingKey('bk-1')
    await client(fetch)
      .getPayment(PAYMENT_ID)
      .catch(() => {})
    expect(fetch.calls.map((sent) => sent.headers.get('authorization'))).toEqual([
      `PortOne ${SECRET}`,
      `PortOne ${SECRET}`,
    ])
    expect(fetch.calls[0]?.url.pathname).toBe('/billing-keys/bk-1')
  })

  it('takes a 401 as final, and keeps the secret out of the error', async () => {
    const fetch = recordingFetch(() => failure('UNAUTHORIZED', 401))
    const error = await client(fetch, { maxRetries: 2 })
      .getBillingKey('bk-1')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', status: 401 })
    expect(fetch.calls).toHaveLength(1)
    expect(JSON.stringify(error) + String(error)).not.toContain(SECRET)
  })

  it('sends storeId where each operation takes it: query, body, list filter', async () => {
    const fetch = recordingFetch((sent) =>
      sent.method === 'POST'
        ? json(charged)
        : sent.url.pathname === '/billing-keys'
          ? json({ items: [], page: { number: 0, size: 10, totalCount: 0 } })
          : json(fixtureBody('getBillingKeyInfo-200-issued')),
    )
    const portone = client(fetch, { storeId: 'store-1' })
    await portone.getBillingKey('bk-1')
    await portone.chargeBillingKey(PAYMENT_ID, chargeInput())
    await portone.getBillingKeyPage({ filter: { customerId: 'c-1' } })
    const [lookup, charge, list] = fetch.calls
    expect(lookup?.url.searchParams.get('storeId')).toBe('store-1')
    expect(charge?.body).toMatchObject({ storeId: 'store-1', billingKey: chargeInput().billingKey })
    expect(JSON.parse(list?.url.searchParams.get('requestBody') ?? '')).toEqual({
      filter: { storeId: 'store-1', customerId: 'c-1' },
    })
  })

  it.each([
    ['an empty secret', () => createPortoneClient({ apiSecret: '' })],
    ['an empty storeId', () => createPortoneClient({ apiSecret: 's', storeId: '' })],
  ])('refuses %s', (_, create) => {
    expect(create).toThrow(ValidationError)
  })

  it.each([
    ['an empty billing key', (c: ReturnType<typeof client>) => c.getBillingKey('')],
    ['a ".." billing key', (c: ReturnType<typeof client>) => c.deleteBillingKey('..')],
    ['an empty paymentId', (c: ReturnType<typeof client>) => c.getPayment('')],
    [
      'a zero amount',
      (c: ReturnType<typeof client>) =>
        c.chargeBillingKey(PAYMENT_ID, { ...chargeInput(), amount: { total: 0 } }),
    ],
    [
      'a lower-case currency',
      (c: ReturnType<typeof client>) =>
        c.chargeBillingKey(PAYMENT_ID, { ...chargeInput(), currency: 'krw' }),
    ],
    [
      'a blank order name',
      (c: ReturnType<typeof client>) =>
        c.chargeBillingKey(PAYMENT_ID, { ...chargeInput(), orderName: ' ' }),
    ],
    [
      'a cancel without its guard',
      (c: ReturnType<typeof client>) =>
        c.cancelPayment(PAYMENT_ID, { reason: '고객 요청' } as never),
    ],
    ['a revoke naming nothing', (c: ReturnType<typeof client>) => c.revokePaymentSchedules({})],
    [
      'a schedule at no time',
      (c: ReturnType<typeof client>) =>
        c.schedulePayment(PAYMENT_ID, { payment: chargeInput(), timeToPay: 'soon' }),
    ],
  ])('refuses %s before any request', async (_, run) => {
    const fetch = recordingFetch(() => json({}))
    await expect(run(client(fetch))).rejects.toBeInstanceOf(ValidationError)
    expect(fetch.calls).toHaveLength(0)
  })
})

describe('chargeBillingKey', () => {
  it('is paid on a 200, for the amount asked', async () => {
    const fetch = recordingFetch(() => json(charged))
    const result = await client(fetch).chargeBillingKey(PAYMENT_ID, chargeInput())
    expect(result).toMatchObject({ outcome: 'paid', orderId: PAYMENT_ID })
    if (result.outcome === 'paid') expect(result.payment.amount).toBe(9900)
    expect(fetch.calls[0]?.headers.get('idempotency-key')).toBe(KEY)
  })

  it('sends one Idempotency-Key across its own retries and the caller’s', async () => {
    const fetch = recordingFetch((_, index) => {
      if (index === 0) return failure('INTERNAL', 503, {}, { 'retry-after': '0' })
      if (index === 1) throw new TypeError('fetch failed: socket hang up')
      return json(charged)
    })
    const portone = client(fetch, { maxRetries: 2 })
    const first = await portone.chargeBillingKey(PAYMENT_ID, chargeInput())
    await portone.chargeBillingKey(PAYMENT_ID, chargeInput())
    expect(first.outcome).toBe('paid')
    expect(charges(fetch).map((sent) => sent.headers.get('idempotency-key'))).toEqual([
      KEY,
      KEY,
      KEY,
      KEY,
    ])
  })

  it('derives distinct ASCII keys of 16 characters or more from any paymentId', async () => {
    const fetch = recordingFetch(() => json(charged))
    const portone = client(fetch)
    for (const id of ['a', '=a', '주문-1']) await portone.chargeBillingKey(id, chargeInput())
    expect(charges(fetch).map((sent) => sent.headers.get('idempotency-key'))).toEqual([
      '"========a-charge"',
      '"=====%3Da-charge"',
      '"%EC%A3%BC%EB%AC%B8-1-charge"',
    ])
  })

  it('sends the charge again with the same key while PortOne says it is in flight', async () => {
    const fetch = recordingFetch((_, index) =>
      index === 0
        ? failure('IDEMPOTENCY_OUTSTANDING_REQUEST', 409, {}, { 'retry-after': '0' })
        : json(charged),
    )
    const result = await client(fetch).chargeBillingKey(PAYMENT_ID, chargeInput())
    expect(result.outcome).toBe('paid')
    expect(charges(fetch).map((sent) => sent.headers.get('idempotency-key'))).toEqual([KEY, KEY])
  })

  it('is unknown when the charge is still in flight at the deadline', async () => {
    const fetch = recordingFetch((sent) =>
      isLookup(sent)
        ? failure('PAYMENT_NOT_FOUND', 404)
        : failure('IDEMPOTENCY_OUTSTANDING_REQUEST', 409),
    )
    const result = await client(fetch, { deadlineMs: 500 }).chargeBillingKey(
      PAYMENT_ID,
      chargeInput(),
    )
    expect(result).toMatchObject({ outcome: 'unknown', payment: null })
    if (result.outcome === 'unknown') expect(result.error).toBeInstanceOf(TimeoutError)
  })

  it('stops waiting on an in-flight charge when the caller aborts, and reconciles once', async () => {
    const controller = new AbortController()
    const fetch = recordingFetch((sent) => {
      if (isLookup(sent)) return json(paid)
      setTimeout(() => controller.abort(), 1)
      return failure('IDEMPOTENCY_OUTSTANDING_REQUEST', 409, {}, { 'retry-after': '60' })
    })
    const result = await client(fetch).chargeBillingKey(PAYMENT_ID, chargeInput(), {
      signal: controller.signal,
    })
    expect(result.outcome).toBe('paid')
    expect(fetch.calls.map((sent) => sent.method)).toEqual(['POST', 'GET'])
  })

  it('reconciles ALREADY_PAID through getPayment: paid for the same amount', async () => {
    const fetch = recordingFetch((sent) =>
      isLookup(sent) ? json(paid) : failure('ALREADY_PAID', 409),
    )
    const result = await client(fetch).chargeBillingKey(PAYMENT_ID, chargeInput())
    expect(result).toMatchObject({ outcome: 'paid', payment: { status: 'paid', raw: paid } })
    expect(fetch.calls.map((sent) => sent.method)).toEqual(['POST', 'GET'])
  })

  it('does not count ALREADY_PAID for another amount as paid', async () => {
    const fetch = recordingFetch((sent) =>
      isLookup(sent) ? json(paid) : failure('ALREADY_PAID', 409),
    )
    const result = await client(fetch).chargeBillingKey(PAYMENT_ID, {
      ...chargeInput(),
      amount: { total: 100 },
    })
    expect(result.outcome).toBe('unknown')
  })

  it('is declined on 502 PG_PROVIDER, with the PG’s code and message from the failed payment', async () => {
    const fetch = recordingFetch((sent) =>
      isLookup(sent)
        ? json(failed)
        : failure('PG_PROVIDER', 502, { pgCode: '3011', pgMessage: '카드 잔액이 부족합니다' }),
    )
    const result = await client(fetch).chargeBillingKey(PAYMENT_ID, chargeInput())
    expect(result).toMatchObject({
      outcome: 'declined',
      code: '3011',
      reason: '카드 잔액이 부족합니다',
      payment: { status: 'failed' },
    })
  })

  it('is declined on 502 PG_PROVIDER when no payment is on record, the PG code in the reason', async () => {
    const fetch = recordingFetch((sent) =>
      isLookup(sent)
        ? failure('PAYMENT_NOT_FOUND', 404)
        : failure('PG_PROVIDER', 502, { pgCode: '3011', pgMessage: '잔액 부족' }),
    )
    const result = await client(fetch).chargeBillingKey(PAYMENT_ID, chargeInput())
    expect(result).toMatchObject({ outcome: 'declined', code: 'PG_PROVIDER', payment: null })
    if (result.outcome === 'declined') {
      expect(result.error).toBeInstanceOf(RejectedError)
      expect(result.reason).toContain('3011')
    }
  })

  it('takes a 502 PG_PROVIDER as final: not re-sent, so a failing re-send cannot lose the decline', async () => {
    // Found by the chaos proof: the transport re-sent a decline as a 5xx, the re-send's connection
    // reset, the lookups failed, and the outcome was unknown although PortOne had said declined.
    const fetch = recordingFetch((sent) => {
      if (isLookup(sent)) return failure('INTERNAL_SERVER_ERROR', 500)
      if (charges(fetch).length > 1) throw new TypeError('fetch failed')
      return failure('PG_PROVIDER', 502, { pgCode: '3011', pgMessage: '잔액 부족' })
    })
    const result = await client(fetch, {
      maxRetries: 2,
      retry: { baseDelayMs: 1 },
    } as never).chargeBillingKey(PAYMENT_ID, chargeInput(), { deadlineMs: 50, pollIntervalMs: 5 })
    expect(result).toMatchObject({ outcome: 'declined', code: 'PG_PROVIDER' })
    expect(charges(fetch)).toHaveLength(1)
  })

  it('settles lost answers through getPayment, never with a new key', async () => {
    const fetch = recordingFetch((sent) => {
      if (isLookup(sent)) return json(paid)
      throw new TypeError('fetch failed: ECONNRESET')
    })
    const result = await client(fetch, { maxRetries: 1 }).chargeBillingKey(
      PAYMENT_ID,
      chargeInput(),
    )
    expect(result).toMatchObject({ outcome: 'paid', payment: { paymentId: paid.transactionId } })
    expect(fetch.calls.map((sent) => sent.method)).toEqual(['POST', 'POST', 'GET'])
    expect(new Set(charges(fetch).map((sent) => sent.headers.get('idempotency-key')))).toEqual(
      new Set([KEY]),
    )
  })

  it('is unknown when the answer is lost and PortOne holds no payment by the deadline', async () => {
    const fetch = recordingFetch((sent) => {
      if (isLookup(sent)) return failure('PAYMENT_NOT_FOUND', 404)
      throw new TypeError('fetch failed: ECONNRESET')
    })
    const result = await client(fetch, { deadlineMs: 300 }).chargeBillingKey(
      PAYMENT_ID,
      chargeInput(),
    )
    expect(result).toMatchObject({ outcome: 'unknown', payment: null })
  })

  it('gives a charge at least 60 s even when timeoutMs is shorter', async () => {
    const slow = recordingFetch(
      () => new Promise<Response>((resolve) => setTimeout(() => resolve(json(charged)), 50)),
    )
    const portone = client(slow, { timeoutMs: 5 })
    await expect(portone.getBillingKey('bk-1')).rejects.toBeInstanceOf(TimeoutError)
    const result = await portone.chargeBillingKey(PAYMENT_ID, chargeInput())
    expect(result.outcome).toBe('paid')
  })
})

describe('billing keys', () => {
  it('lists every key, page after page, with the filter on each page', async () => {
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5']
    const fetch = recordingFetch((sent) => {
      const { page } = JSON.parse(sent.url.searchParams.get('requestBody') ?? '{}')
      const items = keys
        .slice(page.number * page.size, (page.number + 1) * page.size)
        .map((billingKey) => ({ billingKey, status: 'ISSUED' }))
      return json({ items, page: { ...page, totalCount: keys.length } })
    })
    const listed: string[] = []
    for await (const key of client(fetch).listBillingKeys({
      filter: { status: ['ISSUED'] },
      pageSize: 2,
    }))
      listed.push(key.billingKey)
    expect(listed).toEqual(keys)
    expect(
      fetch.calls.map((sent) => JSON.parse(sent.url.searchParams.get('requestBody') ?? '')),
    ).toEqual(
      [0, 1, 2].map((number) => ({ filter: { status: ['ISSUED'] }, page: { number, size: 2 } })),
    )
  })

  it('stops at an empty page even if totalCount says more', async () => {
    const fetch = recordingFetch(() =>
      json({ items: [], page: { number: 0, size: 10, totalCount: 99 } }),
    )
    const listed = []
    for await (const schedule of client(fetch).listPaymentSchedules()) listed.push(schedule)
    expect(listed).toEqual([])
    expect(fetch.calls).toHaveLength(1)
  })

  it('surfaces a delete refused while schedules exist as a RejectedError with its type', async () => {
    const fetch = recordingFetch(() => failure('PAYMENT_SCHEDULE_ALREADY_EXISTS', 409))
    const error = await client(fetch)
      .deleteBillingKey('bk-1')
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RejectedError)
    expect(error).toMatchObject({ code: 'PAYMENT_SCHEDULE_ALREADY_EXISTS', status: 409 })
  })
})

describe('payments', () => {
  it.each([
    ['ready', 'pending'],
    ['pay-pending', 'pending'],
    ['paid', 'paid'],
    ['failed', 'failed'],
    ['partial-cancelled', 'partially_cancelled'],
    ['cancelled', 'cancelled'],
  ])('maps a %s payment to %s', async (name, status) => {
    const raw = fixtureBody<PaymentInfo>(`getPayment-200-${name}`)
    const payment = await client(recordingFetch(() => json(raw))).getPayment(PAYMENT_ID)
    expect(payment).toMatchObject({ provider: 'portone', orderId: raw.id, status, raw })
  })

  it('answers a missing payment with NotFoundError', async () => {
    const fetch = recordingFetch(() => failure('PAYMENT_NOT_FOUND', 404))
    await expect(client(fetch).getPayment('order-x')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('sends the cancel guard, and counts PAYMENT_ALREADY_CANCELLED as done', async () => {
    const fetch = recordingFetch(() => failure('PAYMENT_ALREADY_CANCELLED', 409))
    const done = await client(fetch).cancelPayment(PAYMENT_ID, {
      reason: '고객 요청',
      amount: 9900,
      currentCancellableAmount: 9900,
    })
    expect(done).toBeNull()
    expect(fetch.calls[0]?.body).toEqual({
      reason: '고객 요청',
      amount: 9900,
      currentCancellableAmount: 9900,
    })
  })

  it('refuses a cancel whose guard no longer matches', async () => {
    const fetch = recordingFetch(() => failure('CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN', 409))
    await expect(
      client(fetch).cancelPayment(PAYMENT_ID, {
        reason: '고객 요청',
        amount: 3000,
        currentCancellableAmount: 9900,
      }),
    ).rejects.toMatchObject({
      name: 'RejectedError',
      code: 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN',
    })
  })

  it('schedules with a key derived from the paymentId, a Date as ISO 8601', async () => {
    const fetch = recordingFetch(() => json({ schedule: { id: 's-1' } }))
    await client(fetch).schedulePayment('order-20260401-0001', {
      payment: chargeInput(),
      timeToPay: new Date('2026-04-01T00:00:00Z'),
    })
    expect(fetch.calls[0]?.headers.get('idempotency-key')).toBe('"order-20260401-0001-schedule"')
    expect(fetch.calls[0]?.body).toMatchObject({ timeToPay: '2026-04-01T00:00:00.000Z' })
  })
})
