import { AuthenticationError, RejectedError, ValidationError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { type PaymentAnnotation, toPayment } from '../src'
import { client, fakeIamport, fixture, json, ok } from './helpers'

const PAID = (fixture('chargeBillingKey-200').response.body as { response: PaymentAnnotation })
  .response
const payment = (overrides: Partial<PaymentAnnotation> = {}): PaymentAnnotation => ({
  ...PAID,
  ...overrides,
})

describe('toPayment', () => {
  it('maps a paid payment: ids, amounts, currency, times from UNIX seconds, 0 as null', () => {
    expect(toPayment(PAID)).toEqual({
      provider: 'iamport',
      orderId: PAID.merchant_uid,
      paymentId: PAID.imp_uid,
      status: 'paid',
      amount: 1000,
      cancelledAmount: 0,
      currency: 'KRW',
      paidAt: new Date((PAID.paid_at as number) * 1000),
      failedAt: null,
      cancelledAt: null,
      failure: null,
      raw: PAID,
    })
  })

  it.each([
    ['ready is pending', { status: 'ready' }, 'pending'],
    ['failed', { status: 'failed' }, 'failed'],
    ['cancelled in full', { status: 'cancelled', cancel_amount: 1000 }, 'cancelled'],
    [
      'cancelled in part, status cancelled',
      { status: 'cancelled', cancel_amount: 400 },
      'partially_cancelled',
    ],
    [
      'cancelled in part, status still paid',
      { status: 'paid', cancel_amount: 400 },
      'partially_cancelled',
    ],
    [
      'cancelled without an amount on record',
      { status: 'cancelled', cancel_amount: 0 },
      'cancelled',
    ],
  ] as const)('%s', (_, overrides, status) => {
    expect(toPayment(payment(overrides)).status).toBe(status)
  })

  it('keeps fail_reason as the reason, with no code (no source shows one)', () => {
    const failed = toPayment(
      payment({
        status: 'failed',
        paid_at: 0,
        failed_at: 1_603_417_957,
        fail_reason: '[F113] 한도초과',
      }),
    )
    expect(failed.failure).toEqual({ code: null, reason: '[F113] 한도초과' })
    expect(failed.failedAt).toEqual(new Date(1_603_417_957_000))
    expect(failed.paidAt).toBeNull()
  })
})

describe('cancelPayment', () => {
  const refusal = () => json({ code: 1, message: '<already cancelled>', response: null })

  it.each([
    ['a full cancel repeated', { checksum: 1000 }, { cancel_amount: 1000, status: 'cancelled' }],
    ['a partial cancel repeated', { amount: 400, checksum: 1000 }, { cancel_amount: 400 }],
    [
      'a full cancel after a partial one',
      { checksum: 600 },
      { cancel_amount: 1000, status: 'cancelled' },
    ],
  ] as const)('a refusal whose cancel has taken effect is done: %s', async (_, asked, state) => {
    const fake = fakeIamport((request) =>
      request.method === 'POST' ? refusal() : ok(payment(state as Partial<PaymentAnnotation>)),
    )
    const result = await client(fake.fetch).cancelPayment({
      impUid: PAID.imp_uid,
      reason: 'refund',
      ...asked,
    })
    expect(result.cancelledAmount).toBe(state.cancel_amount)
    const [cancel, lookup] = fake.calls()
    expect(fake.calls()).toHaveLength(2)
    expect(cancel?.method).toBe('POST')
    expect(new URL(lookup?.url as string).searchParams.get('include_sandbox')).toBe('true')
  })

  it('rethrows a refusal when the balance is not what the cancel leaves (the checksum differed)', async () => {
    const fake = fakeIamport((request) =>
      request.method === 'POST' ? refusal() : ok(payment({ cancel_amount: 300 })),
    )
    const error = await client(fake.fetch)
      .cancelPayment({ impUid: PAID.imp_uid, checksum: 1000, reason: 'refund' })
      .catch((e) => e)
    expect(error).toBeInstanceOf(RejectedError)
  })

  it('looks an order key up by merchant_uid', async () => {
    const fake = fakeIamport((request) =>
      request.method === 'POST'
        ? refusal()
        : ok(payment({ cancel_amount: 1000, status: 'cancelled' })),
    )
    await client(fake.fetch).cancelPayment({
      merchantUid: PAID.merchant_uid,
      checksum: 1000,
      reason: 'refund',
    })
    expect(new URL(fake.calls()[1]?.url as string).pathname).toBe(
      `/payments/find/${PAID.merchant_uid}`,
    )
  })

  it('does not look up after a 401: nothing was processed', async () => {
    const fake = fakeIamport(() => json({ code: -1, message: 'no', response: null }, 401))
    await expect(
      client(fake.fetch).cancelPayment({ impUid: PAID.imp_uid, checksum: 1000, reason: 'r' }),
    ).rejects.toBeInstanceOf(AuthenticationError)
    expect(fake.calls().every((request) => request.method === 'POST')).toBe(true)
  })

  it.each([
    ['checksum', { impUid: 'imp_1', reason: 'r' }],
    ['checksum', { impUid: 'imp_1', reason: 'r', checksum: -1 }],
    ['impUid/merchantUid', { reason: 'r', checksum: 1000 }],
    ['impUid/merchantUid', { impUid: 'imp_1', merchantUid: 'o', reason: 'r', checksum: 1000 }],
    ['amount', { impUid: 'imp_1', reason: 'r', checksum: 1000, amount: 1001 }],
    ['reason', { impUid: 'imp_1', checksum: 1000 }],
    ['impUid', { impUid: 'x'.repeat(33), reason: 'r', checksum: 1000 }],
  ])('validates %s before any request', async (field, request) => {
    const fake = fakeIamport(() => ok(PAID))
    const error = await client(fake.fetch)
      .cancelPayment(request as never)
      .catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error.field).toBe(field)
    expect(fake.requests).toHaveLength(0)
  })
})

describe('schedules and lookups validate before any request', () => {
  const entry = { merchant_uid: 'order_1', schedule_at: 1_704_034_800, amount: 1000, name: 'n' }
  it.each([
    [
      'schedulePayments: a repeated merchant_uid',
      (c: ReturnType<typeof client>) => c.schedulePayments('customer_1234', [entry, { ...entry }]),
      'schedules[].merchant_uid',
    ],
    [
      'schedulePayments: no schedules',
      (c: ReturnType<typeof client>) => c.schedulePayments('customer_1234', []),
      'schedules',
    ],
    [
      'schedulePayments: schedule_at in ms',
      (c: ReturnType<typeof client>) =>
        c.schedulePayments('customer_1234', [{ ...entry, schedule_at: 1.5 }]),
      'schedules[].schedule_at',
    ],
    [
      'unschedulePayments: a repeated merchant_uid',
      (c: ReturnType<typeof client>) =>
        c.unschedulePayments('customer_1234', { merchantUids: ['a', 'a'] }),
      'merchantUids',
    ],
    [
      'getPayments: no ids',
      (c: ReturnType<typeof client>) => c.getPayments({}),
      'impUids/merchantUids',
    ],
    [
      'getPayments: over 100 ids',
      (c: ReturnType<typeof client>) =>
        c.getPayments({ impUids: Array.from({ length: 101 }, (_, i) => `imp_${i}`) }),
      'impUids/merchantUids',
    ],
    [
      'findPayment: an unknown status',
      (c: ReturnType<typeof client>) => c.findPayment('order_1', { status: 'refunded' as never }),
      'status',
    ],
    [
      'findPayment: a merchant_uid over 40',
      (c: ReturnType<typeof client>) => c.findPayment('o'.repeat(41)),
      'merchantUid',
    ],
  ] as const)('%s', async (_, run, field) => {
    const fake = fakeIamport(() => ok([]))
    const error = await run(client(fake.fetch)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field })
    expect(fake.requests).toHaveLength(0)
  })
})
