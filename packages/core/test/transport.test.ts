import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  AbortError,
  AuthenticationError,
  ConnectionError,
  createTransport,
  errorFromResponse,
  type IssuedToken,
  RateLimitError,
  ResponseError,
  ServerError,
  TimeoutError,
  TokenCache,
  type TransportOptions,
  toBillingKeyError,
} from '../src'
import {
  captureLogger,
  json,
  mockFetch,
  never,
  rejection,
  reset,
  stalled,
  truncated,
} from './helpers'

const URL_ = 'https://api.iamport.kr/subscribe/customers/c1'
const ok = () => json({ code: 0, message: null, response: { customer_uid: 'c1' } })

type Fetch = ReturnType<typeof mockFetch>

/** Fast retries by default; every test still owns its fetch. */
const transport = (fetch: Fetch, options: Partial<TransportOptions> = {}) =>
  createTransport({
    provider: 'iamport',
    fetch,
    retry: { baseDelayMs: 1, maxDelayMs: 4 },
    ...options,
  })

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** What a provider method does around the transport: parse, map failures, wrap throws. */
async function call(send: () => Promise<Response>) {
  const details = { provider: 'iamport', operation: 'getBillingKey' } as const
  try {
    const response = await send()
    const text = await response.text()
    if (!response.ok) {
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {}
      throw errorFromResponse({ ...details, response, body })
    }
    return JSON.parse(text)
  } catch (e) {
    throw toBillingKeyError(e, details)
  }
}

describe('the request', () => {
  it('sends one Request with the method, URL, headers, body and authorization', async () => {
    const fetch = mockFetch(() => ok())
    const send = transport(fetch, {
      headers: { accept: 'application/json', 'user-agent': 'billingkey-test', 'x-tier': 'default' },
      authorize: async () => 'Bearer t1',
    })
    await send(new Request(URL_, { ...post({ card_number: 'x' }), headers: { 'x-tier': 'T1' } }))
    expect(fetch.calls).toHaveLength(1)
    const [{ request, text }] = fetch.calls as [(typeof fetch.calls)[0]]
    expect(request.method).toBe('POST')
    expect(request.url).toBe(URL_)
    expect(text).toBe('{"card_number":"x"}')
    expect(Object.fromEntries(request.headers)).toMatchObject({
      accept: 'application/json',
      'user-agent': 'billingkey-test',
      'x-tier': 'T1',
      authorization: 'Bearer t1',
    })
  })

  it('calls fetch as a function with the URL and an init, building no Request of its own', async () => {
    const calls: { self: unknown; args: unknown[] }[] = []
    const fetch = function (this: unknown, ...args: unknown[]) {
      calls.push({ self: this, args })
      return Promise.resolve(ok())
    }
    await transport(fetch as unknown as Fetch)(URL_, post({ a: 1 }))
    const [{ self, args }] = calls as [(typeof calls)[0]]
    expect(self).toBeUndefined()
    expect(args).toEqual([
      URL_,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: expect.any(ArrayBuffer),
        signal: expect.any(AbortSignal),
      },
    ])
  })

  it('sends a plain request as it is: no Request built, the string body sent by every attempt', async () => {
    const calls: unknown[][] = []
    const fetch = (...args: unknown[]) => {
      calls.push(args)
      return Promise.resolve(calls.length === 1 ? new Response('', { status: 503 }) : ok())
    }
    const body = JSON.stringify({ a: 1 })
    const { response, body: bytes } = await transport(fetch as unknown as Fetch).send({
      method: 'GET',
      url: URL_,
      headers: { 'x-tier': 'T1' },
      body,
    })
    expect(response.status).toBe(200)
    expect(JSON.parse(new TextDecoder().decode(bytes))).toMatchObject({ code: 0 })
    expect(calls.map(([url, init]) => [url, (init as RequestInit).body])).toEqual([
      [URL_, body],
      [URL_, body],
    ])
    expect(calls.every(([url]) => typeof url === 'string')).toBe(true)
  })

  it('takes a URL and init like fetch does', async () => {
    const fetch = mockFetch(() => ok())
    await transport(fetch)(new URL(URL_), { method: 'DELETE' })
    await transport(fetch)(URL_)
    expect(fetch.calls.map((c) => c.request.method)).toEqual(['DELETE', 'GET'])
  })

  it('returns the response readable, with status, headers and body', async () => {
    const fetch = mockFetch(() => json({ a: 1 }, 207, { 'x-request-id': 'r1' }))
    const response = await transport(fetch)(URL_)
    expect(response.status).toBe(207)
    expect(response.headers.get('x-request-id')).toBe('r1')
    expect(await response.json()).toEqual({ a: 1 })
  })

  it('returns a 204 with no body', async () => {
    const fetch = mockFetch(() => new Response(null, { status: 204 }))
    const response = await transport(fetch)(URL_, { method: 'DELETE' })
    expect(response.status).toBe(204)
    expect(response.body).toBeNull()
  })

  it.each([400, 403, 404, 409, 422])(
    'never throws for HTTP %i and does not retry it',
    async (status) => {
      const fetch = mockFetch(() => json({ code: -1 }, status))
      const response = await transport(fetch)(URL_)
      expect(response.status).toBe(status)
      expect(fetch.calls).toHaveLength(1)
    },
  )
})

describe('retries', () => {
  it.each([408, 429, 500, 502, 503, 504])(
    'retries an idempotent request after HTTP %i',
    async (status) => {
      const fetch = mockFetch((_, n) => (n === 1 ? new Response('', { status }) : ok()))
      const response = await transport(fetch)(URL_)
      expect(response.status).toBe(200)
      expect(fetch.calls).toHaveLength(2)
    },
  )

  it('retries after a reset connection', async () => {
    const fetch = mockFetch((_, n) => (n === 1 ? reset() : ok()))
    expect((await transport(fetch)(URL_)).status).toBe(200)
    expect(fetch.calls).toHaveLength(2)
  })

  it('gives up after maxRetries with the typed error', async () => {
    const fetch = mockFetch(() => reset())
    const error = await rejection(transport(fetch)(URL_))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ provider: 'iamport', cause: expect.any(TypeError) })
    expect(fetch.calls).toHaveLength(3)
  })

  it('does not retry a runtime refusing the connection (Deno NotCapable, without --allow-net)', async () => {
    const message =
      'Requires net access to "api.iamport.kr:443", run again with the --allow-net flag'
    const denied = Object.assign(new Error(message), { name: 'NotCapable' })
    const fetch = mockFetch(() => Promise.reject(denied))
    const error = await rejection(transport(fetch)(URL_))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(error).toMatchObject({ provider: 'iamport', cause: denied })
    expect((error as Error).message).toBe(`iamport GET ${URL_} failed: NotCapable: ${message}`)
    expect(fetch.calls).toHaveLength(1)
  })

  it('returns the last response when retries run out', async () => {
    const fetch = mockFetch((_, n) => new Response(`attempt ${n}`, { status: 503 }))
    const response = await transport(fetch, { maxRetries: 4 })(URL_)
    expect(await response.text()).toBe('attempt 5')
  })

  it('does not retry with maxRetries 0', async () => {
    const fetch = mockFetch(() => new Response('', { status: 503 }))
    expect((await transport(fetch, { maxRetries: 0 })(URL_)).status).toBe(503)
    expect(fetch.calls).toHaveLength(1)
  })

  it.each(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])(
    'treats %s as idempotent by default',
    async (method) => {
      const fetch = mockFetch((_, n) => (n === 1 ? reset() : new Response(null)))
      await transport(fetch)(URL_, { method })
      expect(fetch.calls).toHaveLength(2)
    },
  )

  it('retries a POST the provider marks idempotent (the token call)', async () => {
    const fetch = mockFetch((_, n) => (n === 1 ? new Response('', { status: 500 }) : ok()))
    const send = transport(fetch, {
      isIdempotent: (r) => r.method === 'GET' || new URL(r.url).pathname === '/users/getToken',
    })
    await send('https://api.iamport.kr/users/getToken', post({ imp_key: 'k', imp_secret: 's' }))
    expect(fetch.calls.map((c) => c.text)).toEqual([
      '{"imp_key":"k","imp_secret":"s"}',
      '{"imp_key":"k","imp_secret":"s"}',
    ])
  })

  it.each([
    ['HTTP 500', () => new Response('', { status: 500 })],
    ['HTTP 502', () => new Response('<html>', { status: 502 })],
    [
      'HTTP 503 with Retry-After',
      () => new Response('', { status: 503, headers: { 'retry-after': '0' } }),
    ],
    ['HTTP 429', () => new Response('', { status: 429, headers: { 'retry-after': '0' } })],
    ['HTTP 408', () => new Response('', { status: 408 })],
    ['a reset', reset],
    ['a timeout', never],
    ['a truncated body', () => truncated('{"code":0,')],
    ['a stalled body', () => stalled('{"code":0,')],
  ])('never sends a charge twice, even after %s', async (_, fault) => {
    const fetch = mockFetch((_, n) => (n === 1 ? fault() : ok()))
    const charge = post({ customer_uid: 'c1', merchant_uid: 'order-1', amount: 9900, name: 'plan' })
    await transport(fetch, { timeoutMs: 20 })(
      'https://api.iamport.kr/subscribe/payments/again',
      charge,
    ).catch(() => {})
    expect(fetch.calls).toHaveLength(1)
  })

  it('backs off exponentially with jitter, capped at maxDelayMs', async () => {
    const delays = async (random: () => number) => {
      const { logger, lines } = captureLogger()
      const fetch = mockFetch(() => new Response('', { status: 503 }))
      await transport(fetch, {
        maxRetries: 5,
        retry: { baseDelayMs: 2, maxDelayMs: 10 },
        random,
        logger,
        logLevel: 'debug',
      })(URL_)
      return lines
        .filter((l) => l.message.startsWith('billingkey retry'))
        .map((l) => (l.rest[0] as { delayMs: number }).delayMs)
    }
    expect(await delays(() => 0)).toEqual([1, 2, 4, 5, 5])
    expect(await delays(() => 1)).toEqual([2, 4, 8, 10, 10])
    expect(await delays(() => 0.5)).toEqual([1.5, 3, 6, 7.5, 7.5])
  })

  it.each([
    ['seconds', '0', 0],
    ['an HTTP date in the past', 'Wed, 21 Oct 2015 07:28:00 GMT', 0],
  ])('honours Retry-After in %s instead of its backoff', async (_, value, delayMs) => {
    const { logger, lines } = captureLogger()
    const fetch = mockFetch((_, n) =>
      n === 1 ? new Response('', { status: 429, headers: { 'retry-after': value } }) : ok(),
    )
    // A backoff of minutes: only the Retry-After lets this test finish.
    const send = transport(fetch, {
      retry: { baseDelayMs: 600_000, maxDelayMs: 600_000 },
      logger,
    })
    expect((await send(URL_)).status).toBe(200)
    expect(lines.find((l) => l.message.startsWith('billingkey retry'))?.rest[0]).toMatchObject({
      delayMs,
    })
  })

  it('returns the 429 when its Retry-After is over the cap', async () => {
    const fetch = mockFetch(
      () => new Response('', { status: 429, headers: { 'retry-after': '120' } }),
    )
    const response = await transport(fetch, { retry: { maxRetryAfterMs: 60_000 } })(URL_)
    expect(response.status).toBe(429)
    expect(fetch.calls).toHaveLength(1)
    const error = errorFromResponse({
      provider: 'iamport',
      operation: 'getBillingKey',
      response,
      body: '',
    })
    expect(error).toBeInstanceOf(RateLimitError)
    expect((error as RateLimitError).retryAfterMs).toBe(120_000)
  })

  it('never sleeps past the deadline', async () => {
    const fetch = mockFetch(() => new Response('', { status: 503 }))
    const response = await transport(fetch, {
      deadlineMs: 1_000,
      retry: { baseDelayMs: 5_000, maxDelayMs: 5_000 },
    })(URL_)
    expect(response.status).toBe(503)
    expect(fetch.calls).toHaveLength(1)
  })

  it('never waits a Retry-After past the deadline', async () => {
    const fetch = mockFetch(
      () => new Response('', { status: 503, headers: { 'retry-after': '30' } }),
    )
    await transport(fetch, { deadlineMs: 10_000 })(URL_)
    expect(fetch.calls).toHaveLength(1)
  })
})

describe('timeouts', () => {
  it('times out an attempt that gets no response, and aborts its fetch', async () => {
    const fetch = mockFetch(never)
    const error = await rejection(transport(fetch, { timeoutMs: 20, maxRetries: 0 })(URL_))
    expect(error).toBeInstanceOf(TimeoutError)
    expect((error as Error).message).toBe(`iamport GET ${URL_} timed out after 20 ms`)
    expect(fetch.calls[0]?.request.signal.aborted).toBe(true)
  })

  it('times out a body that stalls', async () => {
    const fetch = mockFetch(() => stalled('{"code":'))
    expect(
      await rejection(transport(fetch, { timeoutMs: 20, maxRetries: 0 })(URL_)),
    ).toBeInstanceOf(TimeoutError)
  })

  it('retries an idempotent request that timed out', async () => {
    const fetch = mockFetch((_, n) => (n === 1 ? never() : ok()))
    expect((await transport(fetch, { timeoutMs: 20 })(URL_)).status).toBe(200)
    expect(fetch.calls).toHaveLength(2)
  })

  it('ends at the overall deadline, whatever the per-attempt timeout', async () => {
    const fetch = mockFetch(never)
    const error = await rejection(transport(fetch, { timeoutMs: 600_000, deadlineMs: 30 })(URL_))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(fetch.calls).toHaveLength(1)
  })

  it("uses a request's own timeoutMs instead of the client's", async () => {
    const fetch = mockFetch(never)
    const error = await rejection(
      transport(fetch, { timeoutMs: 600_000, maxRetries: 0 }).send({
        method: 'GET',
        url: URL_,
        timeoutMs: 20,
      }),
    )
    expect((error as Error).message).toBe(`iamport GET ${URL_} timed out after 20 ms`)
  })

  it("stretches the deadline to a request's longer timeoutMs", async () => {
    // Fake timers: on a loaded machine a millisecond can pass between the deadline and the
    // attempt's start, which would give the attempt 29 ms of the 30.
    vi.useFakeTimers()
    try {
      const fetch = mockFetch(never)
      const failed = rejection(
        transport(fetch, { deadlineMs: 5, maxRetries: 0 }).send({
          method: 'POST',
          url: URL_,
          timeoutMs: 30,
        }),
      )
      await vi.advanceTimersByTimeAsync(30)
      expect(((await failed) as Error).message).toBe(`iamport POST ${URL_} timed out after 30 ms`)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('the replay after a 401', () => {
  function setup(answers: (n: number) => Response, onUnauthorized = true) {
    let issued = 0
    const fetchToken = vi.fn(
      async (): Promise<IssuedToken> => ({
        accessToken: `t${++issued}`,
        expiresAt: Date.now() + 1_800_000,
      }),
    )
    const cache = new TokenCache({ fetchToken })
    const fetch = mockFetch((_, n) => answers(n))
    const unauthorized = vi.fn((_: unknown, authorization: string) => {
      cache.invalidate(authorization.slice('Bearer '.length))
      return onUnauthorized
    })
    const send = transport(fetch, {
      authorize: async (_, signal) => `Bearer ${await cache.get(signal)}`,
      onUnauthorized: unauthorized,
    })
    return { send, fetch, fetchToken, unauthorized }
  }

  it('refreshes once and replays once with the same body, for a POST too', async () => {
    const { send, fetch, fetchToken, unauthorized } = setup((n) =>
      n === 1 ? new Response('', { status: 401 }) : ok(),
    )
    const body = { card_number: '4111-1111-1111-1111', expiry: '2030-12', pg: 'nice' }
    const response = await send(URL_, post(body))
    expect(response.status).toBe(200)
    expect(fetchToken).toHaveBeenCalledTimes(2)
    expect(unauthorized).toHaveBeenCalledTimes(1)
    expect(fetch.calls.map((c) => [c.request.headers.get('authorization'), c.text])).toEqual([
      ['Bearer t1', JSON.stringify(body)],
      ['Bearer t2', JSON.stringify(body)],
    ])
  })

  it('returns a second 401 instead of looping', async () => {
    const { send, fetch } = setup(() => new Response('', { status: 401 }))
    expect((await send(URL_)).status).toBe(401)
    expect(fetch.calls).toHaveLength(2)
  })

  it('does not replay when onUnauthorized says no', async () => {
    const { send, fetch } = setup(() => new Response('', { status: 401 }), false)
    expect((await send(URL_)).status).toBe(401)
    expect(fetch.calls).toHaveLength(1)
  })

  it('does not count the replay as a retry', async () => {
    const { send, fetch } = setup((n) =>
      n === 1
        ? new Response('', { status: 401 })
        : n === 2
          ? new Response('', { status: 503 })
          : ok(),
    )
    // maxRetries 2 by default; a replay plus one retry still fits in 1 + 2 attempts of retries.
    expect((await send(URL_)).status).toBe(200)
    expect(fetch.calls).toHaveLength(3)
  })

  it('never replays a request sent without authorization (the token call)', async () => {
    const fetch = mockFetch(() => new Response('', { status: 401 }))
    const onUnauthorized = vi.fn(() => true)
    const send = transport(fetch, { authorize: async () => undefined, onUnauthorized })
    expect((await send('https://api.iamport.kr/users/getToken', post({}))).status).toBe(401)
    expect(onUnauthorized).not.toHaveBeenCalled()
    expect(fetch.calls[0]?.request.headers.has('authorization')).toBe(false)
  })
})

describe('tokens through the transport', () => {
  it('1,000 concurrent calls on a cold cache make exactly one token request', async () => {
    const fetch = mockFetch(async (request) =>
      new URL(request.url).pathname === '/users/getToken'
        ? json({
            code: 0,
            message: null,
            response: { access_token: 'tok', now: 1_000, expired_at: 2_800 },
          })
        : ok(),
    )
    const tokenCall = transport(fetch, { isIdempotent: () => true })
    const cache = new TokenCache({
      fetchToken: async () => {
        const response = await tokenCall(
          'https://api.iamport.kr/users/getToken',
          post({ imp_key: 'k', imp_secret: 's' }),
        )
        const { response: token } = await response.json()
        return {
          accessToken: token.access_token,
          serverNow: token.now * 1000,
          expiresAt: token.expired_at * 1000,
        }
      },
    })
    const send = transport(fetch, { authorize: async (_, signal) => cache.get(signal) })
    const responses = await Promise.all(Array.from({ length: 1000 }, () => send(URL_)))
    expect(responses.every((r) => r.status === 200)).toBe(true)
    const paths = fetch.calls.map((c) => new URL(c.request.url).pathname)
    expect(paths.filter((p) => p === '/users/getToken')).toHaveLength(1)
    expect(paths).toHaveLength(1001)
    expect(
      fetch.calls.slice(1).every((c) => c.request.headers.get('authorization') === 'tok'),
    ).toBe(true)
    // Some 3,000 Requests and Responses: seconds on a loaded machine, never a hang.
  }, 60_000)

  it('fails without a request, and without retrying, when authorize() fails', async () => {
    const fetch = mockFetch(() => ok())
    const failure = new AuthenticationError('iamport getToken failed: HTTP 401', {
      provider: 'iamport',
    })
    const error = await rejection(
      transport(fetch, { authorize: () => Promise.reject(failure) })(URL_),
    )
    expect(error).toBe(failure)
    expect(fetch.calls).toHaveLength(0)
  })
})

describe("the caller's AbortSignal", () => {
  it('stops before any request when already aborted', async () => {
    const fetch = mockFetch(() => ok())
    const error = await rejection(transport(fetch)(URL_, { signal: AbortSignal.abort() }))
    expect(error).toBeInstanceOf(AbortError)
    expect(fetch.calls).toHaveLength(0)
  })

  it('stops an attempt in flight, without retrying', async () => {
    const controller = new AbortController()
    const fetch = mockFetch(() => {
      setTimeout(() => controller.abort(), 0)
      return never()
    })
    const error = await rejection(transport(fetch)(URL_, { signal: controller.signal }))
    expect(error).toBeInstanceOf(AbortError)
    expect(error).toMatchObject({ provider: 'iamport' })
    expect(fetch.calls).toHaveLength(1)
    expect(fetch.calls[0]?.request.signal.aborted).toBe(true)
  })

  it('cuts a backoff sleep short', async () => {
    const controller = new AbortController()
    const fetch = mockFetch(() => {
      setTimeout(() => controller.abort(), 0)
      return new Response('', { status: 503 })
    })
    // Ten minutes of backoff: only the abort lets this test finish.
    const send = transport(fetch, {
      retry: { baseDelayMs: 600_000, maxDelayMs: 600_000 },
      deadlineMs: 3_600_000,
    })
    const error = await rejection(send(URL_, { signal: controller.signal }))
    expect(error).toBeInstanceOf(AbortError)
    expect(fetch.calls).toHaveLength(1)
  })

  it('cuts a Retry-After sleep short', async () => {
    const controller = new AbortController()
    const fetch = mockFetch(() => {
      setTimeout(() => controller.abort(), 0)
      return new Response('', { status: 429, headers: { 'retry-after': '59' } })
    })
    const error = await rejection(transport(fetch)(URL_, { signal: controller.signal }))
    expect(error).toBeInstanceOf(AbortError)
  })

  it('stops a wait for the token', async () => {
    const controller = new AbortController()
    const fetch = mockFetch(() => ok())
    const send = transport(fetch, {
      authorize: () => {
        setTimeout(() => controller.abort(), 0)
        return never()
      },
    })
    expect(await rejection(send(URL_, { signal: controller.signal }))).toBeInstanceOf(AbortError)
    expect(fetch.calls).toHaveLength(0)
  })

  it('reports AbortSignal.timeout() as a TimeoutError, without retrying', async () => {
    const fetch = mockFetch(never)
    const error = await rejection(transport(fetch)(URL_, { signal: AbortSignal.timeout(10) }))
    expect(error).toBeInstanceOf(TimeoutError)
    expect(fetch.calls).toHaveLength(1)
  })

  it('keeps the abort reason as the cause', async () => {
    const controller = new AbortController()
    controller.abort('user cancelled the audit')
    const error = await rejection(
      transport(mockFetch(() => ok()))(URL_, { signal: controller.signal }),
    )
    expect(error).toMatchObject({ name: 'AbortError', cause: 'user cancelled the audit' })
  })
})

describe('logging', () => {
  it('logs each attempt at debug and each retry at info, with the query redacted', async () => {
    const { logger, lines } = captureLogger()
    const fetch = mockFetch((_, n) =>
      n === 1 ? new Response('', { status: 503, headers: { 'x-request-id': 'r-1' } }) : ok(),
    )
    const url = `${URL_}?imp_key=k3y&page=1`
    await transport(fetch, { logger, logLevel: 'debug', random: () => 1 })(url, {
      headers: { authorization: 'Bearer t0k3n' },
    })
    const redacted = `${URL_}?imp_key=[REDACTED]&page=1`
    const common = { provider: 'iamport', method: 'GET', url: redacted }
    expect(lines.map((l) => [l.level, l.message.split(' {')[0], l.rest[0]])).toEqual([
      ['debug', 'billingkey request', { ...common, attempt: 1 }],
      [
        'debug',
        'billingkey response',
        { ...common, attempt: 1, status: 503, ms: expect.any(Number), requestId: 'r-1' },
      ],
      ['info', 'billingkey retry', { ...common, attempt: 1, delayMs: 1 }],
      ['debug', 'billingkey request', { ...common, attempt: 2 }],
      [
        'debug',
        'billingkey response',
        { ...common, attempt: 2, status: 200, ms: expect.any(Number) },
      ],
    ])
    expect(JSON.stringify(lines)).not.toMatch(/k3y|t0k3n/)
  })

  it('names the error of an attempt without a response', async () => {
    const { logger, lines } = captureLogger()
    await transport(mockFetch(reset), { logger, logLevel: 'debug', maxRetries: 0 })(URL_).catch(
      () => {},
    )
    expect(lines.at(-1)?.rest[0]).toMatchObject({ status: 'ConnectionError' })
  })
})

describe('every fault ends in a typed error or a successful retry', () => {
  // A rejection nobody awaits would surface here, after the call it belonged to had settled.
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown) => unhandled.push(reason)
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled)
  })
  afterAll(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50))
    process.off('unhandledRejection', onUnhandled)
    expect(unhandled).toEqual([])
  })

  const faults = [
    ['a reset connection', reset, ConnectionError],
    ['no response', never, TimeoutError],
    [
      '429 with Retry-After',
      () => new Response('', { status: 429, headers: { 'retry-after': '0' } }),
      RateLimitError,
    ],
    ['500', () => json({ code: -1, message: 'internal' }, 500), ServerError],
    [
      '502 HTML',
      () =>
        new Response('<html><h1>502 Bad Gateway</h1></html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
      ServerError,
    ],
    [
      'malformed JSON',
      () => new Response('{"code":0,"response":{', { status: 200 }),
      ResponseError,
    ],
    ['a truncated body', () => truncated('{"code":0,"resp'), ConnectionError],
    ['a stalled body', () => stalled('{"code":0,'), TimeoutError],
  ] as const

  it.each(faults)('%s, with retries off → %o', async (_, fault, Class) => {
    const fetch = mockFetch(() => fault())
    const error = await rejection(
      call(() => transport(fetch, { timeoutMs: 20, maxRetries: 0 })(URL_)),
    )
    expect(error).toBeInstanceOf(Class)
    expect(error).toMatchObject({ provider: 'iamport', operation: 'getBillingKey' })
  })

  // Malformed JSON comes as a 200: the transport never parses, so there is nothing to retry.
  const transient = faults.filter(([, , Class]) => Class !== ResponseError)

  it.each(transient)('%s, once, then success → the data', async (_, fault) => {
    const fetch = mockFetch((_, n) => (n === 1 ? fault() : ok()))
    const data = await call(() => transport(fetch, { timeoutMs: 20 })(URL_))
    expect(data).toEqual({ code: 0, message: null, response: { customer_uid: 'c1' } })
  })

  it.each(faults)(
    '%s, always → the same typed error after every retry',
    async (_, fault, Class) => {
      const fetch = mockFetch(() => fault())
      const error = await rejection(call(() => transport(fetch, { timeoutMs: 20 })(URL_)))
      expect(error).toBeInstanceOf(Class)
      expect(fetch.calls).toHaveLength(Class === ResponseError ? 1 : 3)
    },
  )
})

describe('the client-wide rate limit', () => {
  it('spaces every call of a client at requestsPerSecond, token calls and retries included', async () => {
    vi.useFakeTimers()
    try {
      const fetch = mockFetch(() => ok())
      const send = transport(fetch, { requestsPerSecond: 10 })
      const all = Promise.all([send(URL_), send(URL_), send(URL_)])
      await vi.advanceTimersByTimeAsync(0)
      expect(fetch.calls).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(100)
      expect(fetch.calls).toHaveLength(2)
      await vi.advanceTimersByTimeAsync(100)
      expect(fetch.calls).toHaveLength(3)
      await all
    } finally {
      vi.useRealTimers()
    }
  })

  it("a 429's Retry-After pauses every call of the client, not only the one that drew it", async () => {
    vi.useFakeTimers()
    try {
      const { logger, lines } = captureLogger()
      const fetch = mockFetch((_, n) => (n === 1 ? json({}, 429, { 'retry-after': '2' }) : ok()))
      const send = transport(fetch, { logger, requestsPerSecond: 20 })
      const pauses: unknown[] = []
      send.rateLimit.onPause((state) => pauses.push(state))
      const first = send(URL_)
      await vi.advanceTimersByTimeAsync(0)
      expect(fetch.calls).toHaveLength(1) // the 429
      const until = new Date(Date.now() + 2_000)
      expect(pauses).toEqual([{ requestsPerSecond: 20, requests: 1, pausedUntil: until }])
      expect(send.rateLimit.state()).toEqual(pauses[0])
      const second = send(URL_) // a call that starts during the pause
      await vi.advanceTimersByTimeAsync(1_999)
      expect(fetch.calls).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(fetch.calls).toHaveLength(2)
      await vi.advanceTimersByTimeAsync(50) // the rate spaces the two calls the pause held
      await Promise.all([first, second])
      expect(fetch.calls).toHaveLength(3)
      expect(
        lines.find((l) => l.message.startsWith('billingkey rate limit pause'))?.rest[0],
      ).toMatchObject({
        provider: 'iamport',
        pauseMs: 2_000,
        until: until.toISOString(),
        requestsPerSecond: 20,
      })
      expect(send.rateLimit.state()).toEqual({ requestsPerSecond: 20, requests: 3 })
    } finally {
      vi.useRealTimers()
    }
  })

  it('an abort while waiting for a turn is an AbortError, and sends nothing', async () => {
    const fetch = mockFetch(() => json({}, 429, { 'retry-after': '30' }))
    const send = transport(fetch, { maxRetries: 0 })
    await send(URL_) // draws the pause
    const controller = new AbortController()
    const waiting = send(URL_, { signal: controller.signal })
    controller.abort()
    expect(await rejection(waiting)).toBeInstanceOf(AbortError)
    expect(fetch.calls).toHaveLength(1)
  })
})
