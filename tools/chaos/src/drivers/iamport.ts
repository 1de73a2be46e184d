import {
  AuthenticationError,
  createIamportClient,
  type IamportClient,
  type IamportClientOptions,
  RateLimitError,
} from '@billingkey/iamport'
import { type FaultRule, IAMPORT_TEST_AMOUNTS, sampleRefs } from '@billingkey/sandbox'
import type { ChaosDriver } from '../engine'
import { chargeFaults, fastLookups, lookupFaults } from './charge-faults'

/** `@billingkey/iamport`'s `chargeBillingKey`, keyed by `customer_uid`. */
export const iamport: ChaosDriver<IamportClient, string> = {
  name: 'iamport',
  faults: [
    ...chargeFaults('iamport', 'chargeBillingKey'),
    // The lookups that settle an unknown outcome fail too.
    ...lookupFaults('iamport', 'findPayment', 'findPaymentByStatus'),
  ] satisfies FaultRule[],
  // iamport's tokens live 30 minutes.
  tokenLifetimeMs: 30 * 60_000,
  // A 401 (the token expired) or a 429 is answered before iamport processes anything.
  refusals: [401, 429],
  connect(sandbox, fetch) {
    const options: IamportClientOptions = {
      ...sandbox.credentials.iamport,
      baseUrl: sandbox.iamport.baseUrl,
      fetch,
      ...fastLookups,
    }
    return createIamportClient(options)
  },
  keys: (seed) => ({
    active: sampleRefs({ seed, counts: { iamport: { active: 20 } } }).map(
      (s) => (s.ref as { customerUid: string }).customerUid,
    ),
    unknown: (index) => `chaos_nobody_${index}`,
    declining: Object.keys(IAMPORT_TEST_AMOUNTS).map(Number),
  }),
  charge: (client, customerUid, { orderId, amount, name }, options) =>
    client.chargeBillingKey(customerUid, { merchantUid: orderId, amount, name }, options),
  find: (client, _customerUid, merchantUid) => client.findPayment(merchantUid),
  told(body) {
    const payment = (body as { response?: { merchant_uid?: unknown; status?: unknown } } | null)
      ?.response
    if (typeof payment?.merchant_uid !== 'string' || typeof payment.status !== 'string') return
    return {
      orderId: payment.merchant_uid,
      status: payment.status,
      settled: payment.status !== 'ready',
    }
  },
  async chargeRequest(request) {
    if (request.method !== 'POST' || !request.url.endsWith('/subscribe/payments/again')) return
    const { merchant_uid } = (await request.json()) as { merchant_uid: string }
    return { orderId: merchant_uid, idempotencyKey: null }
  },
  notProcessed: (error) => error instanceof RateLimitError || error instanceof AuthenticationError,
}
