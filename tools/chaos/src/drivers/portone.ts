import {
  createPortoneClient,
  type PortoneClient,
  type PortoneClientOptions,
  RateLimitError,
} from '@billingkey/portone'
import { type FaultRule, PORTONE_TEST_AMOUNTS, sampleRefs } from '@billingkey/sandbox'
import type { ChaosDriver } from '../engine'
import { chargeFaults, fastLookups, lookupFaults } from './charge-faults'

/** PortOne's payment statuses while a payment is still in flight. */
const IN_FLIGHT = new Set(['READY', 'PAY_PENDING'])
/** `POST /payments/{paymentId}/billing-key`: the charge, its order key in the path. */
const CHARGE = /\/payments\/([^/]+)\/billing-key$/
/** `GET /payments/{paymentId}`: the lookup that settles an unknown outcome. */
const PAYMENT = /\/payments\/[^/]+$/

/** The order key of a charge request's URL, or undefined for any other. */
const chargedOrder = (method: string, url: string) => {
  const match = method === 'POST' ? CHARGE.exec(new URL(url).pathname) : null
  return match ? decodeURIComponent(match[1] as string) : undefined
}

/**
 * `@billingkey/portone`'s `chargeBillingKey`, keyed by billing key, with `paymentId` as the order
 * key. The client derives the `Idempotency-Key` from it, so it re-sends a charge itself after a
 * lost answer or a 5xx (counted as retried charges, each checked to carry the first one's key).
 */
export const portone: ChaosDriver<PortoneClient, string> = {
  name: 'portone',
  faults: [
    ...chargeFaults('portone', 'payWithBillingKey'),
    // The lookup that settles an unknown outcome (`GET /payments/{paymentId}`) fails too.
    ...lookupFaults('portone', 'getPayment'),
  ] satisfies FaultRule[],
  // An API secret (`Authorization: PortOne <secret>`), no token to expire.
  tokenLifetimeMs: null,
  // A 429 is answered before PortOne processes anything. A 409 IDEMPOTENCY_OUTSTANDING_REQUEST is
  // not a refusal: the client's re-send after it is safe only by its idempotency key.
  refusals: [429],
  connect(sandbox, fetch) {
    const options: PortoneClientOptions = {
      ...sandbox.credentials.portone,
      baseUrl: sandbox.portone.baseUrl,
      fetch,
      ...fastLookups,
    }
    return createPortoneClient(options)
  },
  keys: (seed) => ({
    active: sampleRefs({ seed, counts: { portone: { active: 20 } } }).map(
      (s) => (s.ref as { billingKey: string }).billingKey,
    ),
    // PortOne's id shape, so it reaches the sandbox, which refuses it (BILLING_KEY_NOT_FOUND).
    unknown: (index) =>
      `billing-key-00000000-0000-7000-8000-${index.toString(16).padStart(12, '0')}`,
    declining: Object.keys(PORTONE_TEST_AMOUNTS).map(Number),
  }),
  charge: (client, billingKey, { orderId, amount, name }, options) =>
    client.chargeBillingKey(
      orderId,
      { billingKey, orderName: name, amount: { total: amount }, currency: 'KRW' },
      options,
    ),
  find: (client, _billingKey, paymentId) =>
    client.getPayment(paymentId).catch((error) => {
      if (error?.code === 'PAYMENT_NOT_FOUND') return null
      throw error
    }),
  // A charge's 200 (`{ payment: { pgTxId, paidAt } }`) names no payment: its URL does; a decline
  // is a 502 PG_PROVIDER. A lookup answers the payment, `{ id, status, ... }`.
  told(body, { method, url, status }) {
    const charged = chargedOrder(method, url)
    if (charged !== undefined) {
      if (status === 200) return { orderId: charged, status: 'PAID', settled: true }
      if ((body as { type?: unknown } | undefined)?.type === 'PG_PROVIDER')
        return { orderId: charged, status: 'FAILED', settled: true }
      return
    }
    if (method !== 'GET' || status !== 200 || !PAYMENT.test(new URL(url).pathname)) return
    const payment = body as { id?: unknown; status?: unknown } | undefined
    if (typeof payment?.id !== 'string' || typeof payment.status !== 'string') return
    return { orderId: payment.id, status: payment.status, settled: !IN_FLIGHT.has(payment.status) }
  },
  async chargeRequest(request) {
    const orderId = chargedOrder(request.method, request.url)
    if (orderId === undefined) return
    return { orderId, idempotencyKey: request.headers.get('idempotency-key') }
  },
  notProcessed: (error) => error instanceof RateLimitError,
}
