import {
  AbortError,
  AuthenticationError,
  BillingKeyExpiredError,
  ConnectionError,
  RejectedError,
  ResponseError,
  TimeoutError,
  ValidationError,
} from '@billingkey/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  type BootpayChargeResult,
  createBootpayClient,
  type Receipt,
  toPayment,
} from '../src/index'
import { bootpay, credentials, fixtureBody, json } from './helpers'

const PAID = fixtureBody<Receipt>('chargeBillingKey-200')
const ORDER = PAID.order_id
const REQUEST = {
  billingKey: '66542dfb4d18d5fc7b43e1b6',
  orderId: ORDER,
  price: 1000,
  orderName: '테스트결제',
}
const receipt = (overrides: Partial<Receipt> = {}): Receipt => ({ ...PAID, ...overrides })
const PENDING = receipt({ status: 2, purchased_at: undefined, status_locale: '결제승인전' })
const FAILED = receipt({ status: -2, purchased_at: undefined, status_locale: '결제승인실패' })
const refusal = (error_code: string, status = 400) =>
  json({ error_code, message: '<server message>' }, status)
const reset = () => Promise.reject(new TypeError('fetch failed'))
const never = () => new Promise<Response>(() => {})

interface Script {
  /** The answer to the n-th charge request. */
  charge: (n: number) => Response | Promise<Response>
  /** The receipts the n-th `lookup/order/{order_id}` answers. */
  lookup?: (n: number) => Receipt[]
}

/** Bootpay behind an injected fetch: the charge and the order lookups scripted. */
function fakeBootpay(script: Script) {
  let charges = 0
  let lookups = 0
  const fake = bootpay(({ url }) => {
    if (url.pathname === '/v2/subscribe/payment') return script.charge(charges++)
    if (decodeURIComponent(url.pathname) === `/v2/lookup/order/${ORDER}`)
      return json(script.lookup?.(lookups++) ?? [])
    throw new Error(`unexpected request ${url.pathname}`)
  })
  const sent = (path: string) =>
    fake.apiCalls().filter((call) => decodeURIComponent(call.url.pathname).startsWith(path))
  return {
    ...fake,
    charges: () => sent('/v2/subscribe/payment'),
    lookups: () => sent('/v2/lookup/order/'),
  }
}

// Retries on (the default 2): the charge POST must still go out once.
const charge = (fake: ReturnType<typeof fakeBootpay>, options = {}) =>
  createBootpayClient({ ...credentials, fetch: fake.fetch, maxRetries: 2 }).chargeBillingKey(
    REQUEST,
    { pollIntervalMs: 1, ...options },
  )

const always = (receipts: Receipt[]) => () => receipts

afterEach(() => {
  vi.useRealTimers()
})

describe('chargeBillingKey outcomes', () => {
  const cases: [
    string,
    Script,
    Partial<BootpayChargeResult> & { outcome: BootpayChargeResult['outcome'] },
    number,
  ][] = [
    [
      'paid (status 1)',
      { charge: () => json(PAID) },
      { outcome: 'paid', payment: toPayment(PAID) as never },
      0,
    ],
    [
      'paid for another price: no proof, unknown',
      { charge: () => json(receipt({ price: 900 })), lookup: always([]) },
      { outcome: 'unknown', error: expect.any(ResponseError) },
      0,
    ],
    [
      'a failed receipt (status -2): declined',
      { charge: () => json(FAILED) },
      { outcome: 'declined', code: null, reason: '결제승인실패', error: null },
      0,
    ],
    [
      'an undocumented error_code: declined, nothing on record',
      { charge: () => refusal('<decline>'), lookup: always([]) },
      { outcome: 'declined', code: '<decline>', payment: null, error: expect.any(RejectedError) },
      1,
    ],
    [
      'an error_code on a 500: a refusal too, declined',
      { charge: () => refusal('SERVER_ERROR', 500), lookup: always([]) },
      { outcome: 'declined', code: 'SERVER_ERROR', error: expect.any(RejectedError) },
      1,
    ],
    [
      'SUBSCRIBE_BK_EXPIRED: declined as an expired key',
      { charge: () => refusal('SUBSCRIBE_BK_EXPIRED'), lookup: always([]) },
      { outcome: 'declined', error: expect.any(BillingKeyExpiredError) },
      1,
    ],
    [
      'a repeated order_id whose earlier attempt was paid',
      { charge: () => refusal('<duplicate>'), lookup: always([FAILED, PAID]) },
      { outcome: 'paid', payment: toPayment(PAID) as never },
      1,
    ],
    [
      'reset after sending, then found paid',
      { charge: reset, lookup: always([PAID]) },
      { outcome: 'paid', payment: toPayment(PAID) as never },
      1,
    ],
    [
      'a non-JSON 502, then found failed',
      {
        charge: () => new Response('<html>502 Bad Gateway</html>', { status: 502 }),
        lookup: always([FAILED]),
      },
      { outcome: 'declined', code: null, reason: '결제승인실패', error: null },
      1,
    ],
    [
      'reset, found pending (status 2), then paid',
      { charge: reset, lookup: (n) => (n < 2 ? [PENDING] : [PAID]) },
      { outcome: 'paid', payment: toPayment(PAID) as never },
      3,
    ],
    [
      'a pending answer (status 2), polled until paid',
      { charge: () => json(PENDING), lookup: (n) => (n < 1 ? [PENDING] : [PAID]) },
      { outcome: 'paid', payment: toPayment(PAID) as never },
      2,
    ],
    [
      'reset, never found: unknown at the deadline',
      { charge: reset, lookup: always([]) },
      { outcome: 'unknown', payment: null, error: expect.any(ConnectionError) },
      -1,
    ],
  ]

  it.each(cases)('%s', async (_, script, expected, lookups) => {
    const fake = fakeBootpay(script)
    const result = await charge(fake, { deadlineMs: lookups === -1 ? 50 : 10_000 })
    expect(result).toMatchObject({ orderId: ORDER, ...expected })
    // Never re-sent: one charge request, whatever happened.
    expect(fake.charges()).toHaveLength(1)
    if (lookups >= 0) expect(fake.lookups()).toHaveLength(lookups)
    else expect(fake.lookups().length).toBeGreaterThan(0)
  })

  it("sends the caller's order_id, price and name, and the optional fields as given", async () => {
    const fake = fakeBootpay({ charge: () => json(PAID) })
    await createBootpayClient({ ...credentials, fetch: fake.fetch }).chargeBillingKey({
      ...REQUEST,
      tax_free: 0,
      card_quota: '00',
    })
    expect(fake.charges().map((sent) => [sent.method, sent.body])).toEqual([
      [
        'POST',
        {
          billing_key: REQUEST.billingKey,
          order_id: ORDER,
          price: 1000,
          order_name: '테스트결제',
          tax_free: 0,
          card_quota: '00',
        },
      ],
    ])
  })

  it('throws an AuthenticationError for refused credentials, after finding nothing', async () => {
    const fake = fakeBootpay({
      charge: () => refusal('TOKEN_KEY_INVALID', 401),
      lookup: always([]),
    })
    await expect(charge(fake)).rejects.toBeInstanceOf(AuthenticationError)
    // One replay with a new token after the 401: the only resend.
    expect(fake.charges()).toHaveLength(2)
  })

  it('reconciles a timed-out charge (60 s), polling a pending receipt until the deadline', async () => {
    vi.useFakeTimers()
    const fake = fakeBootpay({ charge: never, lookup: always([PENDING]) })
    const pending = charge(fake, { deadlineMs: 120_000, pollIntervalMs: 1_000 })
    await vi.advanceTimersByTimeAsync(59_000)
    expect(fake.lookups()).toHaveLength(0)
    await vi.advanceTimersByTimeAsync(200_000)
    const result = await pending
    expect(result).toMatchObject({
      outcome: 'unknown',
      error: expect.any(TimeoutError),
      payment: { status: 'pending', orderId: ORDER },
    })
    expect((result as { error: Error }).error.message).toContain('60000 ms')
    expect(fake.charges()).toHaveLength(1)
    expect(fake.lookups().length).toBeGreaterThan(4)
  })

  it.each([
    ['found paid: paid', [PAID], 'paid'],
    ['nothing found: unknown', [], 'unknown'],
  ] as const)('an abort after sending looks the order up once: %s', async (_, found, outcome) => {
    const controller = new AbortController()
    const fake = fakeBootpay({
      charge: () => {
        controller.abort()
        return never()
      },
      lookup: always([...found]),
    })
    const result = await charge(fake, { signal: controller.signal })
    expect(result.outcome).toBe(outcome)
    if (result.outcome === 'unknown') expect(result.error).toBeInstanceOf(AbortError)
    expect(fake.charges()).toHaveLength(1)
    expect(fake.lookups()).toHaveLength(1)
  })

  it('does not take a paid answer for another order as proof', async () => {
    const fake = fakeBootpay({
      charge: () => json(receipt({ order_id: 'someone_else' })),
      lookup: always([receipt({ order_id: 'someone_else' })]),
    })
    const result = await charge(fake, { deadlineMs: 20 })
    expect(result).toMatchObject({ outcome: 'unknown', error: expect.any(ResponseError) })
    expect(fake.charges()).toHaveLength(1)
  })
})

describe('chargeBillingKey validates before any request', () => {
  const bad: [string, unknown, Record<string, unknown>?][] = [
    ['billingKey', { ...REQUEST, billingKey: '' }],
    ['orderId', { ...REQUEST, orderId: undefined }],
    ['orderId', { ...REQUEST, orderId: 'x'.repeat(129) }],
    ['orderId', { ...REQUEST, orderId: '..' }],
    ['price', { ...REQUEST, price: 0 }],
    ['price', { ...REQUEST, price: Number.NaN }],
    ['price', { ...REQUEST, price: '1000' }],
    ['orderName', { ...REQUEST, orderName: '' }],
    ['tax_free', { ...REQUEST, tax_free: Number.POSITIVE_INFINITY }],
    ['request', null],
    ['timeoutMs', REQUEST, { timeoutMs: 30_000 }],
    ['deadlineMs', REQUEST, { deadlineMs: -1 }],
  ]
  it.each(bad)('%s', async (field, request, options) => {
    const fake = fakeBootpay({ charge: () => json(PAID) })
    const error = await createBootpayClient({ ...credentials, fetch: fake.fetch })
      .chargeBillingKey(request as never, options)
      .catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field, operation: 'chargeBillingKey' })
    expect(fake.calls).toHaveLength(0)
  })
})
