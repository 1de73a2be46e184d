import createClient from 'openapi-fetch'
import { describe, expect, it } from 'vitest'
import {
  type Caller,
  type CallInit,
  type CallResult,
  createCaller,
  serializePath,
  ValidationError,
} from '../src'

const base = 'https://api.example.test/v1'

/** What reached the network, normalised the same way whoever called fetch. */
interface Sent {
  method: string
  url: string
  contentType: string | null
  body: string
}

/**
 * An injected fetch: openapi-fetch calls it with one Request, createCaller with `(url, init)`;
 * `new Request(input, init)` reads both alike. Every request gets a fresh `respond()`.
 */
function spy(respond: () => Response) {
  const sent: Sent[] = []
  const signals: AbortSignal[] = []
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    signals.push(request.signal)
    sent.push({
      method: request.method,
      url: request.url,
      contentType: request.headers.get('content-type'),
      body: await request.text(),
    })
    return respond()
  }
  return { fetch: fetch as typeof globalThis.fetch, sent, signals }
}

/** createCaller and openapi-fetch (configured as the provider api entries are), each on its own spy. */
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

type Method = keyof Caller

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

describe('createCaller sends what openapi-fetch sends', () => {
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

  it('passes the signal on', async () => {
    const { ours, theirs, caller, client } = both()
    await caller.GET('/customers', { signal: AbortSignal.abort() })
    await client.GET('/customers', { signal: AbortSignal.abort() })
    expect(ours.signals.map((signal) => signal.aborted)).toEqual([true])
    expect(theirs.signals.map((signal) => signal.aborted)).toEqual([true])
  })
})

/** The result without the Response object, which is never the same instance. */
const outcome = ({ response, ...rest }: CallResult) => ({ ...rest, status: response.status })

const html = '<html><body>502 Bad Gateway</body></html>'
const responses: [string, () => Response, unknown][] = [
  [
    '200 JSON',
    () => Response.json({ code: 0, message: null, response: { customer_uid: 'c1' } }),
    { data: { code: 0, message: null, response: { customer_uid: 'c1' } }, status: 200 },
  ],
  ['200 empty body', () => new Response(null, { status: 200 }), { data: undefined, status: 200 }],
  ['204', () => new Response(null, { status: 204 }), { data: undefined, status: 204 }],
  [
    '404 JSON',
    () => Response.json({ code: 1, message: '없음', response: null }, { status: 404 }),
    { error: { code: 1, message: '없음', response: null }, status: 404 },
  ],
  [
    '500 not JSON',
    () => new Response(html, { status: 500, headers: { 'content-type': 'text/html' } }),
    { error: html, status: 500 },
  ],
]

describe('createCaller answers what openapi-fetch answers', () => {
  it.each(responses)('%s', async (_, respond, expected) => {
    const { caller, client } = both(respond)
    const ours = await caller.GET('/customers/{customer_uid}', {
      params: { path: { customer_uid: 'c1' } },
    })
    const theirs = await client.GET('/customers/{customer_uid}', {
      params: { path: { customer_uid: 'c1' } },
    })
    expect(outcome(theirs)).toStrictEqual(expected)
    expect(outcome(ours)).toStrictEqual(outcome(theirs))
  })

  it('rejects a 2xx whose body is not JSON with a SyntaxError', async () => {
    const { caller, client } = both(() => new Response('{"code":0,', { status: 200 }))
    await expect(caller.GET('/customers')).rejects.toThrow(SyntaxError)
    await expect(client.GET('/customers')).rejects.toThrow(SyntaxError)
  })
})
