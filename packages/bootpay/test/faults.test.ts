import { type ClientOptions, RejectedError } from '@billingkey/core'
import { CANARY, faultMatrix, wrongShapes } from '../../core/test/faults'
import { type BootpayClient, createBootpayClient } from '../src'
import { json } from './helpers'

const ID = '66b2a7c4e1c5f0e0a0a0a0a0'
const CARD = {
  pg: 'nicepay',
  order_name: '월간 이용권',
  subscription_id: 'sub-1',
  card_no: `${CANARY}-4242`,
  card_pw: '12',
  card_identity_no: '900101',
  card_expire_year: '30',
  card_expire_month: '12',
}
const BANK = {
  pg: 'nicepay',
  order_name: '월간 이용권',
  subscription_id: 'sub-1',
  username: '홍길동',
  bank_name: '국민',
  bank_account: `${CANARY}-123456`,
  identity_no: '900101',
  phone: '01000000000',
}

const operations = {
  getBillingKeyByReceipt: { run: (c: BootpayClient) => c.getBillingKeyByReceipt(ID) },
  getBillingKey: { run: (c: BootpayClient) => c.getBillingKey(ID) },
  issueCardBillingKey: {
    run: (c: BootpayClient) => c.issueCardBillingKey(CARD as never),
    once: true,
  },
  requestBankBillingKey: {
    run: (c: BootpayClient) => c.requestBankBillingKey(BANK as never),
    once: true,
  },
  publishBankBillingKey: { run: (c: BootpayClient) => c.publishBankBillingKey(ID), once: true },
  deleteBillingKey: { run: (c: BootpayClient) => c.deleteBillingKey(ID) },
  chargeBillingKey: {
    run: (c: BootpayClient) =>
      c.chargeBillingKey(
        { billingKey: ID, orderId: 'order-1', price: 1000, orderName: '이용권' },
        { deadlineMs: 20_000, pollIntervalMs: 1_000 },
      ),
    charge: true,
  },
  findPayment: {
    run: (c: BootpayClient) => c.findPayment('order-1'),
    accepts: { '[]': 'Bootpay holds no receipt under this order' },
  },
  getReceipt: { run: (c: BootpayClient) => c.getReceipt(ID) },
  cancelPayment: {
    run: (c: BootpayClient) =>
      c.cancelPayment({ receiptId: ID, cancelId: 'cancel-1', reason: 'r' }),
    once: true,
  },
  reservePayment: {
    run: (c: BootpayClient) =>
      c.reservePayment({
        billingKey: ID,
        orderId: 'order-2',
        price: 1000,
        orderName: '이용권',
        executeAt: '2030-01-01T00:00:00+09:00',
        pendingReservations: [],
      }),
    once: true,
  },
  getReservation: { run: (c: BootpayClient) => c.getReservation(ID) },
  cancelReservation: { run: (c: BootpayClient) => c.cancelReservation(ID) },
}
const shared = {
  notOperations: {
    fetch: "the raw transport: it returns any HTTP answer (core's transport tests)",
  } as Record<string, string>,
  refusals: {
    'HTTP 400 with error_code': {
      answer: (sent: { text: string }) =>
        json({ error_code: 'RC_PARAMS_INVALID', message: `invalid ${sent.text}` }, 400),
      error: RejectedError,
    },
    // Bootpay may put a failure in a 200: its error_code decides.
    'HTTP 200 with error_code': {
      answer: (sent: { text: string }) =>
        json({ error_code: 'RC_PARAMS_INVALID', message: `invalid ${sent.text}` }),
      error: RejectedError,
    },
  },
}

const tokenClient = {
  ...shared,
  provider: 'bootpay',
  variant: 'token',
  client: (fetch: typeof globalThis.fetch, options: ClientOptions) =>
    createBootpayClient({
      applicationId: 'app-id',
      privateKey: `${CANARY}-private`,
      fetch,
      ...options,
    }),
  operations: {
    ...operations,
    getAccessToken: { run: (c: BootpayClient) => c.getAccessToken(), isTokenCall: true },
  },
  token: {
    is: (sent: { url: URL }) => sent.url.pathname === '/v2/request/token',
    ok: () => json({ access_token: `${CANARY}-token`, expire_in: 1800 }),
  },
}

const basicClient = {
  ...shared,
  provider: 'bootpay',
  variant: 'Basic',
  client: (fetch: typeof globalThis.fetch, options: ClientOptions) =>
    createBootpayClient({
      clientKey: `${CANARY}-client`,
      secretKey: `${CANARY}-secret`,
      fetch,
      ...options,
    }),
  operations,
  notOperations: {
    ...shared.notOperations,
    getAccessToken: 'a Basic client has no token: a ValidationError before any request',
  },
  token: { none: 'a Basic key pair on every request' },
}

faultMatrix(tokenClient)
wrongShapes(tokenClient)
faultMatrix(basicClient)
wrongShapes(basicClient)
