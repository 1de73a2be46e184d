import { NotFoundError, RejectedError, ValidationError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { createBootpayClient, type Receipt, toPayment } from '../src/index'
import { bootpay, credentials, fixtureBody, json } from './helpers'

const PAID = fixtureBody<Receipt>('getReceipt-200')
const CANCELLED = fixtureBody<Receipt>('cancelPayment-200')
const refusal = (error_code: string, status = 400) =>
  json({ error_code, message: '<server message>' }, status)

const client = (fake: ReturnType<typeof bootpay>) =>
  createBootpayClient({ ...credentials, fetch: fake.fetch, maxRetries: 0 })
const paths = (fake: ReturnType<typeof bootpay>) =>
  fake.apiCalls().map((call) => `${call.method} ${decodeURIComponent(call.url.pathname)}`)

describe('toPayment', () => {
  const cases: [string, Partial<Receipt>, string, number][] = [
    ['status 1: paid', {}, 'paid', 0],
    ['status 2 (awaiting confirmation): pending', { status: 2 }, 'pending', 0],
    ['status 0: pending', { status: 0 }, 'pending', 0],
    ['status -1 (failed mid-payment): failed', { status: -1 }, 'failed', 0],
    ['status -2 (approval failed): failed', { status: -2 }, 'failed', 0],
    ['status 20, all of it: cancelled', { status: 20, cancelled_price: 1000 }, 'cancelled', 1000],
    [
      'status 20, part of it: partially cancelled',
      { status: 20, cancelled_price: 400 },
      'partially_cancelled',
      400,
    ],
    [
      'status 20 without cancelled_price: cancelled',
      { status: 20, cancelled_price: undefined },
      'cancelled',
      0,
    ],
    ['status -20 (cancel failed), nothing refunded: paid', { status: -20 }, 'paid', 0],
  ]
  it.each(cases)('%s', (_, overrides, status, cancelledAmount) => {
    const payment = toPayment({ ...PAID, ...overrides })
    expect(payment).toMatchObject({
      provider: 'bootpay',
      orderId: PAID.order_id,
      paymentId: PAID.receipt_id,
      status,
      amount: 1000,
      cancelledAmount,
      currency: 'KRW',
    })
    expect(payment.failure).toEqual(status === 'failed' ? { code: null, reason: '결제완료' } : null)
  })

  it('reads the times, and keeps the receipt as raw', () => {
    const payment = toPayment(CANCELLED)
    expect(payment.paidAt?.toISOString()).toBe('2024-05-27T06:53:47.000Z')
    expect(payment.cancelledAt?.toISOString()).toBe('2024-05-28T00:12:03.000Z')
    expect(payment.failedAt).toBeNull()
    expect(payment.raw).toBe(CANCELLED)
  })
})

describe('findPayment', () => {
  const FAILED = { ...PAID, receipt_id: 'f'.repeat(24), status: -2 }
  const PENDING = { ...PAID, receipt_id: 'e'.repeat(24), status: 2 }
  it.each([
    ['the paid receipt among failed ones', [FAILED, PAID, PENDING], PAID],
    ['a pending one when none is paid', [FAILED, PENDING], PENDING],
    ['a failed one when that is all', [FAILED], FAILED],
    ['null for an empty list', [], null],
    ["null when the receipts are another order's", [{ ...PAID, order_id: 'other' }], null],
  ] as const)('%s', async (_, receipts, expected) => {
    const fake = bootpay(() => json(receipts))
    const found = await client(fake).findPayment(PAID.order_id)
    expect(found).toEqual(expected && toPayment(expected as Receipt))
    expect(paths(fake)).toEqual([`GET /v2/lookup/order/${PAID.order_id}`])
  })

  it("is null on Bootpay's not-found answer, and throws any other refusal", async () => {
    await expect(
      client(bootpay(() => refusal('RC_NOT_FOUND'))).findPayment('order_1'),
    ).resolves.toBeNull()
    await expect(
      client(bootpay(() => refusal('<other>'))).findPayment('order_1'),
    ).rejects.toBeInstanceOf(RejectedError)
  })
})

describe('getReceipt', () => {
  it('returns the receipt as a Payment, with lookup_user_data when asked', async () => {
    const fake = bootpay(() => json(PAID))
    await expect(
      client(fake).getReceipt(PAID.receipt_id, { lookupUserData: true }),
    ).resolves.toEqual(toPayment(PAID))
    expect(fake.apiCalls()[0]?.url.search).toBe('?lookup_user_data=true')
  })

  it('is a NotFoundError for an unknown receipt (RC_NOT_FOUND)', async () => {
    const fake = bootpay(() => refusal('RC_NOT_FOUND'))
    await expect(client(fake).getReceipt('0'.repeat(24))).rejects.toBeInstanceOf(NotFoundError)
  })
})

describe('cancelPayment', () => {
  const REQUEST = {
    receiptId: PAID.receipt_id,
    cancelId: 'order_1_cancel_1',
    price: 1000,
    reason: '고객 요청',
  }

  it('sends the caller cancel_id and returns the cancelled payment', async () => {
    const fake = bootpay(() => json(CANCELLED))
    await expect(client(fake).cancelPayment(REQUEST)).resolves.toEqual(toPayment(CANCELLED))
    expect(fake.apiCalls().map((call) => call.body)).toEqual([
      {
        receipt_id: PAID.receipt_id,
        cancel_id: 'order_1_cancel_1',
        cancel_price: 1000,
        cancel_message: '고객 요청',
      },
    ])
  })

  it('counts RC_ALREADY_CANCELLED as done: the receipt as it stands', async () => {
    const fake = bootpay(({ url }) =>
      url.pathname === '/v2/cancel' ? refusal('RC_ALREADY_CANCELLED') : json(CANCELLED),
    )
    await expect(client(fake).cancelPayment(REQUEST)).resolves.toEqual(toPayment(CANCELLED))
    expect(paths(fake)).toEqual(['POST /v2/cancel', `GET /v2/receipt/${PAID.receipt_id}`])
  })

  it('throws any other refusal (a repeated cancel_id has no documented code), sent once', async () => {
    const fake = bootpay(() => refusal('<repeated cancel_id>'))
    await expect(client(fake).cancelPayment(REQUEST)).rejects.toBeInstanceOf(RejectedError)
    expect(paths(fake)).toEqual(['POST /v2/cancel'])
  })

  it.each([
    ['cancelId', { ...REQUEST, cancelId: undefined }],
    ['cancelId', { ...REQUEST, cancelId: '' }],
    ['receiptId', { ...REQUEST, receiptId: '' }],
    ['price', { ...REQUEST, price: 0 }],
    ['taxFree', { ...REQUEST, taxFree: -1 }],
    ['reason', { ...REQUEST, reason: undefined }],
    ['request', null],
  ])('refuses a bad %s before any request', async (field, request) => {
    const fake = bootpay(() => json(CANCELLED))
    const error = await client(fake)
      .cancelPayment(request as never)
      .catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field, operation: 'cancelPayment' })
    expect(fake.calls).toHaveLength(0)
  })
})

describe('reservations', () => {
  const RESERVATION = fixtureBody('reservePayment-200')
  const REQUEST = {
    billingKey: '62b3d166cf9f6d001bd20d59',
    orderId: 'order_1',
    price: 1000,
    orderName: '테스트 결제',
    executeAt: new Date('2030-01-01T00:00:00Z'),
    pendingReservations: [] as string[],
  }
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`)

  it('reserves once, executeAt as ISO 8601, the bookkeeping fields not sent', async () => {
    const fake = bootpay(() => json(RESERVATION))
    await expect(
      createBootpayClient({ ...credentials, fetch: fake.fetch }).reservePayment({
        ...REQUEST,
        pendingReservations: ids(9),
      }),
    ).resolves.toEqual(RESERVATION)
    expect(fake.apiCalls().map((call) => [call.method, call.body])).toEqual([
      [
        'POST',
        {
          billing_key: REQUEST.billingKey,
          order_id: 'order_1',
          price: 1000,
          order_name: '테스트 결제',
          reserve_execute_at: '2030-01-01T00:00:00.000Z',
        },
      ],
    ])
  })

  it.each([
    ['pendingReservations', { ...REQUEST, pendingReservations: ids(10) }],
    ['pendingReservations', { ...REQUEST, pendingReservations: undefined }],
    ['executeAt', { ...REQUEST, executeAt: 'tomorrow' }],
    ['executeAt', { ...REQUEST, executeAt: undefined }],
    ['price', { ...REQUEST, price: -1 }],
  ])('refuses a bad %s before any request', async (field, request) => {
    const fake = bootpay(() => json(RESERVATION))
    const error = await client(fake)
      .reservePayment(request as never)
      .catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field, operation: 'reservePayment' })
    expect(fake.calls).toHaveLength(0)
  })

  it('gets and cancels a reservation by id', async () => {
    const info = fixtureBody('getReservation-200')
    const cancelled = fixtureBody('cancelReservation-200')
    const fake = bootpay(({ method }) => json(method === 'GET' ? info : cancelled))
    await expect(client(fake).getReservation('6490149ca575b40024f0b70d')).resolves.toEqual(info)
    await expect(client(fake).cancelReservation('6490149ca575b40024f0b70d')).resolves.toEqual(
      cancelled,
    )
    expect(paths(fake)).toEqual([
      'GET /v2/subscribe/payment/reserve/6490149ca575b40024f0b70d',
      'DELETE /v2/subscribe/payment/reserve/6490149ca575b40024f0b70d',
    ])
  })
})

describe('deleteBillingKey with cancelReservations', () => {
  const KEY = '62c7ccedcf9f6d001b3adcd5'

  it('cancels the named reservations first, then deletes the key', async () => {
    const fake = bootpay(({ url }) =>
      url.pathname.includes('/reserve/')
        ? json({ reserve_id: url.pathname.split('/').at(-1), success: true })
        : json({ billing_key: KEY }),
    )
    await expect(
      client(fake).deleteBillingKey(KEY, { cancelReservations: ['r1', 'r2'] }),
    ).resolves.toEqual({ billing_key: KEY })
    expect(paths(fake)).toEqual([
      'DELETE /v2/subscribe/payment/reserve/r1',
      'DELETE /v2/subscribe/payment/reserve/r2',
      `DELETE /v2/subscribe/billing_key/${KEY}`,
    ])
  })

  it('does not delete the key when a reservation cannot be cancelled', async () => {
    const fake = bootpay(() => refusal('<not cancellable>'))
    await expect(
      client(fake).deleteBillingKey(KEY, { cancelReservations: ['r1', 'r2'] }),
    ).rejects.toBeInstanceOf(RejectedError)
    expect(paths(fake)).toEqual(['DELETE /v2/subscribe/payment/reserve/r1'])
  })

  it('refuses a bad reservation id before any request', async () => {
    const fake = bootpay(() => json({ billing_key: KEY }))
    await expect(
      client(fake).deleteBillingKey(KEY, { cancelReservations: ['r1', ''] }),
    ).rejects.toMatchObject({ name: 'ValidationError', field: 'cancelReservations' })
    expect(fake.calls).toHaveLength(0)
  })
})
