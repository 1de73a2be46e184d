import { readFileSync } from 'node:fs'
import type { Fixture } from '@billingkey/contract'
import { json, recordingFetch } from '../../core/test/fetch'
import { createIamportClient, type IamportClientOptions } from '../src'

export const fixturesDir = new URL('../../../specs/iamport/fixtures/', import.meta.url)

/** One file of specs/iamport/fixtures, by name without `.json`. */
export const fixture = (name: string): Fixture => ({
  file: `${name}.json`,
  ...JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDir), 'utf8')),
})

export { json }

/** A code-0 envelope around `response`. */
export const ok = (response: unknown, status = 200) =>
  json({ code: 0, message: null, response }, status)

export const respond = (f: Fixture) => json(f.response.body, f.response.status)

export const isTokenCall = (request: Request) => request.url.endsWith('/users/getToken')

export interface FakeOptions {
  /** The token response; default a token valid for 30 minutes on the server's clock. */
  token?: { access_token: string; now: number; expired_at: number }
}

/**
 * An injected fetch standing in for api.iamport.kr: getToken answers with `token`, every other
 * request goes to `handle`. `requests` records everything sent, in order.
 */
export function fakeIamport(
  handle: (request: Request) => Response | Promise<Response>,
  {
    token = { access_token: 'token-1', now: 1_700_000_000, expired_at: 1_700_001_800 },
  }: FakeOptions = {},
) {
  const requests: Request[] = []
  const fetch = recordingFetch(({ request }) => {
    requests.push(request)
    return isTokenCall(request) ? ok(token) : handle(request)
  })
  return {
    fetch,
    requests,
    /** The requests other than getToken. */
    calls: () => requests.filter((request) => !isTokenCall(request)),
    tokenCalls: () => requests.filter(isTokenCall),
  }
}

export const client = (
  fetch: typeof globalThis.fetch,
  options: Partial<IamportClientOptions> = {},
) => createIamportClient({ apiKey: 'key', apiSecret: 'secret', fetch, maxRetries: 0, ...options })

/** The customer_uids of a multi-lookup request, in the order sent. */
export const requestedUids = (request: Request) =>
  new URL(request.url).searchParams.getAll('customer_uid[]')

/** A key as iamport returns it, for `uid`. */
export const customer = (uid: string, overrides: Record<string, unknown> = {}) => ({
  customer_uid: uid,
  pg_provider: 'nice',
  pg_id: 'nictest04m',
  sandbox: false,
  customer_id: null,
  card_name: '신한카드',
  card_code: '366',
  card_number: '53611600****1234',
  card_type: 0,
  customer_name: null,
  customer_tel: null,
  customer_email: null,
  customer_addr: null,
  customer_postcode: null,
  inserted: 1_603_417_956,
  updated: 1_603_417_956,
  ...overrides,
})

/** The multi lookup as iamport answers it: 200, 207 with the found keys only, or 404. */
export const multiLookup = (known: (uid: string) => boolean) => (request: Request) => {
  const uids = requestedUids(request)
  const found = uids.filter(known).map((uid) => customer(uid))
  if (!found.length) return json({ code: 1, message: '<none found>', response: null }, 404)
  return ok(found, found.length < uids.length ? 207 : 200)
}

export const bearer = (request: Request | undefined) => request?.headers.get('authorization')

/**
 * An iamport that has revoked its first token: each token call issues `token-<n>`, a call with
 * `Bearer token-1` gets a 401, any other call the key `a`. `requests` records all, in order.
 */
export function revokedFirstToken() {
  let issued = 0
  const requests: Request[] = []
  const fetch = recordingFetch(({ request }) => {
    requests.push(request)
    if (isTokenCall(request)) {
      issued++
      return ok({ access_token: `token-${issued}`, now: 1_700_000_000, expired_at: 1_700_001_800 })
    }
    return bearer(request) === 'Bearer token-1'
      ? json({ code: -1, message: 'expired', response: null }, 401)
      : ok(customer('a'))
  })
  return { fetch, requests }
}
