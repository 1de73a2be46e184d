import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AbortError,
  AuthenticationError,
  type BillingKeyError,
  ConnectionError,
  chargeTiming,
  MIN_CHARGE_TIMEOUT_MS,
  NotFoundError,
  type Payment,
  type PaymentStatus,
  RateLimitError,
  RejectedError,
  ResponseError,
  ServerError,
  type SettleChargeOptions,
  settleCharge,
  TimeoutError,
  ValidationError,
} from '../src'

const ORDER = 'order_2026_12_0001'

const payment = (status: PaymentStatus, amount = 1000): Payment<'iamport'> => ({
  provider: 'iamport',
  orderId: ORDER,
  paymentId: 'imp_1',
  status,
  amount,
  cancelledAmount: 0,
  currency: 'KRW',
  paidAt: status === 'paid' ? new Date(0) : null,
  failedAt: status === 'failed' ? new Date(0) : null,
  cancelledAt: null,
  failure: status === 'failed' ? { code: 'F001', reason: '한도초과' } : null,
  raw: {},
})

type Answer = Payment<'iamport'> | BillingKeyError | null

/**
 * settleCharge over a provider that answers the charge with `charge` and each lookup with the
 * next of `lookups` (the last one repeating). Counts the calls of each.
 */
function settle(
  charge: Answer,
  lookups: Answer[] = [null],
  options: Partial<SettleChargeOptions<'iamport', unknown>> = {},
) {
  const calls = { sendCharge: 0, findPayment: 0 }
  const answer = (value: Answer) => (value instanceof Error ? Promise.reject(value) : value)
  const result = settleCharge({
    provider: 'iamport',
    operation: 'chargeBillingKey',
    orderId: ORDER,
    amount: 1000,
    deadline: Date.now() + 10_000,
    pollIntervalMs: 1,
    sendCharge: async () => {
      calls.sendCharge++
      const value = await answer(charge)
      if (!value) throw new Error('a charge answers a payment or an error')
      return value
    },
    findPayment: async () =>
      answer(lookups[Math.min(calls.findPayment++, lookups.length - 1)] ?? null),
    ...options,
  })
  return { result, calls }
}

const rejected = (code: number) =>
  new RejectedError('iamport chargeBillingKey failed: 이미 결제된 주문입니다', {
    provider: 'iamport',
    status: 200,
    code,
  })

describe('settleCharge', () => {
  it('is paid when the answer says paid for the amount asked, with no lookup', async () => {
    const { result, calls } = settle(payment('paid'))
    const outcome = await result
    expect(outcome).toMatchObject({ outcome: 'paid', orderId: ORDER })
    if (outcome.outcome === 'paid') expect(outcome.payment.amount).toBe(1000)
    expect(calls).toEqual({ sendCharge: 1, findPayment: 0 })
  })

  it('is declined when the answer is a failed payment (issuer decline on HTTP 200)', async () => {
    const { result, calls } = settle(payment('failed'))
    expect(await result).toMatchObject({
      outcome: 'declined',
      code: 'F001',
      reason: '한도초과',
      payment: { status: 'failed' },
      error: null,
    })
    expect(calls.findPayment).toBe(0)
  })

  it('never reports paid for another amount: unknown, with the payment and why', async () => {
    const outcome = await settle(payment('paid', 900)).result
    expect(outcome.outcome).toBe('unknown')
    if (outcome.outcome !== 'unknown') return
    expect(outcome.error).toBeInstanceOf(ResponseError)
    expect(outcome.error.message).toContain('paid 900, not the 1000 asked')
    expect(outcome.payment?.amount).toBe(900)
  })

  it('throws bad input before anything, and never looks the order up', async () => {
    const { result, calls } = settle(new ValidationError('amount must be positive'))
    await expect(result).rejects.toBeInstanceOf(ValidationError)
    expect(calls).toEqual({ sendCharge: 1, findPayment: 0 })
  })

  it("throws the token call's failure: the charge request never went out", async () => {
    const error = new ConnectionError('reset', { provider: 'iamport', operation: 'getToken' })
    const { result, calls } = settle(error)
    await expect(result).rejects.toBe(error)
    expect(calls).toEqual({ sendCharge: 1, findPayment: 0 })
  })

  it('throws an AbortError without sending when the signal fired before the call', async () => {
    const { result, calls } = settle(payment('paid'), [null], { signal: AbortSignal.abort() })
    await expect(result).rejects.toBeInstanceOf(AbortError)
    expect(calls).toEqual({ sendCharge: 0, findPayment: 0 })
  })

  it.each([
    ['a 401 after the replay', new AuthenticationError('401', { status: 401 })],
    ['a 429', new RateLimitError('429', { status: 429 })],
  ])(
    'throws %s when no payment is on record: the provider did not process it',
    async (_, error) => {
      const { result, calls } = settle(error)
      await expect(result).rejects.toBe(error)
      expect(calls).toEqual({ sendCharge: 1, findPayment: 1 })
    },
  )

  it('a refusal with nothing on record is a decline with the code and the message', async () => {
    const error = rejected(1)
    const { result, calls } = settle(error)
    const outcome = await result
    expect(outcome).toMatchObject({ outcome: 'declined', code: '1', payment: null, error })
    expect(calls).toEqual({ sendCharge: 1, findPayment: 1 })
    if (outcome.outcome === 'declined') expect(outcome.reason).toContain('이미 결제된 주문입니다')
  })

  it('a refusal of an order an earlier attempt paid (duplicate order key) is paid', async () => {
    const outcome = await settle(rejected(1), [payment('paid')]).result
    expect(outcome).toMatchObject({ outcome: 'paid', payment: { status: 'paid' } })
  })

  it.each([
    ['reset', new ConnectionError('reset')],
    ['timeout', new TimeoutError('timed out')],
    ['5xx', new ServerError('502', { status: 502 })],
    ['a 2xx off the contract', new ResponseError('not JSON')],
  ])('after a lost answer (%s), the lookup proves paid', async (_, error) => {
    const { result, calls } = settle(error, [payment('paid')])
    expect(await result).toMatchObject({ outcome: 'paid' })
    expect(calls).toEqual({ sendCharge: 1, findPayment: 1 })
  })

  it('after a lost answer, the lookup proves the decline', async () => {
    expect(await settle(new TimeoutError('t'), [payment('failed')]).result).toMatchObject({
      outcome: 'declined',
      code: 'F001',
    })
  })

  it('polls a pending payment until it settles (slow commit)', async () => {
    const { result, calls } = settle(payment('pending'), [
      payment('pending'),
      payment('pending'),
      payment('paid'),
    ])
    expect(await result).toMatchObject({ outcome: 'paid' })
    expect(calls).toEqual({ sendCharge: 1, findPayment: 3 })
  })

  it('keeps looking while the order is not on record yet, and past failed lookups', async () => {
    const lookups = [null, new ConnectionError('down'), null, payment('paid')]
    const { result, calls } = settle(new ConnectionError('reset'), lookups)
    expect(await result).toMatchObject({ outcome: 'paid' })
    expect(calls.findPayment).toBe(4)
  })

  it('is unknown, with the order key and the failure, when the deadline passes', async () => {
    const error = new TimeoutError('timed out')
    const { result, calls } = settle(error, [null], { deadline: Date.now() + 20 })
    expect(await result).toEqual({ outcome: 'unknown', orderId: ORDER, error, payment: null })
    expect(calls.sendCharge).toBe(1)
    expect(calls.findPayment).toBeGreaterThan(1)
  })

  it('is unknown with the last pending payment when it is still pending at the deadline', async () => {
    const outcome = await settle(payment('pending'), [payment('pending')], {
      deadline: Date.now() + 20,
    }).result
    expect(outcome).toMatchObject({ outcome: 'unknown', payment: { status: 'pending' } })
  })

  it('looks the order up once, on no signal, after the caller aborts mid-charge', async () => {
    const controller = new AbortController()
    const seen: (AbortSignal | undefined)[] = []
    const outcome = await settleCharge({
      provider: 'iamport',
      operation: 'chargeBillingKey',
      orderId: ORDER,
      amount: 1000,
      deadline: Date.now() + 60_000,
      pollIntervalMs: 1,
      signal: controller.signal,
      sendCharge: async () => {
        controller.abort()
        throw new AbortError('aborted')
      },
      findPayment: async (signal) => {
        seen.push(signal)
        return null
      },
    })
    expect(outcome).toMatchObject({ outcome: 'unknown', error: { name: 'AbortError' } })
    expect(seen).toEqual([undefined])
  })

  it('a cancelled order is no proof of this charge: unknown', async () => {
    const outcome = await settle(new ConnectionError('reset'), [payment('cancelled')]).result
    expect(outcome.outcome).toBe('unknown')
    if (outcome.outcome === 'unknown') expect(outcome.error.message).toContain('is cancelled')
  })

  it('a NotFoundError (unknown billing key) with nothing on record is a decline', async () => {
    const error = new NotFoundError('no billing key', { status: 404 })
    expect(await settle(error).result).toMatchObject({ outcome: 'declined', error })
  })

  it('sends once and reports paid only with proof, whatever the provider does', async () => {
    const answer = fc.oneof(
      fc
        .constantFrom<PaymentStatus>('paid', 'failed', 'pending', 'cancelled')
        .map((s) => payment(s)),
      fc.constant(payment('paid', 1)),
      fc.constant(null),
      fc.constantFrom(
        new ConnectionError('reset'),
        new TimeoutError('t'),
        new ServerError('5xx', { status: 500 }),
        new RateLimitError('429', { status: 429 }),
        rejected(-1),
      ),
    )
    await fc.assert(
      fc.asyncProperty(answer, fc.array(answer, { minLength: 1, maxLength: 6 }), async (c, l) => {
        const charge = c ?? new ConnectionError('reset')
        const { result, calls } = settle(charge, l, { deadline: Date.now() + 15 })
        const outcome = await result.catch((e: BillingKeyError) => e)
        expect(calls.sendCharge).toBe(1)
        const answers = [charge, ...l.slice(0, calls.findPayment)]
        const proof = answers.some(
          (a) => a && !(a instanceof Error) && a.status === 'paid' && a.amount === 1000,
        )
        if (!(outcome instanceof Error) && outcome.outcome === 'paid') expect(proof).toBe(true)
        if (outcome instanceof Error)
          expect(answers.every((a) => !a || a instanceof Error)).toBe(true)
      }),
      { numRuns: 150 },
    )
  })
})

describe('chargeTiming', () => {
  const details = { provider: 'iamport', operation: 'chargeBillingKey' } as const

  it("takes at least 60 s per attempt, or the client's longer timeout, and a 180 s deadline", () => {
    const before = Date.now()
    const { timeoutMs, deadline } = chargeTiming({}, 30_000, details)
    expect(timeoutMs).toBe(MIN_CHARGE_TIMEOUT_MS)
    expect(deadline).toBeGreaterThanOrEqual(before + 180_000)
    expect(chargeTiming({}, 90_000, details).timeoutMs).toBe(90_000)
    expect(chargeTiming({ timeoutMs: 75_000 }, undefined, details).timeoutMs).toBe(75_000)
  })

  it.each([
    [{ timeoutMs: 10_000 }, 'timeoutMs'],
    [{ timeoutMs: Number.NaN }, 'timeoutMs'],
    [{ deadlineMs: -1 }, 'deadlineMs'],
  ])('refuses %o before any request', (options, field) => {
    expect(() => chargeTiming(options, undefined, details)).toThrow(
      expect.objectContaining({ name: 'ValidationError', field }),
    )
  })
})
