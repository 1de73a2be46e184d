// The client driven against every recorded exchange in specs/bootpay/fixtures: the injected fetch
// checks that the request it receives is the fixture's request, answers with the fixture's
// response, and the call ends in the value or the typed error the fixture names.

import { type Fixture, loadFixtures, loadSpec } from '@billingkey/contract'
import * as core from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import {
  type BootpayClient,
  createBootpayClient,
  NotBillingKeyReceiptError,
  type Receipt,
  toPayment,
} from '../src/index'
import type { Call } from './helpers'
import { recorder } from './helpers'

const spec = loadSpec('bootpay')
const fixtures = loadFixtures(new URL('../../../specs/bootpay/fixtures/', import.meta.url))
const token = fixtures.find((fixture) => fixture.file === 'getAccessToken-200.json') as Fixture

const classes: Record<string, unknown> = { ...core, NotBillingKeyReceiptError }

/** A request as the fixture format writes it. */
const onTheWire = ({ method, url, headers, body }: Call) => ({
  method,
  path: decodeURIComponent(url.pathname),
  ...(url.search && { query: url.search.slice(1) }),
  headers: Object.fromEntries(headers),
  ...(body !== undefined && { body }),
})

const byFile = (name: string) =>
  fixtures.find((fixture) => fixture.file === `${name}.json`) as Fixture

/**
 * The lookups a call makes after the fixture's own exchange (a charge refused, a cancel refused):
 * answered by the fixture named here, or by an empty list of receipts when none is.
 */
const FOLLOW_UPS: Record<string, { path: string; answer: string }> = {
  // A repeated order_id: the earlier attempt was paid, so this charge is paid.
  'chargeBillingKey-400-duplicate-order-id.json': {
    path: '/v2/lookup/order/1716792650.95292',
    answer: 'findReceiptsByOrderId-200',
  },
  // Already cancelled: done, the receipt as it stands.
  'cancelPayment-400-rc-already-cancelled.json': {
    path: '/v2/receipt/66542dfb4d18d5fc7b43e1b5',
    answer: 'cancelPayment-200',
  },
}

/** What a call that resolves must resolve to: the fixture's body, as the method shapes it. */
function expectedValue(fixture: Fixture) {
  const body = fixture.response.body as Receipt & { error_code?: string; message: string }
  const followUp = FOLLOW_UPS[fixture.file]
  const answer = followUp && (byFile(followUp.answer).response.body as Receipt | Receipt[])
  const receipt = Array.isArray(answer) ? answer[0] : answer
  switch (fixture.client?.call) {
    case 'chargeBillingKey': {
      const orderId = (fixture.request.body as { order_id: string }).order_id
      if (fixture.response.status === 200)
        return { outcome: 'paid', orderId, payment: toPayment(body) }
      if (receipt) return { outcome: 'paid', orderId, payment: toPayment(receipt) }
      // Any error_code is a refusal, a 5xx's too: declined, with Bootpay's code.
      return {
        outcome: 'declined',
        orderId,
        code: body.error_code,
        reason: expect.stringContaining(body.message),
        payment: null,
        error: expect.objectContaining({
          name:
            body.error_code === 'SUBSCRIBE_BK_EXPIRED' ? 'BillingKeyExpiredError' : 'RejectedError',
          code: body.error_code,
          status: fixture.response.status,
        }),
      }
    }
    case 'cancelPayment':
    case 'getReceipt':
      return toPayment(receipt ?? body)
    case 'findPayment':
      return toPayment((body as unknown as Receipt[])[0] as Receipt)
    default:
      return body
  }
}

/** Calls the fixture's client method; each request is answered and kept with its exchange. */
function drive(fixture: Fixture) {
  const basic = fixture.request.headers?.authorization?.startsWith('Basic ')
  const exchanges: [Call, Fixture][] = []
  let ownAnswered = false
  const fake = recorder((call) => {
    // After the fixture's own exchange, a GET is a follow-up lookup.
    if (ownAnswered && call.method === 'GET' && fixture.request.method !== 'GET') {
      const followUp = FOLLOW_UPS[fixture.file]
      exchanges.push([call, { ...fixture, file: `follow-up ${call.url.pathname}` }])
      const answer =
        followUp && decodeURIComponent(call.url.pathname) === followUp.path
          ? byFile(followUp.answer).response.body
          : []
      return new Response(JSON.stringify(answer), {
        headers: { 'content-type': 'application/json' },
      })
    }
    const exchange =
      call.url.pathname === '/v2/request/token' && fixture.operationId !== 'getAccessToken'
        ? token
        : fixture
    if (exchange === fixture) ownAnswered = true
    exchanges.push([call, exchange])
    return new Response(JSON.stringify(exchange.response.body), {
      status: exchange.response.status,
      headers: { 'content-type': 'application/json', ...exchange.response.headers },
    })
  })
  const client = createBootpayClient({
    ...(basic
      ? { clientKey: '<client_key>', secretKey: '<secret_key>' }
      : { applicationId: '<application_id>', privateKey: '<private_key>' }),
    fetch: fake.fetch,
    maxRetries: 0,
  })
  const { call, args } = fixture.client as NonNullable<Fixture['client']>
  const method = client[call as keyof BootpayClient] as (...args: unknown[]) => Promise<unknown>
  return { result: method(...args), exchanges }
}

/**
 * Every request was its exchange's recorded request, the fixture's own sent exactly once, and
 * the follow-up the fixture names was made.
 */
function expectRecordedRequests(fixture: Fixture, exchanges: [Call, Fixture][]) {
  const own = exchanges.filter(([, exchange]) => exchange.file === fixture.file)
  const followUps = exchanges.filter(([, exchange]) => exchange.file.startsWith('follow-up '))
  expect(own).toHaveLength(1)
  const followUp = FOLLOW_UPS[fixture.file]
  if (followUp)
    expect(followUps.map(([call]) => decodeURIComponent(call.url.pathname))).toContain(
      followUp.path,
    )
  for (const [call, { request }] of own.concat(
    exchanges.filter(([, exchange]) => exchange === token),
  )) {
    expect(onTheWire(call)).toEqual({
      ...request,
      headers: expect.objectContaining(request.headers ?? {}),
    })
    if (!request.headers?.authorization) expect(call.headers.has('authorization')).toBe(false)
  }
  expect(
    exchanges.filter(([, exchange]) => !exchange.file.startsWith('follow-up ')).at(-1)?.[1],
  ).toBe(fixture)
}

/**
 * Operations the spec documents and the client does not call yet. Their fixtures carry no client
 * expectation until it does; empty this list as the methods land.
 */
const NOT_YET_CALLED: string[] = []
const driven = fixtures.filter((fixture) => !NOT_YET_CALLED.includes(fixture.operationId))

/** The client method of an operation whose name differs: the order lookup answers one payment. */
const CALL_OF: Record<string, string> = { findReceiptsByOrderId: 'findPayment' }
const callOf = (operationId: string) => CALL_OF[operationId] ?? operationId

describe('the client against the Bootpay fixtures', () => {
  it('covers every operation of the spec with a client call, but those not called yet', () => {
    const called = new Set(fixtures.map((fixture) => fixture.client?.call))
    called.delete(undefined)
    expect([...called].sort()).toEqual(
      spec.operations
        .map((op) => op.operationId)
        .filter((id) => !NOT_YET_CALLED.includes(id))
        .map(callOf)
        .sort(),
    )
  })

  describe.each(driven)('$file', (fixture) => {
    const expected = fixture.client?.expect

    it('names the client call of its operation', () => {
      expect(fixture.client?.call).toBe(callOf(fixture.operationId))
    })

    if (expected && 'value' in expected)
      it('sends the recorded request and returns the recorded answer', async () => {
        const { result, exchanges } = drive(fixture)
        await expect(result).resolves.toEqual(expectedValue(fixture))
        expectRecordedRequests(fixture, exchanges)
      })

    if (expected && 'error' in expected)
      it(`sends the recorded request and fails with ${expected.error}`, async () => {
        const { result, exchanges } = drive(fixture)
        const error = await result.then(
          () => undefined,
          (e: unknown) => e,
        )
        const Class = classes[expected.error] as new (...args: never[]) => Error
        expect(Class, `${expected.error} is exported by core or bootpay`).toBeTypeOf('function')
        expect(error).toBeInstanceOf(Class)
        expect(error).toMatchObject({
          name: expected.error,
          provider: 'bootpay',
          operation: fixture.operationId,
          status: fixture.response.status,
          code: (fixture.response.body as { error_code?: string }).error_code,
        })
        expectRecordedRequests(fixture, exchanges)
      })
  })
})
