import { type Fixture, loadFixtures } from '@billingkey/contract'
import {
  AuthenticationError,
  BillingKeyExpiredError,
  NotFoundError,
  RejectedError,
  ServerError,
  ValidationError,
} from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { createPortoneClient, type PortoneClient, toPayment } from '../src'
import { failure, fixtureBody, fixturesDir, json, recordingFetch, respond } from './helpers'

/**
 * The client driven through every recorded exchange of specs/portone/fixtures. The fixtures carry
 * no `client` part yet, so the call is read off the recorded request (its path, query and body);
 * an injected fetch checks that the client sends exactly that request and answers with the
 * fixture's response; the call must end in the value or the typed error the answer means. A
 * charge's lookups (`GET /payments/{id}`) are answered "not found", or "paid" after ALREADY_PAID.
 */
const fixtures = loadFixtures(fixturesDir)
const baseUrl = 'http://127.0.0.1:4010/portone'

/**
 * Requests this client refuses to send, by design: an amount of 0 or -1, a cancel without its
 * `currentCancellableAmount` guard, a revoke naming nothing, an empty storeId.
 */
const REFUSED = [
  'cancelPayment-400-invalid-request.json',
  'cancelPayment-409-cancel-amount-exceeds-cancellable-amount.json',
  'cancelPayment-409-cancel-tax-free-amount-exceeds-cancellable-tax-free-amount.json',
  'cancelPayment-409-sum-of-parts-exceeds-cancel-amount.json',
  'getBillingKeyInfo-400-invalid-request.json',
  'getPayment-400-invalid-request.json',
  'getPaymentSchedule-400-invalid-request.json',
  'payWithBillingKey-400-invalid-request.json',
  'revokePaymentSchedules-400-invalid-request.json',
]
/**
 * Operations whose fixtures show an `Idempotency-Key` the client does not send: a DELETE is
 * repeatable as it is, and a cancel is guarded by `currentCancellableAmount`. Charges and
 * schedules send the key derived from the paymentId, checked like every other header.
 */
const NO_KEY = ['deleteBillingKey', 'revokePaymentSchedules', 'cancelPayment']

const lastSegment = (path: string, back = 0) =>
  decodeURIComponent(path.split('/').at(-1 - back) ?? '')

/** The client call a recorded request stands for, and the storeId the client needs for it. */
function callOf({ operationId, request }: Fixture) {
  const query = new URLSearchParams(request.query)
  const body = JSON.parse(query.get('requestBody') ?? 'null') ?? request.body
  // The client puts its own storeId into the filter; take it back out as an option.
  const storeId = query.get('storeId') ?? body?.filter?.storeId ?? undefined
  if (body?.filter?.storeId) {
    const { storeId: _, ...filter } = body.filter
    body.filter = Object.keys(filter).length ? filter : undefined
    if (!body.filter) delete body.filter
  }
  const id = lastSegment(request.path)
  const paymentId = lastSegment(request.path, 1)
  const calls: Record<string, (c: PortoneClient) => Promise<unknown>> = {
    getBillingKeyInfo: (c) => c.getBillingKey(id),
    getBillingKeyInfos: (c) => c.getBillingKeyPage(body),
    deleteBillingKey: (c) => c.deleteBillingKey(id),
    payWithBillingKey: (c) => c.chargeBillingKey(paymentId, body),
    getPayment: (c) => c.getPayment(id),
    cancelPayment: (c) => c.cancelPayment(paymentId, body),
    createPaymentSchedule: (c) => c.schedulePayment(paymentId, body),
    getPaymentSchedule: (c) => c.getPaymentSchedule(id),
    getPaymentSchedules: (c) => c.getPaymentSchedulePage(body ?? undefined),
    revokePaymentSchedules: (c) => c.revokePaymentSchedules(body),
  }
  return { run: calls[operationId], storeId }
}

async function expectRecorded(request: Request, { operationId, request: recorded }: Fixture) {
  const url = new URL(request.url)
  expect(request.method).toBe(recorded.method)
  expect(url.pathname).toBe(`/portone${recorded.path}`)
  const sent = Object.fromEntries(url.searchParams)
  const expected = Object.fromEntries(new URLSearchParams(recorded.query))
  // The JSON in `requestBody` is compared as JSON: its key order is no part of the contract.
  for (const query of [sent, expected])
    if (query.requestBody) query.requestBody = JSON.parse(query.requestBody)
  expect(sent).toEqual(expected)
  for (const [name, value] of Object.entries(recorded.headers ?? {})) {
    if (name === 'idempotency-key' && NO_KEY.includes(operationId)) continue
    expect(request.headers.get(name), name).toBe(value)
  }
  const text = await request.text()
  expect(text ? JSON.parse(text) : undefined).toEqual(recorded.body)
}

/** The class the answer's status and `type` mean. */
function errorClassOf(status: number, type: string) {
  if (type === 'BILLING_KEY_ALREADY_DELETED') return BillingKeyExpiredError
  if (type === 'PG_PROVIDER') return RejectedError
  return status === 401
    ? AuthenticationError
    : status === 404
      ? NotFoundError
      : status > 499
        ? ServerError
        : RejectedError
}

/** What a charge fixture must end in. */
function expectCharge(result: unknown, status: number, type: string) {
  if (status === 200 || type === 'ALREADY_PAID')
    return expect(result).toMatchObject({ outcome: 'paid', orderId: 'order-20260301-0001' })
  if (type === 'IDEMPOTENCY_OUTSTANDING_REQUEST')
    return expect(result).toMatchObject({ outcome: 'unknown', payment: null })
  expect(result).toMatchObject({ outcome: 'declined', code: type, payment: null })
  expect((result as { error: unknown }).error).toBeInstanceOf(errorClassOf(status, type))
}

describe('contract: the client against every PortOne V2 fixture', () => {
  it('knows a call for every operation of the fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(90)
    expect(fixtures.filter((f) => !callOf(f).run).map((f) => f.file)).toEqual([])
  })

  it.each(fixtures.map((f) => [f.file, f] as const))('%s', async (file, f) => {
    const exchanged: string[] = []
    const { status, body } = f.response as { status: number; body: { type: string } }
    const fetch = recordingFetch(async ({ request }) => {
      if (f.operationId === 'payWithBillingKey' && request.method === 'GET') {
        exchanged.push('lookup')
        return body.type === 'ALREADY_PAID'
          ? json(fixtureBody('getPayment-200-paid'))
          : failure('PAYMENT_NOT_FOUND', 404)
      }
      exchanged.push(file)
      await expectRecorded(request, f)
      return respond(f)
    })
    const { run, storeId } = callOf(f)
    const result = Promise.resolve().then(() =>
      // biome-ignore lint/style/noNonNullAssertion: the first test checks there is a call
      run!(
        createPortoneClient({
          apiSecret: '<api_secret>',
          storeId,
          baseUrl,
          fetch,
          maxRetries: 0,
          deadlineMs: 1_000,
        }),
      ),
    )

    if (REFUSED.includes(file)) {
      await expect(result).rejects.toBeInstanceOf(ValidationError)
      return expect(exchanged).toEqual([])
    }
    const outcome = await result.catch((e: unknown) => e)
    expect(exchanged).toContain(file)
    if (f.operationId === 'payWithBillingKey') {
      if (status !== 401) return expectCharge(outcome, status, body.type)
    } else if (status === 200) {
      const value =
        f.operationId === 'getPayment'
          ? toPayment(body as never)
          : f.operationId === 'cancelPayment'
            ? (body as unknown as { cancellation: unknown }).cancellation
            : body
      return expect(outcome).toEqual(value)
    } else if (body.type === 'PAYMENT_ALREADY_CANCELLED') {
      return expect(outcome).toBeNull()
    }
    expect(outcome).toBeInstanceOf(errorClassOf(status, body.type))
    expect(outcome).toMatchObject({ provider: 'portone', status, code: body.type })
  })
})
