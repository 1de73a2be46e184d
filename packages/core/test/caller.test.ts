import createClient from 'openapi-fetch'
import { describe, expect, it } from 'vitest'
import {
  buildRequest,
  type CallInit,
  createTransport,
  type Method,
  serializePath,
  ValidationError,
} from '../src'
import { recordingFetch } from './fetch'

type Call = (path: string, init?: CallInit) => Promise<unknown>
type Caller = Record<Method, Call>

/** The named methods' way to a request: buildRequest, then the transport's plain `send`. */
function createCaller(baseUrl: string, fetch: typeof globalThis.fetch): Caller {
  const { send } = createTransport({ provider: 'iamport', fetch, maxRetries: 0 })
  const call =
    (method: Method): Call =>
    async (path, init) =>
      send(buildRequest(baseUrl, method, path, init))
  return { GET: call('GET'), POST: call('POST'), DELETE: call('DELETE') }
}

const base = 'https://api.example.test/v1'

/** What reached the network, normalised the same way whoever called fetch. */
interface Sent {
  method: string
  url: string
  contentType: string | null
  body: string
}

/** The recording fetch, seen as what reached the network. */
function spy(respond: () => Response) {
  const fetch = recordingFetch(() => respond())
  return {
    fetch,
    get sent(): Sent[] {
      return fetch.calls.map(({ method, url, headers, text }) => ({
        method,
        url: url.href,
        contentType: headers.get('content-type'),
        body: text,
      }))
    },
    get signals() {
      return fetch.calls.map((call) => call.signal)
    },
  }
}

/** buildRequest and openapi-fetch (configured as the provider api entries are), each on its own spy. */
function both(respond: () => Response = () => Response.json({})) {
  const ours = spy(respond)
  const theirs = spy(respond)
  return {
    ours,
    theirs,
    caller: createCaller(base, ours.fetch),
    client: createClient({
      baseUrl: base,
      fetch: theirs.fetch,
      pathSerializer: serializePath,
      querySerializer: { array: { style: 'form', explode: true } },
    }) as unknown as Caller,
  }
}

const requests: [string, Method, string, CallInit, Omit<Sent, 'method'>][] = [
  [
    'a path param that needs encoding',
    'GET',
    '/customers/{customer_uid}',
    { params: { path: { customer_uid: 'a b/c?#%' } } },
    { url: `${base}/customers/a%20b%2Fc%3F%23%25`, contentType: null, body: '' },
  ],
  [
    'an array as the key repeated, brackets raw',
    'GET',
    '/customers',
    { params: { query: { 'customer_uid[]': ['a', 'b c', '가'] } } },
    {
      url: `${base}/customers?customer_uid[]=a&customer_uid[]=b%20c&customer_uid[]=%EA%B0%80`,
      contentType: null,
      body: '',
    },
  ],
  [
    'undefined, null and an empty array dropped',
    'GET',
    '/customers',
    { params: { query: { a: undefined, b: null, c: [], d: 'kept', e: undefined } } },
    { url: `${base}/customers?d=kept`, contentType: null, body: '' },
  ],
  [
    'nothing left of the query',
    'GET',
    '/customers',
    { params: { query: { a: undefined, b: null, c: [] } } },
    { url: `${base}/customers`, contentType: null, body: '' },
  ],
  [
    'numbers, zero included',
    'GET',
    '/customers/{customer_uid}/schedules',
    {
      params: {
        path: { customer_uid: 'c1' },
        query: { from: 1_700_000_000, to: 1_700_086_400, page: 0 },
      },
    },
    {
      url: `${base}/customers/c1/schedules?from=1700000000&to=1700086400&page=0`,
      contentType: null,
      body: '',
    },
  ],
  [
    'a bracketed name with a primitive value',
    'DELETE',
    '/customers/{customer_uid}',
    { params: { path: { customer_uid: 'c1' }, query: { 'extra[requester]': 'admin&x=1' } } },
    { url: `${base}/customers/c1?extra[requester]=admin%26x%3D1`, contentType: null, body: '' },
  ],
  [
    'a JSON body',
    'POST',
    '/customers/{customer_uid}',
    {
      params: { path: { customer_uid: 'c1' } },
      body: { card_number: '1234-5678', expiry: '2031-07', nested: { 홍: [1, null] } },
    },
    {
      url: `${base}/customers/c1`,
      contentType: 'application/json',
      body: '{"card_number":"1234-5678","expiry":"2031-07","nested":{"홍":[1,null]}}',
    },
  ],
  [
    'a path and a query',
    'DELETE',
    '/customers/{customer_uid}',
    { params: { path: { customer_uid: '홍 1' }, query: { reason: '해지 요청', page: 2 } } },
    {
      url: `${base}/customers/%ED%99%8D%201?reason=%ED%95%B4%EC%A7%80%20%EC%9A%94%EC%B2%AD&page=2`,
      contentType: null,
      body: '',
    },
  ],
]

describe('buildRequest sends what openapi-fetch sends', () => {
  it.each(requests)('%s', async (_, method, path, init, expected) => {
    const { ours, theirs, caller, client } = both()
    await caller[method](path, init)
    await client[method](path, init)
    expect(theirs.sent).toEqual([{ method, ...expected }])
    expect(ours.sent).toEqual(theirs.sent)
  })

  it.each(['..', '.', ''])(
    'refuses the path param %o before fetch, as openapi-fetch does',
    async (uid) => {
      const { ours, theirs, caller, client } = both()
      const init = { params: { path: { customer_uid: uid } } }
      for (const call of [caller.GET, client.GET]) {
        await expect(call('/customers/{customer_uid}', init)).rejects.toThrow(ValidationError)
        await expect(call('/customers/{customer_uid}', init)).rejects.toMatchObject({
          field: 'customer_uid',
        })
      }
      expect(ours.sent).toEqual([])
      expect(theirs.sent).toEqual([])
    },
  )

  it('sends the extra headers of a call, with or without a body', async () => {
    const { ours, caller } = both()
    const headers = { 'idempotency-key': '"order-1-charge"' }
    await caller.POST('/charges', { body: { amount: 1 }, headers })
    await caller.DELETE('/charges/c1', { headers })
    expect(
      ours.fetch.calls.map((sent) => [
        sent.headers.get('idempotency-key'),
        sent.headers.get('content-type'),
      ]),
    ).toEqual([
      ['"order-1-charge"', 'application/json'],
      ['"order-1-charge"', null],
    ])
  })

  it('refuses a query value that is not well-formed Unicode before fetch', async () => {
    const { ours, caller } = both()
    await expect(
      caller.DELETE('/customers/{customer_uid}', {
        params: { path: { customer_uid: 'c1' }, query: { reason: 'a\ud800' } },
      }),
    ).rejects.toMatchObject({ name: 'ValidationError', field: 'reason' })
    expect(ours.sent).toEqual([])
  })

  it('passes the signal on: an aborted one sends nothing and rejects with AbortError', async () => {
    const { ours, theirs, caller, client } = both()
    await expect(caller.GET('/customers', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    })
    await client.GET('/customers', { signal: AbortSignal.abort() })
    expect(ours.signals).toEqual([])
    expect(theirs.signals.map((signal) => signal.aborted)).toEqual([true])
  })
})

describe('buildRequest timeoutMs', () => {
  it("carries a call's own timeoutMs to the transport", () => {
    expect(
      buildRequest('https://x.test', 'POST', '/a', { body: {}, timeoutMs: 60_000 }),
    ).toMatchObject({
      timeoutMs: 60_000,
    })
    expect(buildRequest('https://x.test', 'GET', '/a', { timeoutMs: 90_000 }).timeoutMs).toBe(
      90_000,
    )
  })
})
