import {
  AuthenticationError,
  type BootpayClient,
  type BootpayClientOptions,
  createBootpayClient,
  RateLimitError,
} from '@billingkey/bootpay'
import { BOOTPAY_TEST_AMOUNTS, type FaultRule, sampleRefs } from '@billingkey/sandbox'
import type { ChaosDriver, ToldStatus } from '../engine'
import { chargeFaults, fastLookups, lookupFaults } from './charge-faults'

/** Bootpay's receipt `status` while a payment is still in flight (결제승인전). */
const IN_FLIGHT = 2

/** What one receipt in a body tells: its order and status. */
function receiptTold(receipt: unknown): ToldStatus | undefined {
  const { order_id, status } = (receipt ?? {}) as { order_id?: unknown; status?: unknown }
  if (typeof order_id !== 'string' || typeof status !== 'number') return
  return { orderId: order_id, status: String(status), settled: status !== IN_FLIGHT }
}

/** `@billingkey/bootpay`'s `chargeBillingKey`, keyed by billing key, reconciled by `order_id`. */
export const bootpay: ChaosDriver<BootpayClient, string> = {
  name: 'bootpay',
  faults: [
    ...chargeFaults('bootpay', 'chargeBillingKey'),
    // The sandbox's 503 carries Bootpay's `error_code`, which the client takes as a refusal (R3);
    // a gateway's HTML 502 carries none: no refusal, so the order is looked up (R4).
    { provider: 'bootpay', operationId: 'chargeBillingKey', kind: 'html-502', rate: 0.03 },
    // The lookup that settles an unknown outcome (`GET /v2/lookup/order/{order_id}`) fails too.
    ...lookupFaults('bootpay', 'findReceiptsByOrderId'),
  ] satisfies FaultRule[],
  // The sandbox's Bootpay tokens live 30 minutes (the client trusts one for at most 5, by its own clock).
  tokenLifetimeMs: 30 * 60_000,
  // A 401 (the token expired) or a 429 is answered before Bootpay processes anything.
  refusals: [401, 429],
  connect(sandbox, fetch) {
    const options: BootpayClientOptions = {
      ...sandbox.credentials.bootpay,
      baseUrl: sandbox.bootpay.baseUrl,
      fetch,
      ...fastLookups,
    }
    return createBootpayClient(options)
  },
  keys: (seed) => ({
    // Some refs name a key by its receipt (`receiptId`); the charge takes the key itself.
    active: sampleRefs({ seed, counts: { bootpay: { active: 40 } } })
      .flatMap(({ ref }) => ('billingKey' in ref ? [ref.billingKey] : []))
      .slice(0, 20),
    // Bootpay's id shape (24 hex digits), so it passes validation and reaches the sandbox.
    unknown: (index) => `c4a05${index.toString(16).padStart(19, '0')}`,
    declining: Object.keys(BOOTPAY_TEST_AMOUNTS).map(Number),
  }),
  charge: (client, billingKey, { orderId, amount, name }, options) =>
    client.chargeBillingKey({ billingKey, orderId, price: amount, orderName: name }, options),
  find: (client, _billingKey, orderId) => client.findPayment(orderId),
  // A charge answers one receipt; the lookup by order a list of them (one per attempt).
  told(body) {
    if (!Array.isArray(body)) return receiptTold(body)
    const told = body.map(receiptTold).filter((s) => s !== undefined)
    return told.find((s) => s.settled) ?? told[0]
  },
  async chargeRequest(request) {
    if (request.method !== 'POST' || !request.url.endsWith('/v2/subscribe/payment')) return
    const { order_id } = (await request.json()) as { order_id: string }
    return { orderId: order_id, idempotencyKey: null }
  },
  notProcessed: (error) => error instanceof RateLimitError || error instanceof AuthenticationError,
}
