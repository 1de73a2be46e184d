/**
 * Injected `fetch`es that answer the way iamport and Bootpay answer on the wire (token calls,
 * envelopes, 200/207/404 multi lookups, `error_code` bodies), so the tests run the REAL provider
 * clients and adapters end to end without the internet. Each keeps a log of what it was asked.
 *
 * Ids say what happens to them, so a test can build 10,000 refs without a table:
 * - iamport customer_uid: `missing…` is unknown; a multi lookup holding a `boom…` uid answers 500.
 * - Bootpay id: `missing…` → 404 RC_NOT_FOUND; `gone…` → SUBSCRIBE_BK_EXPIRED; `notsub…` →
 *   RC_NOT_SUBSCRIBE (a rejection); `boom…` → 500; `soon…` expires in 10 days, `old…` expired
 *   5 days ago, `cancelled…` has status -11; anything else is an active card key.
 */

export const NOW = new Date('2026-03-01T00:00:00Z')
const DAY_MS = 86_400_000

export interface WireLog {
  /** Every request but the token call, as `METHOD path?query`. */
  readonly requests: string[]
  /** The customer_uids of each iamport multi lookup, in request order. */
  readonly batches: string[][]
  tokenCalls: number
}

export interface WireOptions {
  /** Called as each (non-token) request arrives, with the request count so far. */
  onRequest?: (count: number, request: Request) => void
}

type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })

/** Lets other work run between requests, as a real network would; honours the signal. */
async function network(request: Request): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
  if (request.signal.aborted) {
    throw new DOMException('The operation was aborted.', 'AbortError')
  }
}

function wire(
  options: WireOptions,
  isToken: (request: Request, url: URL) => boolean,
  token: () => Response,
  handle: (request: Request, url: URL, log: WireLog) => Response,
): { fetch: Fetch; log: WireLog } {
  const log: WireLog = { requests: [], batches: [], tokenCalls: 0 }
  const fetch: Fetch = async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    await network(request)
    if (isToken(request, url)) {
      log.tokenCalls++
      return token()
    }
    log.requests.push(`${request.method} ${url.pathname}${url.search}`)
    options.onRequest?.(log.requests.length, request)
    return handle(request, url, log)
  }
  return { fetch, log }
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
  return wire(
    options,
    (request, url) => request.method === 'POST' && url.pathname === '/users/getToken',
    () => {
      const now = Math.floor(NOW.getTime() / 1000)
      return json(200, {
        code: 0,
        message: null,
        response: { access_token: 'iamport-access-token', now, expired_at: now + 1800 },
      })
    },
    (request, url, log) => {
      if (request.method !== 'GET') return json(405, { code: -1, message: 'unexpected method' })
      if (url.pathname === '/subscribe/customers') {
        const uids = [...url.searchParams.entries()]
          .filter(([name]) => name === 'customer_uid[]' || /^customer_uid\[\d*\]$/.test(name))
          .map(([, value]) => value)
        log.batches.push(uids)
        if (uids.some((uid) => uid.startsWith('boom'))) {
          return json(500, { code: -1, message: 'internal error', response: null })
        }
        const found = uids.filter((uid) => !uid.startsWith('missing')).map(customer)
        if (found.length === 0) {
          return json(404, { code: 1, message: '유효하지 않은 customer_uid', response: null })
        }
        return json(found.length === uids.length ? 200 : 207, {
          code: 0,
          message: null,
          response: found,
        })
      }
      const single = /^\/subscribe\/customers\/([^/]+)$/.exec(url.pathname)
      if (single?.[1]) {
        const uid = decodeURIComponent(single[1])
        if (uid.startsWith('missing')) {
          return json(404, { code: 1, message: '유효하지 않은 customer_uid', response: null })
        }
        if (uid.startsWith('boom')) {
          return json(500, { code: -1, message: 'internal error', response: null })
        }
        return json(200, { code: 0, message: null, response: customer(uid) })
      }
      return json(404, { code: 1, message: 'no such path', response: null })
    },
  )
}

function expiry(id: string): string {
  const kst = (date: Date) =>
    `${new Date(date.getTime() + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`
  if (id.startsWith('soon')) return kst(new Date(NOW.getTime() + 10 * DAY_MS))
  if (id.startsWith('old')) return kst(new Date(NOW.getTime() - 5 * DAY_MS))
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
  return wire(
    options,
    (request, url) => request.method === 'POST' && url.pathname === '/v2/request/token',
    () => json(200, { access_token: 'bootpay-access-token', expire_in: 1800 }),
    (request, url) => {
      const match = /^\/v2\/(subscribe\/billing_key|billing_key)\/([^/]+)$/.exec(url.pathname)
      if (request.method !== 'GET' || !match?.[1] || !match[2]) {
        return json(404, { error_code: 'RC_NOT_FOUND', message: 'no such path' })
      }
      const id = decodeURIComponent(match[2])
      if (id.startsWith('missing')) {
        return json(404, { error_code: 'RC_NOT_FOUND', message: '찾을 수 없습니다' })
      }
      if (id.startsWith('gone')) {
        return json(400, { error_code: 'SUBSCRIBE_BK_EXPIRED', message: '만료된 빌링키입니다' })
      }
      if (id.startsWith('notsub')) {
        return json(400, { error_code: 'RC_NOT_SUBSCRIBE', message: '정기결제 영수증이 아닙니다' })
      }
      if (id.startsWith('boom')) {
        return json(500, { error_code: 'INTERNAL_ERROR', message: 'internal error' })
      }
      return json(200, match[1] === 'billing_key' ? byKey(id) : byReceipt(id))
    },
  )
}
