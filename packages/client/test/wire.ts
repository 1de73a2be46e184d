/**
 * Scripted wires: iamport and Bootpay answers the sandbox cannot give, for the tests that need them
 * (a 500 for one id inside a batch, a Bootpay key with status -11, 10,000 keys of every fate by
 * name). Everything else runs against the sandbox (setup.ts). Both record through recording.ts.
 *
 * Ids say what happens to them, so a test can build 10,000 refs without a table:
 * - iamport customer_uid: `missing…` is unknown; a multi lookup holding a `boom…` uid answers 500.
 * - Bootpay id: `missing…` → 404 RC_NOT_FOUND; `gone…` → SUBSCRIBE_BK_EXPIRED; `notsub…` →
 *   RC_NOT_SUBSCRIBE; `boom…` → 500; `soon…` expires in 10 days, `old…` expired 5 days ago,
 *   `cancelled…` has status -11; anything else is an active card key.
 */

import { type Fetch, recordingFetch, type WireLog, type WireOptions } from './recording'

const DAY_MS = 86_400_000

/** Where the scripted wires say they are: the clients' default base URLs. */
const IAMPORT_BASE = 'https://api.iamport.kr'
const BOOTPAY_BASE = 'https://api.bootpay.co.kr'

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })

/** A scripted wire: `token()` answers the token call, `handle` every other request. */
function wire(
  base: string,
  options: WireOptions,
  token: () => Response,
  handle: (request: Request, url: URL) => Response,
): { fetch: Fetch; log: WireLog } {
  const basePath = new URL(base).pathname.replace(/\/$/, '')
  return recordingFetch(
    async (input) => {
      const request = input as Request
      const url = new URL(request.url)
      const path = url.pathname.slice(basePath.length)
      return path === '/users/getToken' || path === '/v2/request/token'
        ? token()
        : handle(request, url)
    },
    base,
    options,
  )
}

export function customer(uid: string) {
  return {
    customer_uid: uid,
    pg_provider: 'nice',
    pg_id: 'nictest04m',
    sandbox: true,
    customer_id: null,
    card_name: '신한카드',
    card_code: '366',
    card_number: '53611600****1234',
    card_type: 0,
    customer_name: '홍길동',
    customer_tel: '01012345678',
    customer_email: 'gildong@example.com',
    customer_addr: null,
    customer_postcode: null,
    inserted: 1603417956,
    updated: 1603417956,
  }
}

export function iamportWire(options: WireOptions = {}) {
  const envelope = (status: number, code: number, message: string | null, response: unknown) =>
    json(status, { code, message, response })
  return wire(
    IAMPORT_BASE,
    options,
    () => {
      const now = Math.floor(Date.now() / 1000)
      return envelope(200, 0, null, {
        access_token: 'iamport-access-token',
        now,
        expired_at: now + 1800,
      })
    },
    (request, url) => {
      const single = /^\/subscribe\/customers\/([^/]+)$/.exec(url.pathname)?.[1]
      if (request.method === 'GET' && url.pathname === '/subscribe/customers') {
        const uids = url.searchParams.getAll('customer_uid[]')
        const found = uids.filter((uid) => !uid.startsWith('missing')).map(customer)
        const response = uids.some((uid) => uid.startsWith('boom'))
          ? envelope(500, -1, 'internal error', null)
          : found.length === 0
            ? envelope(404, 1, '유효하지 않은 customer_uid', null)
            : envelope(found.length === uids.length ? 200 : 207, 0, null, found)
        return response
      }
      if (request.method === 'GET' && single) {
        const uid = decodeURIComponent(single)
        const response = uid.startsWith('missing')
          ? envelope(404, 1, '유효하지 않은 customer_uid', null)
          : uid.startsWith('boom')
            ? envelope(500, -1, 'internal error', null)
            : envelope(200, 0, null, customer(uid))
        return response
      }
      return envelope(404, 1, 'no such path', null)
    },
  )
}

function expiry(id: string): string {
  const kst = (date: Date) =>
    `${new Date(date.getTime() + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`
  // Relative to the real clock: the adapters judge expiry against it.
  if (id.startsWith('soon')) return kst(new Date(Date.now() + 10 * DAY_MS))
  if (id.startsWith('old')) return kst(new Date(Date.now() - 5 * DAY_MS))
  return '2029-12-31T23:59:59+09:00'
}

const cardData = {
  card_no: '55704204****1074',
  card_company: 'KB국민카드',
  card_company_code: '02',
  card_type: 0,
}

export function byReceipt(receiptId: string) {
  return {
    receipt_id: receiptId,
    subscription_id: `sub-${receiptId}`,
    metadata: {},
    pg: '나이스페이먼츠',
    method: '카드자동결제',
    method_symbol: 'card_rebill_rest',
    published_at: '2025-07-08T15:21:33+09:00',
    requested_at: '2025-07-08T15:21:31+09:00',
    status_locale: '빌링키발급완료',
    status: receiptId.startsWith('cancelled') ? -11 : 11,
    billing_key: `bk-${receiptId}`,
    billing_data: cardData,
    billing_expire_at: expiry(receiptId),
  }
}

export function byKey(billingKey: string) {
  return {
    billing_key: billingKey,
    pg: '나이스페이먼츠',
    method: '카드자동결제',
    method_symbol: 'card_rebill_rest',
    billing_data: cardData,
    version: 2,
    sandbox: 1,
    expire_at: expiry(billingKey),
    published_at: '2025-05-27T15:53:47+09:00',
    status: billingKey.startsWith('cancelled') ? -11 : 1,
  }
}

export function bootpayWire(options: WireOptions = {}) {
  const error = (status: number, error_code: string, message: string) =>
    json(status, { error_code, message })
  return wire(
    BOOTPAY_BASE,
    options,
    () => json(200, { access_token: 'bootpay-access-token', expire_in: 1800 }),
    (request, url) => {
      const match = /^\/v2\/(subscribe\/billing_key|billing_key)\/([^/]+)$/.exec(url.pathname)
      if (request.method !== 'GET' || !match?.[1] || !match[2]) {
        return error(404, 'RC_NOT_FOUND', 'no such path')
      }
      const id = decodeURIComponent(match[2])
      return id.startsWith('missing')
        ? error(404, 'RC_NOT_FOUND', '찾을 수 없습니다')
        : id.startsWith('gone')
          ? error(400, 'SUBSCRIBE_BK_EXPIRED', '만료된 빌링키입니다')
          : id.startsWith('notsub')
            ? error(400, 'RC_NOT_SUBSCRIBE', '정기결제 영수증이 아닙니다')
            : id.startsWith('boom')
              ? error(500, 'INTERNAL_ERROR', 'internal error')
              : json(200, match[1] === 'billing_key' ? byKey(id) : byReceipt(id))
    },
  )
}
