// PortOne V2 in the sandbox, through @billingkey/portone: key lookups and the paged list (V1 keys
// too), delete refused while schedules exist, charges on the shared ledger (paid, declined,
// idempotent replays, 409 while in flight, after-commit faults), cancels, and schedules that run
// on the sandbox clock. Every response is checked against the spec.
import { createPortoneClient } from '@billingkey/portone'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createSandbox,
  DATA_SET_SIZE,
  type InProcessSandbox,
  PORTONE_TEST_AMOUNTS,
  sampleRefs,
} from '../src/index'
import { DAY, START } from './helpers'

const refs = sampleRefs({ counts: { portone: { active: 9, deleted: 3, unknown: 2 } } })
const keysOf = (category: string) =>
  refs
    .filter((r) => r.category === category)
    .map((r) => (r.ref as { billingKey: string }).billingKey)
const active = keysOf('active')
const [deleted] = keysOf('deleted') as [string]
const [unknown] = keysOf('unknown') as [string]
const [v2Key] = active.filter((k) => k.startsWith('billing-key-')) as [string]
const [v1Key] = active.filter((k) => !k.startsWith('billing-key-')) as [string]

const sandboxes: InProcessSandbox[] = []
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) expect(sandbox.violations).toEqual([])
})

function setup() {
  const clock = { now: START }
  const sandbox = createSandbox({ validateResponses: true, now: () => clock.now })
  sandboxes.push(sandbox)
  const client = createPortoneClient({
    ...sandbox.credentials.portone,
    baseUrl: sandbox.portone.baseUrl,
    fetch: sandbox.fetch,
  })
  /** A raw request through the in-process fetch, with the demo secret. */
  async function raw(
    method: string,
    path: string,
    json?: unknown,
    headers: Record<string, string> = {},
    signal?: AbortSignal,
  ) {
    const response = await sandbox.fetch(`${sandbox.portone.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `PortOne ${sandbox.credentials.portone.apiSecret}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal,
    })
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    return { status: response.status, body: (await response.json()) as any }
  }
  const input = (billingKey = v2Key, total = 9900) => ({
    billingKey,
    orderName: '월간 이용권',
    amount: { total },
    currency: 'KRW',
  })
  const paid = () =>
    sandbox.ledger.entries().filter((e) => sandbox.ledger.statusOf(e) !== 'failed').length
  return { sandbox, client, raw, input, clock, paid }
}

describe('PortOne V2 keys', () => {
  it('looks keys up: ISSUED (V2 and V1 keys), DELETED with deletedAt, unknown is BILLING_KEY_NOT_FOUND', async () => {
    const { client } = setup()
    const issued = await client.getBillingKey(v2Key)
    expect(issued).toMatchObject({ billingKey: v2Key, status: 'ISSUED' })
    expect(issued.channels[0]?.pgProvider).toMatch(/^[A-Z_0-9]+$/)
    // A key issued through iamport is found by its customer_uid, its PG a V2 channel.
    expect(await client.getBillingKey(v1Key)).toMatchObject({ billingKey: v1Key, status: 'ISSUED' })
    const gone = await client.getBillingKey(deleted)
    expect(gone.status).toBe('DELETED')
    expect(Date.parse((gone as { deletedAt: string }).deletedAt)).toBeLessThan(START)
    await expect(client.getBillingKey(unknown)).rejects.toMatchObject({
      code: 'BILLING_KEY_NOT_FOUND',
      status: 404,
    })
  })

  it('refuses another secret and another store', async () => {
    const { sandbox, raw } = setup()
    const wrong = createPortoneClient({
      apiSecret: 'not-the-secret',
      baseUrl: sandbox.portone.baseUrl,
      fetch: sandbox.fetch,
      maxRetries: 0,
    })
    await expect(wrong.getBillingKey(v2Key)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      status: 401,
    })
    expect(await raw('GET', `/billing-keys/${v2Key}?storeId=store-other`)).toMatchObject({
      status: 403,
      body: { type: 'FORBIDDEN' },
    })
  })

  it('lists every key page by page, with the filters of the spec', async () => {
    const { client } = setup()
    const all = []
    for await (const key of client.listBillingKeys({ pageSize: 100 })) all.push(key)
    expect(all).toHaveLength(DATA_SET_SIZE.portone)
    expect(new Set(all.map((k) => k.billingKey)).size).toBe(DATA_SET_SIZE.portone)
    // Newest request first unless asked otherwise.
    const times = all.map((k) => Date.parse(k.requestedAt as string))
    expect(times).toEqual([...times].sort((a, b) => b - a))

    const page = await client.getBillingKeyPage({
      page: { number: 1, size: 5 },
      filter: { status: ['DELETED'] },
    })
    expect(page.items).toHaveLength(5)
    expect(page.items.every((k) => k.status === 'DELETED')).toBe(true)
    const deletedCount = all.filter((k) => k.status === 'DELETED').length
    expect(page.page).toEqual({ number: 1, size: 5, totalCount: deletedCount })

    const v1 = await client.getBillingKeyPage({ filter: { version: 'V1' } })
    expect(v1.page.totalCount).toBe(250)
    expect(v1.items.every((k) => !k.billingKey.startsWith('billing-key-'))).toBe(true)

    const withCustomer = all.find((k) => k.customer.id) as (typeof all)[number]
    const mine = await client.getBillingKeyPage({
      filter: { customerId: withCustomer.customer.id },
    })
    expect(mine.items.map((k) => k.billingKey)).toContain(withCustomer.billingKey)
    expect(mine.items.every((k) => k.customer.id === withCustomer.customer.id)).toBe(true)

    const ascending = await client.getBillingKeyPage({
      sort: { by: 'ISSUED_AT', order: 'ASC' },
      filter: { timeRangeField: 'ISSUED_AT', from: new Date(START - 30 * DAY).toISOString() },
    })
    const issued = ascending.items.map((k) => Date.parse(k.issuedAt))
    expect(issued).toEqual([...issued].sort((a, b) => a - b))
    expect(issued.every((t) => t >= START - 30 * DAY)).toBe(true)
    expect(ascending.page.totalCount).toBeLessThan(DATA_SET_SIZE.portone / 10)
  })

  it('deletes a key, refused while a schedule is pending on it, and once only', async () => {
    const { client, input } = setup()
    await client.schedulePayment('sched-del-1', {
      payment: input(v1Key),
      timeToPay: new Date(START + DAY),
    })
    await expect(client.deleteBillingKey(v1Key)).rejects.toMatchObject({
      code: 'PAYMENT_SCHEDULE_ALREADY_EXISTS',
      status: 409,
    })
    expect(await client.revokePaymentSchedules({ billingKey: v1Key })).toMatchObject({
      revokedScheduleIds: [expect.stringMatching(/^payment-schedule-/)],
    })
    expect(await client.deleteBillingKey(v1Key)).toEqual({
      deletedAt: new Date(START).toISOString(),
    })
    expect(await client.getBillingKey(v1Key)).toMatchObject({ status: 'DELETED' })
    await expect(client.deleteBillingKey(v1Key)).rejects.toMatchObject({
      code: 'BILLING_KEY_ALREADY_DELETED',
    })
    const charge = await client.chargeBillingKey('after-delete', input(v1Key))
    expect(charge).toMatchObject({
      outcome: 'declined',
      error: { code: 'BILLING_KEY_ALREADY_DELETED' },
    })
  })
})

describe('PortOne V2 charges on the ledger', () => {
  it('charges once: paid, looked up, and a second charge of the paymentId is ALREADY_PAID', async () => {
    const { sandbox, client, raw, input } = setup()
    const result = await client.chargeBillingKey('order-1', input())
    expect(result).toMatchObject({
      outcome: 'paid',
      orderId: 'order-1',
      payment: { status: 'paid' },
    })
    const payment = await client.getPayment('order-1')
    expect(payment).toMatchObject({ orderId: 'order-1', status: 'paid', amount: 9900 })
    expect(payment.raw).toMatchObject({ status: 'PAID', billingKey: v2Key, version: 'V2' })
    // Without an Idempotency-Key a repeat is refused: the paymentId alone prevents the double charge.
    expect(await raw('POST', '/payments/order-1/billing-key', input())).toMatchObject({
      status: 409,
      body: { type: 'ALREADY_PAID' },
    })
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
    await expect(client.getPayment('order-none')).rejects.toMatchObject({
      code: 'PAYMENT_NOT_FOUND',
    })
    const [entry] = sandbox.ledger.entries()
    expect(entry).toMatchObject({ provider: 'portone', orderId: 'order-1', amount: 9900 })
  })

  it('declines the test amounts with 502 PG_PROVIDER; the payment is FAILED and the id can be retried', async () => {
    const { sandbox, client, raw, input } = setup()
    const [amount, decline] = Object.entries(PORTONE_TEST_AMOUNTS)[0] as [string, { code: string }]
    const result = await client.chargeBillingKey('order-d', input(v2Key, Number(amount)))
    expect(result).toMatchObject({ outcome: 'declined', code: decline.code })
    expect((await client.getPayment('order-d')).raw).toMatchObject({
      status: 'FAILED',
      failure: { pgCode: decline.code },
    })
    // The client's Idempotency-Key is derived from the paymentId: within 3 hours its retry
    // replays the decline. A request with no key (or another) charges the paymentId again.
    expect(await client.chargeBillingKey('order-d', input())).toMatchObject({ outcome: 'declined' })
    expect((await raw('POST', '/payments/order-d/billing-key', input())).status).toBe(200)
    expect((await client.getPayment('order-d')).status).toBe('paid')
    expect(sandbox.ledger.audit()).toEqual({ payments: 2, paid: 1, doubleCharges: [] })
  })

  it('replays the stored answer for the same Idempotency-Key; the ledger counts the charge once', async () => {
    const { sandbox, raw, input } = setup()
    const key = { 'idempotency-key': '"order-2-charge-0001"' }
    const first = await raw('POST', '/payments/order-2/billing-key', input(), key)
    expect(first.status).toBe(200)
    expect(await raw('POST', '/payments/order-2/billing-key', input(), key)).toEqual(first)
    // PortOne documents no check of the body: a used key answers what it answered.
    expect(await raw('POST', '/payments/order-2/billing-key', input(v2Key, 1), key)).toEqual(first)
    // Another key is another request: ALREADY_PAID.
    const other = { 'idempotency-key': '"order-2-charge-0002"' }
    expect((await raw('POST', '/payments/order-2/billing-key', input(), other)).body.type).toBe(
      'ALREADY_PAID',
    )
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
    expect(sandbox.stats().operations.portone.payWithBillingKey).toBe(4)
  })

  it('answers 409 IDEMPOTENCY_OUTSTANDING_REQUEST while the first request is in flight', async () => {
    const { sandbox, raw, input } = setup()
    sandbox.setFaults([
      {
        provider: 'portone',
        operationId: 'payWithBillingKey',
        kind: 'slow-commit',
        ms: 40,
        times: 1,
      },
    ])
    const key = { 'idempotency-key': '"order-3-charge-0001"' }
    const first = raw('POST', '/payments/order-3/billing-key', input(), key)
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(await raw('POST', '/payments/order-3/billing-key', input(), key)).toMatchObject({
      status: 409,
      body: { type: 'IDEMPOTENCY_OUTSTANDING_REQUEST' },
    })
    expect((await raw('GET', '/payments/order-3')).body.status).toBe('PAY_PENDING')
    const answered = await first
    expect(answered.status).toBe(200)
    await sandbox.advanceClock(40)
    expect(await raw('POST', '/payments/order-3/billing-key', input(), key)).toEqual(answered)
    expect((await raw('GET', '/payments/order-3')).body.status).toBe('PAID')
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })

  it('the client waits out a charge in flight and gets its answer, charged once', async () => {
    const { sandbox, client, input, clock } = setup()
    sandbox.setFaults([
      { operationId: 'payWithBillingKey', kind: 'slow-commit', ms: 300, times: 1 },
    ])
    const first = client.chargeBillingKey('order-4', input())
    await new Promise((resolve) => setTimeout(resolve, 5))
    const second = client.chargeBillingKey('order-4', input())
    await new Promise((resolve) => setTimeout(resolve, 50))
    clock.now += 300
    expect(await first).toMatchObject({ outcome: 'paid' })
    expect(await second).toMatchObject({ outcome: 'paid' })
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
    expect(sandbox.stats().statuses['409']).toBeGreaterThanOrEqual(1)
  })

  it.each(['commit-then-reset', 'server-error'] as const)(
    '%s on a charge: the client sends it again with its key and is paid once',
    async (kind) => {
      const { sandbox, client, input } = setup()
      sandbox.setFaults([{ provider: 'portone', operationId: 'payWithBillingKey', kind, times: 1 }])
      expect(await client.chargeBillingKey('order-f', input())).toMatchObject({ outcome: 'paid' })
      expect(sandbox.stats().faults).toEqual({ [kind]: 1 })
      expect(sandbox.stats().operations.portone.payWithBillingKey).toBe(2)
      expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
    },
  )

  it('reset-while-committing: the client sends the charge again with its key, draws 409 while the first commits, and is paid once', async () => {
    const { sandbox, client, input, clock, raw } = setup()
    sandbox.setFaults([
      { operationId: 'payWithBillingKey', kind: 'reset-while-committing', ms: 500, times: 1 },
    ])
    const charged = client.chargeBillingKey('order-r', input())
    // The reset came at once; the re-send under the same key finds the first still committing.
    await vi.waitFor(() => expect(sandbox.stats().statuses['409']).toBeGreaterThanOrEqual(1), {
      timeout: 10_000,
    })
    expect((await raw('GET', '/payments/order-r')).body.status).toBe('PAY_PENDING')
    clock.now += 500
    expect(await charged).toMatchObject({ outcome: 'paid' })
    expect(sandbox.stats().faults).toEqual({ 'reset-while-committing': 1 })
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })

  it('commit-then-silent: the charge is made; a repeat with the key replays it', async () => {
    const { sandbox, raw, input } = setup()
    sandbox.setFaults([{ operationId: 'payWithBillingKey', kind: 'commit-then-silent', times: 1 }])
    const key = { 'idempotency-key': '"order-5-charge-0001"' }
    await expect(
      raw('POST', '/payments/order-5/billing-key', input(), key, AbortSignal.timeout(30)),
    ).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(sandbox.ledger.entries().map((e) => sandbox.ledger.statusOf(e))).toEqual(['paid'])
    expect((await raw('POST', '/payments/order-5/billing-key', input(), key)).status).toBe(200)
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })

  it('cancels partly then fully, guarded by currentCancellableAmount', async () => {
    const { client, input } = setup()
    await client.chargeBillingKey('order-c', input(v2Key, 10000))
    const part = await client.cancelPayment('order-c', {
      reason: '부분 환불',
      amount: 4000,
      currentCancellableAmount: 10000,
    })
    expect(part).toMatchObject({ status: 'SUCCEEDED', totalAmount: 4000 })
    await expect(
      client.cancelPayment('order-c', {
        reason: '반복',
        amount: 4000,
        currentCancellableAmount: 10000,
      }),
    ).rejects.toMatchObject({ code: 'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN' })
    expect(await client.getPayment('order-c')).toMatchObject({
      status: 'partially_cancelled',
      cancelledAmount: 4000,
    })
    expect(
      await client.cancelPayment('order-c', { reason: '전액', currentCancellableAmount: 6000 }),
    ).toMatchObject({ totalAmount: 6000 })
    expect((await client.getPayment('order-c')).status).toBe('cancelled')
    // Already cancelled is done: null.
    expect(
      await client.cancelPayment('order-c', { reason: 'again', currentCancellableAmount: 0 }),
    ).toBeNull()
  })
})

describe('PortOne V2 schedules', () => {
  it('run on the sandbox clock; listed, looked up and revoked', async () => {
    const { sandbox, client, raw, input, paid } = setup()
    const { schedule } = await client.schedulePayment('sub-1', {
      payment: input(),
      timeToPay: new Date(START + DAY),
    })
    const declining = Number(Object.keys(PORTONE_TEST_AMOUNTS)[0])
    const { schedule: failing } = await client.schedulePayment('sub-2', {
      payment: input(v2Key, declining),
      timeToPay: new Date(START + 2 * DAY),
    })
    const { schedule: revoked } = await client.schedulePayment('sub-3', {
      payment: input(),
      timeToPay: new Date(START + 3 * DAY),
    })
    // A second schedule of the paymentId (the client's repeat would replay the first answer).
    expect(
      await raw('POST', '/payments/sub-1/schedule', {
        payment: input(),
        timeToPay: new Date(START + DAY).toISOString(),
      }),
    ).toMatchObject({ status: 409, body: { type: 'PAYMENT_SCHEDULE_ALREADY_EXISTS' } })
    // A charge of a scheduled paymentId is refused; nothing is charged before the time.
    expect(await client.chargeBillingKey('sub-1', input())).toMatchObject({ outcome: 'declined' })
    expect(await client.getPaymentSchedule(schedule.id)).toMatchObject({ status: 'SCHEDULED' })
    // The default window is the past 90 days: future schedules need from/until.
    expect((await client.getPaymentSchedulePage()).page.totalCount).toBe(0)
    const window = {
      from: new Date(START).toISOString(),
      until: new Date(START + 10 * DAY).toISOString(),
    }
    const listed = []
    for await (const s of client.listPaymentSchedules({ filter: window, pageSize: 2 }))
      listed.push(s)
    expect(listed.map((s) => s.id)).toEqual([revoked.id, failing.id, schedule.id])

    expect(await client.revokePaymentSchedules({ scheduleIds: [revoked.id] })).toMatchObject({
      revokedScheduleIds: [revoked.id],
    })
    await expect(
      client.revokePaymentSchedules({ scheduleIds: [revoked.id] }),
    ).rejects.toMatchObject({
      code: 'PAYMENT_SCHEDULE_ALREADY_REVOKED',
    })
    expect(paid()).toBe(0)

    await sandbox.advanceClock(4 * DAY)
    expect(await client.getPaymentSchedule(schedule.id)).toMatchObject({ status: 'SUCCEEDED' })
    expect(await client.getPaymentSchedule(failing.id)).toMatchObject({ status: 'FAILED' })
    expect(await client.getPaymentSchedule(revoked.id)).toMatchObject({ status: 'REVOKED' })
    expect((await client.getPayment('sub-1')).raw).toMatchObject({
      status: 'PAID',
      scheduleId: schedule.id,
    })
    expect((await client.getPayment('sub-2')).status).toBe('failed')
    await expect(client.getPayment('sub-3')).rejects.toMatchObject({ code: 'PAYMENT_NOT_FOUND' })
    const done = await client.getPaymentSchedulePage({
      filter: { ...window, status: ['SUCCEEDED', 'FAILED'] },
    })
    expect(done.page.totalCount).toBe(2)
    // All or nothing: an executed schedule among the ids refuses the lot.
    await expect(
      client.revokePaymentSchedules({ scheduleIds: [schedule.id] }),
    ).rejects.toMatchObject({ code: 'PAYMENT_SCHEDULE_ALREADY_PROCESSED' })
    expect(sandbox.ledger.audit()).toEqual({ payments: 2, paid: 1, doubleCharges: [] })
  })
})
