// Bootpay charging on the sandbox ledger, through @billingkey/bootpay: charges, declines,
// duplicates, receipts, lookups by order, cancels, reservations that run on the sandbox clock and
// post to feedback_url, and the faults that strike after the commit, each reconciled by the client.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createBootpayClient, NotFoundError, RejectedError } from '@billingkey/bootpay'
import { afterEach, describe, expect, it } from 'vitest'
import {
  BOOTPAY_SANDBOX_CODES,
  BOOTPAY_TEST_AMOUNTS,
  type BootpayFeedback,
  createSandbox,
  type InProcessSandbox,
  sampleRefs,
} from '../src/index'
import { START } from './helpers'

const refs = sampleRefs({ counts: { bootpay: { active: 12, expired: 12, deleted: 12 } } })
const keysOf = (category: string) =>
  refs.flatMap((r) =>
    r.category === category && 'billingKey' in r.ref ? [r.ref.billingKey as string] : [],
  )
const [active, otherActive] = keysOf('active') as [string, string]
const [expired] = keysOf('expired') as [string]
const [deleted] = keysOf('deleted') as [string]
if (![active, otherActive, expired, deleted].every(Boolean)) throw new Error('too few sample keys')

const sandboxes: InProcessSandbox[] = []
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) expect(sandbox.violations).toEqual([])
})

/** An in-process sandbox and our client over it; `now` defaults to a clock only tests move. */
function setup(options: { realClock?: boolean } = {}) {
  const clock = { now: START }
  const sandbox = createSandbox({
    validateResponses: true,
    ...(options.realClock ? {} : { now: () => clock.now }),
  })
  sandboxes.push(sandbox)
  const client = createBootpayClient({
    ...sandbox.credentials.bootpay,
    baseUrl: sandbox.bootpay.baseUrl,
    fetch: sandbox.fetch,
    maxRetries: 0,
  })
  /** A raw call through the in-process fetch, with Basic auth. */
  async function raw(method: string, path: string, json?: unknown) {
    const { clientKey, secretKey } = sandbox.credentials.bootpayBasic
    const response = await sandbox.fetch(`${sandbox.bootpay.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${clientKey}:${secretKey}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    })
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    return { status: response.status, body: (await response.json()) as any }
  }
  const charge = (orderId: string, price = 1000, billingKey = active) =>
    client.chargeBillingKey(
      { billingKey, orderId, price, orderName: '월간 이용권' },
      { pollIntervalMs: 5 },
    )
  const bootpayEntries = () => sandbox.ledger.entries().filter((e) => e.provider === 'bootpay')
  return { sandbox, client, raw, charge, clock, bootpayEntries }
}

describe('Bootpay charges on the ledger', () => {
  it('charges a key once per order_id; the receipt is found by id and by order', async () => {
    const { sandbox, client, raw, charge, bootpayEntries } = setup()
    const paid = await charge('order_1', 1000)
    expect(paid.outcome).toBe('paid')
    if (paid.outcome !== 'paid') return
    expect(paid.payment).toMatchObject({ provider: 'bootpay', orderId: 'order_1', amount: 1000 })
    const receiptId = paid.payment.paymentId as string
    expect(paid.payment.raw).toMatchObject({
      receipt_id: receiptId,
      status: 1,
      status_locale: '결제완료',
      sandbox: true,
      method_origin_symbol: expect.any(String),
    })
    expect(bootpayEntries()).toMatchObject([
      { provider: 'bootpay', paymentId: receiptId, orderId: 'order_1', billingKey: active },
    ])

    // A repeat of the paid order_id is refused (the spec: no code documented) and charges nothing.
    const repeat = await raw('POST', '/v2/subscribe/payment', {
      billing_key: active,
      order_id: 'order_1',
      order_name: 'n',
      price: 1000,
    })
    expect(repeat).toMatchObject({
      status: 400,
      body: { error_code: BOOTPAY_SANDBOX_CODES.duplicateOrder },
    })
    // Our client reads the refusal, then its lookup finds the earlier paid receipt.
    const again = await charge('order_1', 1000)
    expect(again).toMatchObject({ outcome: 'paid', payment: { paymentId: receiptId } })
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })

    expect((await client.getReceipt(receiptId)).status).toBe('paid')
    expect((await client.findPayment('order_1'))?.paymentId).toBe(receiptId)
    expect(await client.findPayment('order_none')).toBeNull()
    expect(await raw('GET', '/v2/lookup/order/order_none')).toEqual({ status: 200, body: [] })
    await expect(client.getReceipt('0123456789abcdef01234567')).rejects.toThrow(NotFoundError)
  })

  it('declines the test amounts with an error_code; the declined order may be charged again', async () => {
    const { sandbox, client, raw, charge } = setup()
    expect(Object.keys(BOOTPAY_TEST_AMOUNTS)).toEqual(['4001', '4002', '4003'])
    const direct = await raw('POST', '/v2/subscribe/payment', {
      billing_key: active,
      order_id: 'order_d0',
      order_name: 'n',
      price: 4002,
    })
    expect(direct).toEqual({
      status: 400,
      body: { error_code: 'SANDBOX_CARD_LIMIT_EXCEEDED', message: '한도가 초과되었습니다.' },
    })
    const declined = await charge('order_d', 4001)
    expect(declined.outcome).toBe('declined')
    const found = await client.findPayment('order_d')
    expect(found).toMatchObject({ status: 'failed', amount: 4001 })
    expect(found?.raw).toMatchObject({ status: -2 })
    expect((await charge('order_d', 1000)).outcome).toBe('paid')
    expect((await client.findPayment('order_d'))?.status).toBe('paid')
    expect(
      (await raw('GET', '/v2/lookup/order/order_d')).body.map((r: { status: number }) => r.status),
    ).toEqual([-2, 1])
    expect(sandbox.ledger.audit()).toEqual({ payments: 3, paid: 1, doubleCharges: [] })
  })

  it('refuses destroyed, expired and unknown keys, recording nothing', async () => {
    const { sandbox, raw, charge } = setup()
    expect(await charge('order_x', 1000, deleted)).toMatchObject({
      outcome: 'declined',
      code: 'SUBSCRIBE_BK_EXPIRED',
    })
    expect(await charge('order_y', 1000, expired)).toMatchObject({
      outcome: 'declined',
      code: 'SUBSCRIBE_BK_EXPIRED',
    })
    const unknown = await raw('POST', '/v2/subscribe/payment', {
      billing_key: '0123456789abcdef01234567',
      order_id: 'order_z',
      order_name: 'n',
      price: 1000,
    })
    expect(unknown.body.error_code).toBe('RC_NOT_FOUND')
    expect(sandbox.ledger.entries()).toEqual([])
  })

  it('cancels in part and in full under cancel_id: a repeated id is refused, already cancelled is done', async () => {
    const { sandbox, client, raw, charge } = setup()
    const paid = await charge('order_c', 1000)
    if (paid.outcome !== 'paid') throw new Error(paid.outcome)
    const receiptId = paid.payment.paymentId as string
    const part = await client.cancelPayment({
      receiptId,
      cancelId: 'order_c_cancel_1',
      price: 300,
      reason: '부분 환불',
    })
    expect(part).toMatchObject({ status: 'partially_cancelled', cancelledAmount: 300 })
    expect(part.raw).toMatchObject({ status: 20, cancelled_price: 300 })
    // The same cancel_id again: refused, nothing refunded twice.
    const repeated = await client
      .cancelPayment({ receiptId, cancelId: 'order_c_cancel_1', price: 300, reason: 'r' })
      .catch((error: unknown) => error)
    expect(repeated).toBeInstanceOf(RejectedError)
    expect((repeated as RejectedError).code).toBe(BOOTPAY_SANDBOX_CODES.repeatedCancel)
    expect(
      (
        await raw('POST', '/v2/cancel', {
          receipt_id: receiptId,
          cancel_id: 'order_c_cancel_x',
          cancel_price: 5000,
        })
      ).body.error_code,
    ).toBe(BOOTPAY_SANDBOX_CODES.cancelTooMuch)
    const rest = await client.cancelPayment({
      receiptId,
      cancelId: 'order_c_cancel_2',
      reason: 'r',
    })
    expect(rest).toMatchObject({ status: 'cancelled', cancelledAmount: 1000 })
    // A retried full cancel meets RC_ALREADY_CANCELLED: the client returns the receipt.
    expect(
      await client.cancelPayment({ receiptId, cancelId: 'order_c_cancel_2', reason: 'r' }),
    ).toMatchObject({ status: 'cancelled', cancelledAmount: 1000 })
    const entry = sandbox.ledger.entries()[0]
    expect(entry?.cancellations.map((c) => [c.amount, c.cancelId])).toEqual([
      [300, 'order_c_cancel_1'],
      [700, 'order_c_cancel_2'],
    ])
    // The order stays used after its cancel.
    expect(
      (
        await raw('POST', '/v2/subscribe/payment', {
          billing_key: active,
          order_id: 'order_c',
          order_name: 'n',
          price: 1000,
        })
      ).body.error_code,
    ).toBe(BOOTPAY_SANDBOX_CODES.duplicateOrder)
    await expect(
      client.cancelPayment({ receiptId: '0123456789abcdef01234567', cancelId: 'c', reason: 'r' }),
    ).rejects.toThrow(NotFoundError)
  })
})

describe('faults after the commit of a Bootpay charge, reconciled by the client', () => {
  const rule = (kind: 'commit-then-reset' | 'commit-then-silent' | 'slow-commit', ms?: number) => ({
    provider: 'bootpay' as const,
    operationId: 'chargeBillingKey',
    kind,
    ms,
    times: 1,
  })

  it('commit-then-reset: the answer is lost, the lookup by order_id proves the charge', async () => {
    const { sandbox, charge } = setup()
    sandbox.setFaults([rule('commit-then-reset')])
    expect(await charge('order_r')).toMatchObject({ outcome: 'paid', orderId: 'order_r' })
    expect(sandbox.stats().faults).toEqual({ 'commit-then-reset': 1 })
    expect(sandbox.stats().operations.bootpay).toMatchObject({
      chargeBillingKey: 1,
      findReceiptsByOrderId: 1,
    })
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })

  it('commit-then-silent: the caller gives up, one lookup proves the charge', async () => {
    const { sandbox, client } = setup()
    sandbox.setFaults([rule('commit-then-silent')])
    const result = await client.chargeBillingKey(
      { billingKey: active, orderId: 'order_s', price: 1000, orderName: 'n' },
      { signal: AbortSignal.timeout(100), pollIntervalMs: 5 },
    )
    expect(result.outcome).toBe('paid')
    expect(sandbox.stats().operations.bootpay.chargeBillingKey).toBe(1)
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })

  it('slow-commit: the receipt is pending (status 2) until it settles; lookup/order shows it settling', async () => {
    // The sandbox's own clock: the charge settles `ms` after it was made.
    const { sandbox, raw, charge } = setup({ realClock: true })
    sandbox.setFaults([rule('slow-commit', 150)])
    const pending = charge('order_w')
    // While the answer is held back, the order is in flight: pending, and it holds the order_id.
    await new Promise((resolve) => setTimeout(resolve, 30))
    const during = await raw('GET', '/v2/lookup/order/order_w')
    expect(during.body).toMatchObject([{ status: 2, status_locale: '결제승인전' }])
    expect(during.body[0]).not.toHaveProperty('purchased_at')
    const result = await pending
    expect(result.outcome).toBe('paid')
    const after = await raw('GET', '/v2/lookup/order/order_w')
    expect(after.body).toMatchObject([{ status: 1, purchased_at: expect.any(String) }])
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })

  it('slow-commit on a frozen clock: the client reports unknown with the pending receipt, never resends', async () => {
    const { sandbox, client } = setup()
    sandbox.setFaults([rule('slow-commit', 10)])
    const result = await client.chargeBillingKey(
      { billingKey: active, orderId: 'order_f', price: 1000, orderName: 'n' },
      { pollIntervalMs: 5, deadlineMs: 60 },
    )
    expect(result).toMatchObject({ outcome: 'unknown', payment: { status: 'pending' } })
    expect(sandbox.stats().operations.bootpay.chargeBillingKey).toBe(1)
  })
})

describe('Bootpay reservations on the sandbox clock', () => {
  async function listen() {
    const received: BootpayFeedback[] = []
    const server = createServer((request, response) => {
      let text = ''
      request.on('data', (chunk) => {
        text += chunk
      })
      request.on('end', () => {
        received.push(JSON.parse(text))
        response.end('OK')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    return { received, url: `http://127.0.0.1:${port}/feedback`, close: () => server.close() }
  }

  it('run when due, charge the ledger and post the receipt to feedback_url', async () => {
    const { sandbox, client, raw, bootpayEntries } = setup()
    const hook = await listen()
    try {
      const executeAt = new Date(START + 3_600_000)
      const reserve = (orderId: string, price = 1000, pendingReservations: string[] = []) =>
        client.reservePayment({
          billingKey: active,
          orderId,
          price,
          orderName: '정기 결제',
          executeAt,
          feedback_url: hook.url,
          content_type: 'application/json',
          pendingReservations,
        })
      const first = await reserve('resv_1')
      expect(first.reserve_execute_at).toBe('2025-06-15T13:00:00+09:00')
      const second = await reserve('resv_2', 4001, [first.reserve_id])
      const third = await reserve('resv_3', 1000, [first.reserve_id, second.reserve_id])
      // A used order_id cannot be reserved again.
      expect(
        (
          await raw('POST', '/v2/subscribe/payment/reserve', {
            billing_key: active,
            order_id: 'resv_1',
            order_name: 'n',
            price: 1000,
            reserve_execute_at: executeAt.toISOString(),
          })
        ).body.error_code,
      ).toBe(BOOTPAY_SANDBOX_CODES.duplicateOrder)
      expect(await client.cancelReservation(third.reserve_id)).toEqual({
        reserve_id: third.reserve_id,
        success: true,
      })
      expect((await client.getReservation(first.reserve_id)).status).toBe(1)

      await sandbox.advanceClock(3_599_000)
      expect(bootpayEntries()).toEqual([])
      expect(hook.received).toEqual([])
      await sandbox.advanceClock(1_000)
      const run = await client.getReservation(first.reserve_id)
      expect(run).toMatchObject({ status: 2, order_id: 'resv_1', receipt_id: expect.any(String) })
      expect(hook.received.map((r) => [r.order_id, r.status, r.receipt_id])).toEqual([
        ['resv_1', 1, run.receipt_id],
        ['resv_2', -2, expect.any(String)],
      ])
      expect((await client.findPayment('resv_1'))?.status).toBe('paid')
      expect((await client.getReservation(third.reserve_id)).status).toBe(3)
      expect(bootpayEntries().map((e) => e.scheduleId)).toEqual([
        first.reserve_id,
        second.reserve_id,
      ])
      // Run or cancelled: neither can be cancelled now.
      expect(
        (await raw('DELETE', `/v2/subscribe/payment/reserve/${first.reserve_id}`)).body.error_code,
      ).toBe(BOOTPAY_SANDBOX_CODES.reserveDone)
    } finally {
      hook.close()
    }
  })

  it('take at most 10 per key; a destroyed key refuses their cancel but still runs them', async () => {
    const { sandbox, client, raw } = setup()
    const executeAt = new Date(START + 60_000).toISOString()
    const body = (order_id: string) => ({
      billing_key: otherActive,
      order_id,
      order_name: 'n',
      price: 1000,
      reserve_execute_at: executeAt,
    })
    const ids: string[] = []
    for (let i = 0; i < 10; i++) {
      const answer = await raw('POST', '/v2/subscribe/payment/reserve', body(`many_${i}`))
      ids.push(answer.body.reserve_id)
    }
    expect(
      (await raw('POST', '/v2/subscribe/payment/reserve', body('many_10'))).body,
    ).toMatchObject({
      error_code: BOOTPAY_SANDBOX_CODES.reserveLimit,
    })
    // Our client refuses the 11th before sending.
    await expect(
      client.reservePayment({
        billingKey: otherActive,
        orderId: 'many_11',
        price: 1000,
        orderName: 'n',
        executeAt,
        pendingReservations: ids,
      }),
    ).rejects.toThrow(/at most 10/)
    // Destroying the key leaves its reservations standing: Bootpay's documented trap.
    await client.deleteBillingKey(otherActive)
    const cancel = await raw('DELETE', `/v2/subscribe/payment/reserve/${ids[0]}`)
    expect(cancel.body.error_code).toBe('SUBSCRIBE_BK_EXPIRED')
    await sandbox.advanceClock(60_000)
    expect(sandbox.ledger.audit()).toEqual({ payments: 10, paid: 10, doubleCharges: [] })
  })

  it('never posts feedback off this machine', async () => {
    const lines: string[] = []
    const clock = { now: START }
    const sandbox = createSandbox({ now: () => clock.now, log: (l) => lines.push(l) })
    const client = createBootpayClient({
      ...sandbox.credentials.bootpay,
      baseUrl: sandbox.bootpay.baseUrl,
      fetch: sandbox.fetch,
    })
    await client.reservePayment({
      billingKey: active,
      orderId: 'lazy_1',
      price: 1000,
      orderName: 'n',
      executeAt: new Date(START + 60_000),
      feedback_url: 'http://example.com/hook',
      pendingReservations: [],
    })
    clock.now += 61_000
    // Due reservations run on the next request, too.
    expect((await client.findPayment('lazy_1'))?.status).toBe('paid')
    expect(lines).toContain('webhook not sent: example.com is not a loopback host')
  })
})
