// iamport charging on the sandbox ledger: charges, declines, refusals, lookups, cancels, schedules
// that run on the sandbox clock and post webhooks, and the faults that strike after the commit.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createIamportClient } from '@billingkey/iamport'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createSandbox,
  FAULT_KINDS,
  type InProcessSandbox,
  sampleRefs,
  startSandbox,
} from '../src/index'
import { START } from './helpers'

const refs = sampleRefs({ counts: { iamport: { active: 2, deleted: 1 } } })
const uidsOf = (category: string) =>
  refs
    .filter((r) => r.category === category)
    .map((r) => (r.ref as { customerUid: string }).customerUid)
const [active, otherActive] = uidsOf('active') as [string, string]
const [deleted] = uidsOf('deleted') as [string]

const sandboxes: InProcessSandbox[] = []
afterEach(() => {
  for (const sandbox of sandboxes.splice(0)) expect(sandbox.violations).toEqual([])
})

function setup(options: { now?: () => number } = {}) {
  const clock = { now: START }
  const sandbox = createSandbox({ validateResponses: true, now: options.now ?? (() => clock.now) })
  sandboxes.push(sandbox)
  const client = createIamportClient({
    ...sandbox.credentials.iamport,
    baseUrl: sandbox.iamport.baseUrl,
    fetch: sandbox.fetch,
    maxRetries: 0,
  })
  let token: string | undefined
  /** A raw call through the in-process fetch, with a token. */
  async function raw(path: string, json?: unknown, init: { signal?: AbortSignal } = {}) {
    token ??= await client.getToken()
    const response = await sandbox.fetch(`${sandbox.iamport.baseUrl}${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: init.signal,
    })
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
    return { status: response.status, body: (await response.json()) as any }
  }
  const charge = (merchant_uid: string, amount = 1000, customer_uid = active) =>
    raw('/subscribe/payments/again', { customer_uid, merchant_uid, amount, name: '월간 이용권' })
  return { sandbox, client, raw, charge, clock }
}

describe('iamport charges on the ledger', () => {
  it('charges a key once per merchant_uid; the payment is found every way', async () => {
    const { sandbox, client, raw, charge } = setup()
    const paid = await charge('order_1', 1000)
    expect(paid.status).toBe(200)
    expect(paid.body).toMatchObject({
      code: 0,
      response: { merchant_uid: 'order_1', status: 'paid', amount: 1000, customer_uid: active },
    })
    const impUid = paid.body.response.imp_uid as string
    expect(await charge('order_1', 1000)).toEqual({
      status: 200,
      body: { code: 1, message: '이미 주문이 이루어진 건입니다.', response: null },
    })
    expect((await raw('/payments/find/order_1')).body.response.imp_uid).toBe(impUid)
    expect((await raw('/payments/find/order_1/paid')).body.response.imp_uid).toBe(impUid)
    expect((await raw('/payments/find/order_1/failed')).status).toBe(404)
    expect((await raw('/payments/find/order_none')).body).toMatchObject({ code: 1 })
    // A test-channel payment needs include_sandbox=true.
    expect((await raw(`/payments/${impUid}`)).status).toBe(404)
    expect((await raw(`/payments/${impUid}?include_sandbox=true`)).body.response.imp_uid).toBe(
      impUid,
    )
    const page = await client.listPayments(active)
    expect(page.list[0]).toMatchObject({ imp_uid: impUid, customer_uid: active })
    expect(sandbox.ledger.entries()).toMatchObject([{ orderId: 'order_1', paymentId: impUid }])
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })

  it('declines the documented test amounts with status failed, and the order may be charged again', async () => {
    const { client, raw, charge } = setup()
    const declined = await charge('order_2', 4001)
    expect(declined.body).toMatchObject({
      code: 0,
      response: { status: 'failed', fail_reason: '잔액이 부족합니다.', paid_at: 0 },
    })
    expect(
      await client.chargeBillingKey(active, { merchantUid: 'order_3', amount: 4002, name: 'n' }),
    ).toMatchObject({ outcome: 'declined', reason: '한도가 초과되었습니다.' })
    // A failed attempt does not use the order key up.
    expect((await charge('order_2', 1000)).body.response.status).toBe('paid')
    const all = await raw('/payments/findAll/order_2')
    expect(all.body.response.list.map((p: { status: string }) => p.status)).toEqual([
      'paid',
      'failed',
    ])
    expect((await raw('/payments/findAll/order_2/failed')).body.response.total).toBe(1)
    expect((await raw('/payments/findAll/order_none')).status).toBe(404)
  })

  it('refuses an unknown customer_uid (code 1) and a PG refusal amount (code -1), recording nothing', async () => {
    const { sandbox, charge, client } = setup()
    expect((await charge('order_4', 1000, 'nobody_here')).body).toEqual({
      code: 1,
      message: '등록되지 않은 구매자입니다.',
      response: null,
    })
    expect((await charge('order_4b', 1000, deleted)).body.message).toBe(
      '등록되지 않은 구매자입니다.',
    )
    expect((await charge('order_5', 4009)).body).toMatchObject({ code: -1, response: null })
    expect(sandbox.ledger.entries()).toEqual([])
    expect(
      await client.chargeBillingKey('nobody_here', {
        merchantUid: 'order_6',
        amount: 1,
        name: 'n',
      }),
    ).toMatchObject({ outcome: 'declined' })
  })

  it('answers the multi lookup 200, 207 with the found ones, or 404', async () => {
    const { raw, charge } = setup()
    const a = (await charge('order_a')).body.response.imp_uid
    await charge('order_b')
    const both = await raw(`/payments?imp_uid[]=${a}&merchant_uid[]=order_b`)
    expect(both.status).toBe(200)
    expect(both.body.response).toHaveLength(2)
    const some = await raw(`/payments?imp_uid[]=${a}&imp_uid[]=imps_nope`)
    expect(some.status).toBe(207)
    expect(some.body.response).toHaveLength(1)
    expect((await raw('/payments?merchant_uid[]=order_none')).status).toBe(404)
  })

  it('cancels with the checksum guard; a repeat is "already cancelled", which the client counts as done', async () => {
    const { raw, charge, client } = setup()
    const impUid = (await charge('order_c', 3000)).body.response.imp_uid
    const wrong = await raw('/payments/cancel', { imp_uid: impUid, amount: 1000, checksum: 2000 })
    expect(wrong.body).toMatchObject({ code: 1, response: null })
    const part = await raw('/payments/cancel', { imp_uid: impUid, amount: 1000, checksum: 3000 })
    expect(part.body.response).toMatchObject({ status: 'paid', cancel_amount: 1000 })
    const rest = await raw('/payments/cancel', { merchant_uid: 'order_c', checksum: 2000 })
    expect(rest.body.response).toMatchObject({ status: 'cancelled', cancel_amount: 3000 })
    expect(rest.body.response.cancel_history).toHaveLength(2)
    const again = await raw('/payments/cancel', { imp_uid: impUid, checksum: 2000 })
    expect(again.body).toEqual({ code: 1, message: '이미 전액취소된 주문입니다.', response: null })
    expect(
      (await raw('/payments/cancel', { imp_uid: 'imps_nope', checksum: 1 })).body.message,
    ).toBe('취소할 결제건이 존재하지 않습니다.')
    // A used order key stays used after a cancel.
    expect((await charge('order_c', 3000)).body.code).toBe(1)
    const impUid2 = (await charge('order_d', 500)).body.response.imp_uid
    const cancel = { impUid: impUid2, checksum: 500, reason: '고객 요청' }
    expect((await client.cancelPayment(cancel)).status).toBe('cancelled')
    expect((await client.cancelPayment(cancel)).status).toBe('cancelled')
  })
})

describe('iamport schedules on the sandbox clock', () => {
  it('runs a due schedule when the clock passes schedule_at, and posts the webhook to notice_url', async () => {
    const received: unknown[] = []
    const server = createServer((request, response) => {
      let text = ''
      request.on('data', (chunk) => (text += chunk))
      request.on('end', () => {
        received.push(JSON.parse(text))
        response.end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const notice = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    try {
      const { sandbox, client, raw, clock } = setup()
      const at = Math.floor(clock.now / 1000) + 3600
      const scheduled = await client.schedulePayments(active, [
        { merchant_uid: 'sched_1', schedule_at: at, amount: 1000, name: 'n', notice_url: notice },
        { merchant_uid: 'sched_2', schedule_at: at + 60, amount: 4001, name: 'n' },
        { merchant_uid: 'sched_3', schedule_at: at, amount: 1000, name: 'n' },
      ])
      expect(scheduled.map((s) => s.schedule_status)).toEqual([
        'scheduled',
        'scheduled',
        'scheduled',
      ])
      const duplicate = await raw('/subscribe/payments/schedule', {
        customer_uid: active,
        schedules: [{ merchant_uid: 'sched_1', schedule_at: at, amount: 1, name: 'n' }],
      })
      expect(duplicate.body).toMatchObject({ code: 1, response: null })
      const revoked = await client.unschedulePayments(active, { merchantUids: ['sched_3'] })
      expect(revoked.map((s) => s.schedule_status)).toEqual(['revoked'])
      expect(
        (await raw('/subscribe/payments/unschedule', { merchant_uid: ['sched_3'] })).body,
      ).toEqual({ code: 1, message: '취소할 예약결제 기록이 존재하지 않습니다.', response: null })

      await sandbox.advanceClock(3599_000)
      expect((await client.getSchedule('sched_1')).schedule_status).toBe('scheduled')
      expect(received).toEqual([])
      await sandbox.advanceClock(120_000)
      const run = await client.getSchedule('sched_1')
      expect(run).toMatchObject({ schedule_status: 'executed', payment_status: 'paid' })
      expect(received).toEqual([{ imp_uid: run.imp_uid, merchant_uid: 'sched_1', status: 'paid' }])
      expect(await client.getSchedule('sched_2')).toMatchObject({
        payment_status: 'failed',
        fail_reason: '잔액이 부족합니다.',
      })
      expect((await client.getSchedule('sched_3')).schedule_status).toBe('revoked')
      expect((await client.findPayment('sched_1'))?.status).toBe('paid')
      expect(sandbox.ledger.entries().map((e) => e.scheduleId)).toEqual(['sched_1', 'sched_2'])
      const listed = await client.listSchedules(active, { from: at - 10, to: at + 100 })
      expect(listed.list.map((s) => s.merchant_uid).sort()).toEqual([
        'sched_1',
        'sched_2',
        'sched_3',
      ])
    } finally {
      server.close()
    }
  })

  it('runs due schedules lazily on the next request, and never posts a webhook off this machine', async () => {
    const lines: string[] = []
    const clock = { now: START }
    const sandbox = createSandbox({ now: () => clock.now, log: (l) => lines.push(l) })
    const client = createIamportClient({
      ...sandbox.credentials.iamport,
      baseUrl: sandbox.iamport.baseUrl,
      fetch: sandbox.fetch,
    })
    const at = Math.floor(START / 1000) + 60
    const notice_url = 'http://example.com/hook'
    await client.schedulePayments(otherActive, [
      { merchant_uid: 'lazy_1', schedule_at: at, amount: 1000, name: 'n', notice_url },
    ])
    clock.now += 61_000
    expect((await client.findPayment('lazy_1'))?.status).toBe('paid')
    expect(lines).toContain('webhook not sent: example.com is not a loopback host')
  })
})

describe('faults after the commit', () => {
  it('are fault kinds, validated like the others', () => {
    expect(FAULT_KINDS).toEqual(
      expect.arrayContaining(['commit-then-reset', 'commit-then-silent', 'slow-commit']),
    )
    const { sandbox } = setup()
    expect(() => sandbox.setFaults([{ kind: 'slow-commit', ms: -1 }])).toThrow(TypeError)
  })

  it('commit-then-reset: the charge is paid on the ledger, the caller sees a dropped connection', async () => {
    const { sandbox, charge } = setup()
    sandbox.setFaults([{ operationId: 'chargeBillingKey', kind: 'commit-then-reset', times: 1 }])
    await expect(charge('order_r')).rejects.toMatchObject({
      name: 'TypeError',
      cause: { code: 'ECONNRESET' },
    })
    expect(sandbox.ledger.entries().map((e) => sandbox.ledger.statusOf(e))).toEqual(['paid'])
    expect(sandbox.stats().faults).toEqual({ 'commit-then-reset': 1 })
  })

  it('commit-then-silent: the charge is paid, no answer comes until the caller gives up', async () => {
    const { sandbox, raw } = setup()
    sandbox.setFaults([{ operationId: 'chargeBillingKey', kind: 'commit-then-silent', times: 1 }])
    const signal = AbortSignal.timeout(50)
    const body = { customer_uid: active, merchant_uid: 'order_s', amount: 1000, name: 'n' }
    await expect(raw('/subscribe/payments/again', body, { signal })).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    expect(sandbox.ledger.entries().map((e) => sandbox.ledger.statusOf(e))).toEqual(['paid'])
  })

  it('slow-commit: the payment is ready until `ms` have passed on the sandbox clock; the answer comes as late', async () => {
    const { sandbox, raw, charge } = setup()
    sandbox.setFaults([{ operationId: 'chargeBillingKey', kind: 'slow-commit', ms: 20, times: 1 }])
    const slow = await charge('order_w')
    expect(slow.body.response).toMatchObject({ status: 'ready', paid_at: 0 })
    // The injected clock has not moved: still in flight, and it holds the order key.
    expect((await raw('/payments/find/order_w')).body.response.status).toBe('ready')
    expect((await charge('order_w')).body.code).toBe(1)
    await sandbox.advanceClock(20)
    expect((await raw('/payments/find/order_w')).body.response.status).toBe('paid')
    expect(sandbox.ledger.audit()).toEqual({ payments: 1, paid: 1, doubleCharges: [] })
  })

  it('work over the socket too', async () => {
    const sandbox = await startSandbox({ validateResponses: true })
    try {
      const token = (
        await (
          await fetch(`${sandbox.iamport.baseUrl}/users/getToken`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ imp_key: 'sandbox_imp_key', imp_secret: 'sandbox_imp_secret' }),
          })
        ).json()
      ).response.access_token
      const send = (merchant_uid: string, signal?: AbortSignal) =>
        fetch(`${sandbox.iamport.baseUrl}/subscribe/payments/again`, {
          method: 'POST',
          headers: { authorization: token, 'content-type': 'application/json' },
          body: JSON.stringify({ customer_uid: active, merchant_uid, amount: 10, name: 'n' }),
          signal,
        })
      sandbox.setFaults([
        { operationId: 'chargeBillingKey', kind: 'commit-then-reset', times: 1 },
        { operationId: 'chargeBillingKey', kind: 'commit-then-silent', times: 1 },
        { operationId: 'chargeBillingKey', kind: 'slow-commit', ms: 30, times: 1 },
      ])
      await expect(send('sock_1')).rejects.toMatchObject({ cause: { code: 'ECONNRESET' } })
      await expect(send('sock_2', AbortSignal.timeout(50))).rejects.toMatchObject({
        name: 'TimeoutError',
      })
      expect((await (await send('sock_3')).json()).response.merchant_uid).toBe('sock_3')
      await sandbox.advanceClock(30)
      expect(sandbox.ledger.entries().map((e) => sandbox.ledger.statusOf(e))).toEqual([
        'paid',
        'paid',
        'paid',
      ])
    } finally {
      await sandbox.close()
    }
    expect(sandbox.violations).toEqual([])
  })
})
