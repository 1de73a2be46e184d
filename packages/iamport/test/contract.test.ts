import { type Fixture, loadFixtures } from '@billingkey/contract'
import {
  AuthenticationError,
  NotFoundError,
  RejectedError,
  ResponseError,
  ServerError,
} from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { recordingFetch } from '../../core/test/fetch'
import { createIamportClient, type IamportClient, type PaymentAnnotation, toPayment } from '../src'
import { fixture, fixturesDir, isTokenCall, json, respond } from './helpers'

/**
 * The client driven through every recorded exchange of specs/iamport/fixtures: an injected fetch
 * checks that each request equals the fixture's request and answers with its response; the call
 * must end in the value or the typed error the fixture names. Token requests of the other
 * operations are answered from the getToken 200 fixture, and checked against it the same way.
 */
const fixtures = loadFixtures(fixturesDir)
const token = fixtures.find((f) => f.file === 'getToken-200.json') as Fixture
const baseUrl = 'http://127.0.0.1:4010/iamport'
const errors = { AuthenticationError, NotFoundError, RejectedError, ResponseError, ServerError }

async function expectRecorded(request: Request, recorded: Fixture['request']) {
  const url = new URL(request.url)
  expect(request.method).toBe(recorded.method)
  expect(url.pathname).toBe(`/iamport${recorded.path}`)
  expect(url.search.slice(1)).toBe(recorded.query ?? '')
  for (const [name, value] of Object.entries(recorded.headers ?? {})) {
    expect(request.headers.get(name), name).toBe(value)
  }
  const text = await request.text()
  expect(text ? JSON.parse(text) : undefined).toEqual(recorded.body)
}

/**
 * The lookups a call makes after the fixture's exchange (a charge refused, a cancel refused):
 * answered by the fixture named here, or by iamport's not-found answer when none is.
 */
const FOLLOW_UPS: Record<string, { path: string; query?: string; answer: string }> = {
  // A duplicate merchant_uid: the earlier attempt was paid, so this charge is paid.
  'chargeBillingKey-200-duplicate-merchant-uid.json': {
    path: '/payments/find/order_monthly_0001/paid',
    answer: 'findPaymentByStatus-200',
  },
  // Already cancelled: the lookup shows the payment cancelled in full, as this cancel would leave it.
  'cancelPayment-200-already-cancelled.json': {
    path: '/payments/imps_157956638714',
    query: 'include_sandbox=true',
    answer: 'cancelPayment-200',
  },
}
const notFound = () => json({ code: 1, message: '<not found>', response: null }, 404)

const payloadOf = (f: Fixture) => (f.response.body as { response: unknown }).response

/** What the call must resolve to: the fixture's payload, as the method shapes it. */
function expectedValue(f: Fixture) {
  const { client, request, response } = f
  const payload = payloadOf(f)
  const followUp = FOLLOW_UPS[f.file]
  switch (client?.call) {
    case 'chargeBillingKey': {
      const orderId = (request.body as { merchant_uid: string }).merchant_uid
      if (payload) {
        const payment = toPayment(payload as PaymentAnnotation)
        return payment.status === 'paid'
          ? { outcome: 'paid', orderId, payment }
          : {
              outcome: 'declined',
              orderId,
              code: null,
              reason: payment.failure?.reason,
              payment,
              error: null,
            }
      }
      if (followUp)
        return {
          outcome: 'paid',
          orderId,
          payment: toPayment(payloadOf(fixture(followUp.answer)) as PaymentAnnotation),
        }
      const { code, message } = response.body as { code: number; message: string }
      return {
        outcome: 'declined',
        orderId,
        code: String(code),
        reason: expect.stringContaining(message),
        payment: null,
        error: expect.objectContaining({ code, status: response.status }),
      }
    }
    case 'cancelPayment':
      return toPayment(
        (followUp ? payloadOf(fixture(followUp.answer)) : payload) as PaymentAnnotation,
      )
    case 'findPayment':
    case 'getPayment':
      return payload === null ? null : toPayment(payload as PaymentAnnotation)
    case 'findAllPayments': {
      const page = payload as { list: PaymentAnnotation[] } | null
      return page
        ? { ...page, list: page.list.map(toPayment) }
        : { total: 0, previous: 0, next: 0, list: [] }
    }
    case 'getPayments':
      return ((payload ?? []) as PaymentAnnotation[]).map(toPayment)
    case 'unschedulePayments':
      return payload ?? []
    case 'getToken':
      return (payload as { access_token: string }).access_token
    case 'getBillingKeys': {
      const asked = client.args[0] as string[]
      const found = response.status === 404 ? [] : (payload as { customer_uid: string }[])
      const foundUids = found.map((key) => key.customer_uid)
      expect(new URLSearchParams(request.query).getAll('customer_uid[]')).toEqual(asked)
      return { found, missing: asked.filter((uid) => !foundUids.includes(uid)) }
    }
    case 'listSchedules':
      return Array.isArray(payload)
        ? { total: payload.length, previous: 0, next: 0, list: payload }
        : payload
    default:
      return payload
  }
}

/**
 * Operations the spec documents and the client does not call yet. Their fixtures carry no client
 * expectation until it does; empty this list as the methods land.
 */
const NOT_YET_CALLED: string[] = []
const called = fixtures.filter((f) => !NOT_YET_CALLED.includes(f.operationId))

describe('contract: the client against every iamport fixture', () => {
  it('has a client expectation in every fixture of an operation the client calls', () => {
    expect(called.length).toBeGreaterThan(0)
    expect(called.filter((f) => !f.client).map((f) => f.file)).toEqual([])
  })

  it('lists as not yet called only operations that no fixture drives the client through', () => {
    const driven = new Set(fixtures.filter((f) => f.client).map((f) => f.operationId))
    expect(NOT_YET_CALLED.filter((id) => driven.has(id))).toEqual([])
  })

  it.each(called.map((f) => [f.file, f] as const))('%s', async (_, f) => {
    const exchanged: string[] = []
    let ownAnswered = false
    const fetch = recordingFetch(async ({ request }) => {
      // After the fixture's own exchange (and its replay after a 401), a GET is a follow-up lookup.
      if (ownAnswered && request.method === 'GET' && f.request.method !== 'GET') {
        const { pathname, search } = new URL(request.url)
        const followUp = FOLLOW_UPS[f.file]
        exchanged.push(`follow-up ${pathname}`)
        if (
          followUp &&
          pathname === `/iamport${followUp.path}` &&
          search.slice(1) === (followUp.query ?? '')
        )
          return respond(fixture(followUp.answer))
        return notFound()
      }
      const recorded = isTokenCall(request) && f.operationId !== 'getToken' ? token : f
      exchanged.push(recorded.file)
      await expectRecorded(request, recorded.request)
      if (recorded === f) ownAnswered = true
      return respond(recorded)
    })
    const iamport = createIamportClient({
      apiKey: '<imp_key>',
      apiSecret: '<imp_secret>',
      baseUrl,
      fetch,
      maxRetries: 0,
    })
    const { call, args, expect: outcome } = f.client as NonNullable<Fixture['client']>
    const method = iamport[call as keyof IamportClient] as (...a: unknown[]) => Promise<unknown>
    const result = method(...args)

    if ('value' in outcome) {
      await expect(result).resolves.toEqual(expectedValue(f))
    } else {
      const error = await result.catch((e: unknown) => e)
      expect(error).toBeInstanceOf(errors[outcome.error as keyof typeof errors])
      expect(error).toMatchObject({
        name: outcome.error,
        provider: 'iamport',
        status: f.response.status,
        code: (f.response.body as { code: number }).code,
      })
    }
    expect(exchanged).toContain(f.file)
    // A follow-up the fixture names was made; the fixture's own request was sent once (twice after a 401).
    const followUp = FOLLOW_UPS[f.file]
    if (followUp) expect(exchanged).toContain(`follow-up /iamport${followUp.path}`)
    expect(exchanged.filter((file) => file === f.file)).toHaveLength(
      f.response.status === 401 && f.operationId !== 'getToken' ? 2 : 1,
    )
  })
})
