import { type ClientOptions, RejectedError } from '@billingkey/core'
import { CANARY, faultMatrix, wrongShapes } from '../../core/test/faults'
import { createIamportClient, type IamportClient } from '../src'
import { json, ok } from './helpers'

const AT = 1_700_000_000
const TODAY = { from: AT, to: AT + 86_400 }

const matrix = {
  provider: 'iamport',
  client: (fetch: typeof globalThis.fetch, options: ClientOptions) =>
    createIamportClient({
      apiKey: `${CANARY}-key`,
      apiSecret: `${CANARY}-secret`,
      fetch,
      ...options,
    }),
  operations: {
    getToken: { run: (c: IamportClient) => c.getToken(), isTokenCall: true },
    getBillingKey: { run: (c: IamportClient) => c.getBillingKey('c1') },
    getBillingKeys: {
      run: (c: IamportClient) => c.getBillingKeys(['c1', 'c2']),
      accepts: { 'payload []': 'none of the uids has a key: all missing' },
    },
    getBillingKeysInChunks: {
      // A chunk's failure is handed to `settle`, not thrown: rethrown here to be judged.
      run: async (c: IamportClient) => {
        let failure: unknown
        await c.getBillingKeysInChunks(['c1'], (_, found) => {
          if (found instanceof Error) failure = found
        })
        if (failure) throw failure
      },
      accepts: { 'payload []': 'none of the uids has a key: all missing' },
    },
    issueBillingKey: {
      run: (c: IamportClient) =>
        c.issueBillingKey('c1', { card_number: `${CANARY}-4242`, expiry: '2030-12' }),
      once: true,
    },
    deleteBillingKey: { run: (c: IamportClient) => c.deleteBillingKey('c1', { reason: 'r' }) },
    listPayments: { run: (c: IamportClient) => c.listPayments('c1') },
    listSchedules: {
      run: (c: IamportClient) => c.listSchedules('c1', TODAY),
      accepts: { 'payload []': "the Swagger's bare array: no schedules" },
    },
    chargeBillingKey: {
      run: (c: IamportClient) =>
        c.chargeBillingKey(
          'c1',
          { merchantUid: 'order-1', amount: 1000, name: '이용권' },
          { deadlineMs: 20_000, pollIntervalMs: 1_000 },
        ),
      charge: true,
    },
    findPayment: { run: (c: IamportClient) => c.findPayment('order-1') },
    findAllPayments: { run: (c: IamportClient) => c.findAllPayments('order-1') },
    getPayment: { run: (c: IamportClient) => c.getPayment('imp_1') },
    getPayments: {
      run: (c: IamportClient) => c.getPayments({ impUids: ['imp_1'] }),
      accepts: { 'payload []': 'none of the ids is known' },
    },
    schedulePayments: {
      run: (c: IamportClient) =>
        c.schedulePayments('c1', [{ merchant_uid: 'order-2', schedule_at: AT, amount: 1000 }]),
      once: true,
      accepts: { 'payload []': 'iamport scheduled none (the list is what it says it did)' },
    },
    unschedulePayments: {
      run: (c: IamportClient) => c.unschedulePayments('c1', { merchantUids: ['order-2'] }),
      once: true,
      accepts: { 'payload []': 'nothing was scheduled' },
    },
    getSchedule: { run: (c: IamportClient) => c.getSchedule('order-2') },
    cancelPayment: {
      run: (c: IamportClient) => c.cancelPayment({ impUid: 'imp_1', checksum: 1000, reason: 'r' }),
      once: true,
    },
  },
  notOperations: {
    fetch: "the raw transport: it returns any HTTP answer (core's transport tests)",
  },
  token: {
    is: (sent: { url: URL }) => sent.url.pathname === '/users/getToken',
    ok: () => ok({ access_token: `${CANARY}-token`, now: AT, expired_at: AT + 1800 }),
  },
  refusals: {
    'HTTP 200, code -1': {
      answer: (sent: { text: string }) =>
        json({ code: -1, message: `refused ${sent.text}`, response: null }),
      error: RejectedError,
    },
    'HTTP 400, code -1': {
      answer: (sent: { text: string }) =>
        json({ code: -1, message: `invalid ${sent.text}`, response: null }, 400),
      error: RejectedError,
    },
  },
  wrap: (response: unknown) => ({ code: 0, message: null, response }),
  extraShapes: {
    '{ code: 0 } without response': { code: 0, message: null },
    'a page of [null]': { code: 0, message: null, response: { total: 1, list: [null] } },
    'a page whose list is "x"': { code: 0, message: null, response: { total: 1, list: 'x' } },
    'a list of [{}]': { code: 0, message: null, response: [{}] },
  },
}

faultMatrix(matrix)
wrongShapes(matrix)
