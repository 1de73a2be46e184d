import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  RejectedError,
  ResponseError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '@billingkey/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { recordingFetch } from '../../core/test/fetch'
import { type IamportChargeResult, type PaymentAnnotation, toPayment } from '../src'
import { client, fixture, json, ok } from './helpers'

const recorded = (fixture('chargeBillingKey-200').response.body as { response: PaymentAnnotation })
  .response
const ORDER = recorded.merchant_uid
const REQUEST = { merchantUid: ORDER, amount: 1000, name: '월간 이용권' }

const payment = (overrides: Partial<PaymentAnnotation> = {}): PaymentAnnotation => ({
  ...recorded,
  ...overrides,
})
const PAID = payment()
const READY = payment({ status: 'ready', paid_at: 0, pg_tid: null, apply_num: null })
const FAILED = payment({
  status: 'failed',
  paid_at: 0,
  failed_at: 1603417957,
  fail_reason: '한도초과',
})
const notFound = () => json({ code: 1, message: '<not found>', response: null }, 404)
const reset = () => Promise.reject(new TypeError('fetch failed'))
const never = () => new Promise<Response>(() => {})

interface Script {
  /** The answer to the n-th charge request. */
  charge: (n: number, signal: AbortSignal) => Response | Promise<Response>
  /** The answer to the n-th `find/{mu}/paid` and `find/{mu}` lookups: a payment, or null (404). */
  paid?: (n: number) => PaymentAnnotation | null
  any?: (n: number) => PaymentAnnotation | null
}

/** iamport behind an injected fetch: tokens `token-<n>`, the charge and lookups scripted. */
function fakeIamport(script: Script) {
  let tokens = 0
  let charges = 0
  let paidLookups = 0
  let anyLookups = 0
  const fetch = recordingFetch(({ url, signal }) => {
    if (url.pathname === '/users/getToken') {
      tokens++
      return ok({ access_token: `token-${tokens}`, now: 1_700_000_000, expired_at: 1_700_001_800 })
    }
    if (url.pathname === '/subscribe/payments/again') return script.charge(charges++, signal)
    const found = url.pathname.match(/^\/payments\/find\/([^/]+)(\/paid)?$/)
    if (found?.[1] === ORDER) {
      const answer = found[2] ? script.paid?.(paidLookups++) : script.any?.(anyLookups++)
      return answer ? ok(answer) : notFound()
    }
    throw new Error(`unexpected request ${url.pathname}`)
  })
  const sent = (path: string) => fetch.calls.filter((call) => call.url.pathname === path)
  return {
    fetch,
    charges: () => sent('/subscribe/payments/again'),
    tokens: () => sent('/users/getToken'),
    lookups: () => fetch.calls.filter((call) => call.url.pathname.startsWith('/payments/find/')),
  }
}

// Retries on (the default 2): the charge POST must still go out once.
const charge = (fake: ReturnType<typeof fakeIamport>, options = {}) =>
  client(fake.fetch, { maxRetries: 2 }).chargeBillingKey('customer_1234', REQUEST, {
    pollIntervalMs: 1,
    ...options,
  })

const always =
  (value: PaymentAnnotation | null) =>
  (_: number): PaymentAnnotation | null =>
    value

afterEach(() => {
  vi.useRealTimers()
})

describe('chargeBillingKey outcomes', () => {
  const cases: [
    string,
    Script,
    Partial<IamportChargeResult> & { outcome: IamportChargeResult['outcome'] },
    number,
  ][] = [
    ['paid', { charge: () => ok(PAID) }, { outcome: 'paid', payment: toPayment(PAID) as never }, 0],
    [
      'paid for another amount: no proof, unknown',
      { charge: () => ok(payment({ amount: 900 })), paid: always(null), any: always(null) },
      { outcome: 'unknown', error: expect.any(ResponseError) },
      0,
    ],
    [
      'the issuer declined (200, status failed)',
      { charge: () => ok(FAILED) },
      { outcome: 'declined', code: null, reason: '한도초과', error: null },
      0,
    ],
    [
      'iamport refused (code != 0), nothing on record',
      {
        charge: () => json({ code: -1, message: '카드 한도 초과', response: null }),
        paid: always(null),
        any: always(null),
      },
      { outcome: 'declined', code: '-1', payment: null, error: expect.any(RejectedError) },
      2,
    ],
    [
      'a used merchant_uid whose earlier attempt was paid',
      {
        charge: () => json({ code: 1, message: '이미 주문이 이루어진 건입니다.', response: null }),
        paid: always(PAID),
      },
      { outcome: 'paid', payment: toPayment(PAID) as never },
      1,
    ],
    [
      'reset after sending, then found paid',
      { charge: reset, paid: always(PAID) },
      { outcome: 'paid', payment: toPayment(PAID) as never },
      1,
    ],
    [
      'a 5xx, then found failed',
      {
        charge: () => new Response('<html>502 Bad Gateway</html>', { status: 502 }),
        paid: always(null),
        any: always(FAILED),
      },
      { outcome: 'declined', code: null, reason: '한도초과', error: null },
      2,
    ],
    [
      'reset, found ready, then paid',
      { charge: reset, paid: (n) => (n < 2 ? null : PAID), any: always(READY) },
      { outcome: 'paid', payment: toPayment(PAID) as never },
      5,
    ],
    [
      'a 500 with an envelope, never found: unknown at the deadline',
      {
        charge: () => json({ code: -1, message: 'internal', response: null }, 500),
        paid: always(null),
        any: always(null),
      },
      { outcome: 'unknown', payment: null, error: expect.any(ServerError) },
      -1,
    ],
  ]

  it.each(cases)('%s', async (_, script, expected, lookups) => {
    const fake = fakeIamport(script)
    const result = await charge(fake, { deadlineMs: lookups === -1 ? 50 : 10_000 })
    expect(result).toMatchObject({ orderId: ORDER, ...expected })
    // Never re-sent: one charge request, whatever happened.
    expect(fake.charges()).toHaveLength(1)
    if (lookups >= 0) expect(fake.lookups()).toHaveLength(lookups)
    else expect(fake.lookups().length).toBeGreaterThan(0)
  })

  it('sends the caller merchant_uid, the amount and the name, with a 60 s timeout', async () => {
    const fake = fakeIamport({ charge: () => ok(PAID) })
    await charge(fake)
    const [sent] = fake.charges()
    expect(sent?.method).toBe('POST')
    expect(sent?.body).toEqual({
      customer_uid: 'customer_1234',
      merchant_uid: ORDER,
      amount: 1000,
      name: '월간 이용권',
    })
  })

  it('replays once after a 401, with a new token: the only resend', async () => {
    const fake = fakeIamport({
      charge: (n) =>
        n === 0 ? json({ code: -1, message: 'expired', response: null }, 401) : ok(PAID),
    })
    const result = await charge(fake)
    expect(result.outcome).toBe('paid')
    expect(fake.charges().map((sent) => sent.headers.get('authorization'))).toEqual([
      'Bearer token-1',
      'Bearer token-2',
    ])
    expect(fake.tokens()).toHaveLength(2)
    expect(fake.lookups()).toHaveLength(0)
  })

  it('throws an AuthenticationError when the replay is refused too, after finding nothing', async () => {
    const fake = fakeIamport({
      charge: () => json({ code: -1, message: 'unauthorized', response: null }, 401),
      paid: always(null),
      any: always(null),
    })
    await expect(charge(fake)).rejects.toBeInstanceOf(AuthenticationError)
    expect(fake.charges()).toHaveLength(2)
  })

  it('reconciles a timed-out charge (60 s), polling a ready payment until the deadline', async () => {
    vi.useFakeTimers()
    const fake = fakeIamport({ charge: never, paid: always(null), any: always(READY) })
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
    ['found paid: paid', PAID, 'paid'],
    ['nothing found: unknown', null, 'unknown'],
  ] as const)('an abort after sending looks the order up once: %s', async (_, found, outcome) => {
    const controller = new AbortController()
    const fake = fakeIamport({
      charge: () => {
        controller.abort()
        return never()
      },
      paid: always(found),
      any: always(null),
    })
    const result = await charge(fake, { signal: controller.signal })
    expect(result.outcome).toBe(outcome)
    if (result.outcome === 'unknown') expect(result.error).toBeInstanceOf(AbortError)
    expect(fake.charges()).toHaveLength(1)
    // Once: the paid lookup, and the any-state one when nothing is paid.
    expect(fake.lookups()).toHaveLength(found ? 1 : 2)
  })

  it('reports a reset as unknown, not as a decline, when nothing settles it', async () => {
    const fake = fakeIamport({ charge: reset, paid: always(null), any: always(null) })
    const result = await charge(fake, { deadlineMs: 20 })
    expect(result).toMatchObject({ outcome: 'unknown', error: expect.any(ConnectionError) })
    expect(fake.charges()).toHaveLength(1)
  })

  it('does not take a paid answer for another order as proof', async () => {
    const fake = fakeIamport({
      charge: () => ok(payment({ merchant_uid: 'someone_else' })),
      paid: always(null),
      any: always(null),
    })
    const result = await charge(fake, { deadlineMs: 20 })
    expect(result).toMatchObject({ outcome: 'unknown', error: expect.any(ResponseError) })
  })
})

describe('chargeBillingKey validates before any request', () => {
  const bad: [string, string, unknown, Record<string, unknown>?][] = [
    ['customerUid', '', REQUEST],
    ['merchantUid', 'c', { ...REQUEST, merchantUid: undefined }],
    ['merchantUid', 'c', { ...REQUEST, merchantUid: 'x'.repeat(41) }],
    ['merchantUid', 'c', { ...REQUEST, merchantUid: ' order ' }],
    ['merchantUid', 'c', { ...REQUEST, merchantUid: '..' }],
    ['amount', 'c', { ...REQUEST, amount: 0 }],
    ['amount', 'c', { ...REQUEST, amount: Number.NaN }],
    ['amount', 'c', { ...REQUEST, amount: '1000' }],
    ['name', 'c', { ...REQUEST, name: '' }],
    ['name', 'c', { ...REQUEST, name: 'n'.repeat(41) }],
    ['tax_free', 'c', { ...REQUEST, tax_free: Number.POSITIVE_INFINITY }],
    ['request', 'c', null],
    ['timeoutMs', 'c', REQUEST, { timeoutMs: 30_000 }],
  ]
  it.each(bad)('%s', async (field, uid, request, options) => {
    const fake = fakeIamport({ charge: () => ok(PAID) })
    const error = await client(fake.fetch)
      .chargeBillingKey(uid, request as never, options)
      .catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field, operation: 'chargeBillingKey' })
    expect(fake.fetch.calls).toHaveLength(0)
  })
})
