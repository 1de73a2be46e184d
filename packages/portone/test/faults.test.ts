import { type ClientOptions, RejectedError } from '@billingkey/core'
import { CANARY, faultMatrix, wrongShapes } from '../../core/test/faults'
import { createPortoneClient, type PortoneClient } from '../src'
import { chargeInput, json, PAYMENT_ID } from './helpers'

/** Every item of an async list. */
const all = async (items: AsyncIterable<unknown>) => {
  const list: unknown[] = []
  for await (const item of items) list.push(item)
  return list
}

const matrix = {
  provider: 'portone',
  client: (fetch: typeof globalThis.fetch, options: ClientOptions) =>
    createPortoneClient({ apiSecret: `${CANARY}-secret`, fetch, ...options }),
  operations: {
    getBillingKey: { run: (c: PortoneClient) => c.getBillingKey('billing-key-1') },
    getBillingKeyPage: { run: (c: PortoneClient) => c.getBillingKeyPage() },
    listBillingKeys: { run: (c: PortoneClient) => all(c.listBillingKeys()) },
    deleteBillingKey: { run: (c: PortoneClient) => c.deleteBillingKey('billing-key-1') },
    chargeBillingKey: {
      run: (c: PortoneClient) => c.chargeBillingKey(PAYMENT_ID, chargeInput()),
      charge: true,
      keyed: true,
    },
    getPayment: { run: (c: PortoneClient) => c.getPayment(PAYMENT_ID) },
    cancelPayment: {
      run: (c: PortoneClient) =>
        c.cancelPayment(PAYMENT_ID, { reason: '고객 요청', currentCancellableAmount: 9900 }),
      once: true,
    },
    schedulePayment: {
      run: (c: PortoneClient) =>
        c.schedulePayment(PAYMENT_ID, {
          payment: chargeInput(),
          timeToPay: '2026-04-01T00:00:00Z',
        }),
      keyed: true,
    },
    getPaymentSchedule: { run: (c: PortoneClient) => c.getPaymentSchedule('schedule-1') },
    getPaymentSchedulePage: { run: (c: PortoneClient) => c.getPaymentSchedulePage() },
    listPaymentSchedules: { run: (c: PortoneClient) => all(c.listPaymentSchedules()) },
    revokePaymentSchedules: {
      run: (c: PortoneClient) => c.revokePaymentSchedules({ billingKey: 'billing-key-1' }),
    },
  },
  notOperations: {
    fetch: "the raw transport: it returns any HTTP answer (core's transport tests)",
  },
  extraShapes: {
    'a page of [null]': { items: [null], page: { number: 0, size: 10, totalCount: 1 } },
    'a page whose items are "x"': { items: 'x', page: { number: 0, size: 10, totalCount: 1 } },
    'a page without totalCount': { items: [], page: {} },
  },
  token: { none: 'the API secret on every request (Authorization: PortOne …)' },
  refusals: {
    'HTTP 400 INVALID_REQUEST': {
      answer: (sent: { text: string }) =>
        json({ type: 'INVALID_REQUEST', message: `invalid ${sent.text}` }, 400),
      error: RejectedError,
    },
    // The PG's refusal comes as a 502: a decline, not PortOne failing, so it is final (not retried).
    'HTTP 502 PG_PROVIDER': {
      answer: (sent: { text: string }) =>
        json({ type: 'PG_PROVIDER', message: `declined ${sent.text}`, pgCode: 'F113' }, 502),
      error: RejectedError,
    },
  },
}

faultMatrix(matrix)
wrongShapes(matrix)
