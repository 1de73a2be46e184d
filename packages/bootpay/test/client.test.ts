import {
  AbortError,
  AuthenticationError,
  BillingKeyExpiredError,
  ConnectionError,
  NotFoundError,
  RateLimitError,
  RejectedError,
  ResponseError,
  ServerError,
  ValidationError,
} from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import {
  type BankBillingKeyRequest,
  type CardBillingKeyRequest,
  createBootpayClient,
  NotBillingKeyReceiptError,
  type SubscriptionBilling,
} from '../src/index'
import { bootpay, credentials, fixtureBody, isTokenCall, json, recorder } from './helpers'

const cardKey = fixtureBody<SubscriptionBilling>('getBillingKeyByReceipt-200-card')
const byKey = fixtureBody('getBillingKey-200-bank')
const receipt = fixtureBody('requestBankBillingKey-200')

const card: CardBillingKeyRequest = {
  pg: 'nicepay',
  order_name: '정기결제',
  subscription_id: 'sub-1',
  card_no: '9999888877776666',
  card_pw: '42',
  card_identity_no: '991231',
  card_expire_year: '31',
  card_expire_month: '07',
}
const bank: BankBillingKeyRequest = {
  pg: 'nicepay',
  order_name: '정기결제',
  subscription_id: 'sub-1',
  username: '홍길동',
  bank_name: '국민',
  bank_account: '12345678901234',
  identity_no: '991231',
  phone: '01000000000',
}

/** The error a promise rejects with (fails the test when it resolves). */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`)
    },
    (error: unknown) => error as Error & Record<string, unknown>,
  )

describe('createBootpayClient', () => {
  it.each([
    [{}, 'applicationId'],
    [{ applicationId: 'app' }, 'privateKey'],
    [{ applicationId: ' ', privateKey: 'pk' }, 'applicationId'],
    [{ clientKey: 'ck' }, 'secretKey'],
    [{ clientKey: '', secretKey: 'sk' }, 'clientKey'],
  ])('refuses incomplete credentials %j (%s) before any request', (options, field) => {
    const { fetch, calls } = recorder(() => json({}))
    const create = () => createBootpayClient({ ...(options as typeof credentials), fetch })
    expect(create).toThrow(ValidationError)
    expect(create).toThrow(expect.objectContaining({ field, provider: 'bootpay' }))
    expect(calls).toHaveLength(0)
  })

  it('calls https://api.bootpay.co.kr by default', async () => {
    const { fetch, calls } = bootpay(() => json(byKey))
    await createBootpayClient({ ...credentials, fetch }).getBillingKey('66542dfb4d18d5fc7b43e1b6')
    expect(calls.map((call) => call.url.href)).toEqual([
      'https://api.bootpay.co.kr/v2/request/token',
      'https://api.bootpay.co.kr/v2/billing_key/66542dfb4d18d5fc7b43e1b6',
    ])
  })

  it.each(['http://127.0.0.1:8080/bootpay', 'http://127.0.0.1:8080/bootpay/'])(
    'appends the /v2 paths to a baseUrl with a path prefix (%s)',
    async (baseUrl) => {
      const { fetch, calls } = bootpay(() => json(cardKey))
      const client = createBootpayClient({ ...credentials, fetch, baseUrl })
      await client.getBillingKeyByReceipt('62c7ccebcf9f6d001b3adcd4')
      expect(calls.map((call) => call.url.href)).toEqual([
        'http://127.0.0.1:8080/bootpay/v2/request/token',
        'http://127.0.0.1:8080/bootpay/v2/subscribe/billing_key/62c7ccebcf9f6d001b3adcd4',
      ])
    },
  )
})

describe('every method sends its request and returns the answer', () => {
  const cases = [
    {
      call: (c: Client) => c.getBillingKeyByReceipt('62c7ccebcf9f6d001b3adcd4'),
      request: ['GET', '/v2/subscribe/billing_key/62c7ccebcf9f6d001b3adcd4', undefined],
      answer: cardKey,
    },
    {
      call: (c: Client) => c.getBillingKey('66542dfb4d18d5fc7b43e1b6'),
      request: ['GET', '/v2/billing_key/66542dfb4d18d5fc7b43e1b6', undefined],
      answer: byKey,
    },
    {
      call: (c: Client) => c.issueCardBillingKey(card),
      request: ['POST', '/v2/request/subscribe', card],
      answer: cardKey,
    },
    {
      call: (c: Client) => c.requestBankBillingKey(bank),
      request: ['POST', '/v2/request/subscribe/automatic-transfer', bank],
      answer: receipt,
    },
    {
      call: (c: Client) => c.publishBankBillingKey('665534d0707116122ea322d5'),
      request: [
        'POST',
        '/v2/request/subscribe/automatic-transfer/publish',
        { receipt_id: '665534d0707116122ea322d5' },
      ],
      answer: fixtureBody('publishBankBillingKey-200'),
    },
    {
      call: (c: Client) => c.deleteBillingKey('628b2644d01c7e00209b6092'),
      request: ['DELETE', '/v2/subscribe/billing_key/628b2644d01c7e00209b6092', undefined],
      answer: { billing_key: '628b2644d01c7e00209b6092' },
    },
  ]

  it.each(cases)('$request.0 $request.1', async ({ call, request, answer }) => {
    const { fetch, apiCalls } = bootpay(() => json(answer))
    await expect(call(createBootpayClient({ ...credentials, fetch }))).resolves.toEqual(answer)
    const [sent] = apiCalls()
    expect([sent?.method, sent?.url.pathname, sent?.body]).toEqual(request)
    expect(sent?.headers.get('authorization')).toBe('Bearer tok-1')
    expect(sent?.headers.get('accept')).toBe('application/json')
    if (request[2]) expect(sent?.headers.get('content-type')).toBe('application/json')
  })
})

type Client = ReturnType<typeof createBootpayClient>

describe('Bearer tokens (application_id + private_key)', () => {
  it('requests a token without an Authorization header, with the key pair as JSON', async () => {
    const { fetch, calls } = bootpay(() => json(byKey))
    await createBootpayClient({ ...credentials, fetch }).getBillingKey('66542dfb4d18d5fc7b43e1b6')
    const [token] = calls
    expect(token?.method).toBe('POST')
    expect(token?.headers.has('authorization')).toBe(false)
    expect(token?.headers.get('content-type')).toBe('application/json')
    expect(token?.body).toEqual({ application_id: 'app-id', private_key: 'private-key-SECRET' })
  })

  it('reuses one token for sequential and concurrent calls', async () => {
    const { fetch, calls, apiCalls } = bootpay(() => json(byKey))
    const client = createBootpayClient({ ...credentials, fetch })
    await client.getBillingKey('a')
    await client.getBillingKey('b')
    await Promise.all(['c', 'd', 'e', 'f'].map((key) => client.getBillingKey(key)))
    expect(calls.filter(isTokenCall)).toHaveLength(1)
    expect(apiCalls().map((call) => call.headers.get('authorization'))).toEqual(
      Array(6).fill('Bearer tok-1'),
    )
  })

  it('shares one token request among concurrent first calls', async () => {
    const { fetch, calls } = bootpay(() => json(byKey))
    const client = createBootpayClient({ ...credentials, fetch })
    await Promise.all(['a', 'b', 'c'].map((key) => client.getBillingKey(key)))
    expect(calls.filter(isTokenCall)).toHaveLength(1)
  })

  it('requests a new token once the cached one is about to expire', async () => {
    // 10 s of lifetime is inside the 30 s refresh margin: stale as soon as it arrives.
    const { fetch, calls, apiCalls } = bootpay(
      () => json(byKey),
      (n) => ({ access_token: `tok-${n}`, expire_in: 10 }),
    )
    const client = createBootpayClient({ ...credentials, fetch })
    await client.getBillingKey('a')
    await client.getBillingKey('b')
    expect(calls.filter(isTokenCall)).toHaveLength(2)
    expect(apiCalls().map((call) => call.headers.get('authorization'))).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ])
  })

  it('after a 401 gets a new token and replays the request once, body intact', async () => {
    const { fetch, calls, apiCalls } = bootpay((call) =>
      call.headers.get('authorization') === 'Bearer tok-1'
        ? json({ error_code: 'TOKEN_EXPIRED', message: 'expired' }, 401)
        : json(receipt),
    )
    const client = createBootpayClient({ ...credentials, fetch })
    await expect(client.requestBankBillingKey(bank)).resolves.toEqual(receipt)
    expect(calls.filter(isTokenCall)).toHaveLength(2)
    expect(apiCalls().map((call) => [call.headers.get('authorization'), call.body])).toEqual([
      ['Bearer tok-1', bank],
      ['Bearer tok-2', bank],
    ])
  })

  it('gives up after the one replay: a second 401 is an AuthenticationError', async () => {
    const { fetch, apiCalls } = bootpay(() =>
      json({ error_code: 'TOKEN_KEY_INVALID', message: 'invalid' }, 401),
    )
    const error = await failure(createBootpayClient({ ...credentials, fetch }).getBillingKey('a'))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(apiCalls()).toHaveLength(2)
  })

  it('fails every waiting call with the token error, then tries again on the next call', async () => {
    let refuse = true
    const { fetch, calls } = recorder((call) =>
      isTokenCall(call) && refuse
        ? json({ error_code: 'TOKEN_KEY_INVALID', message: 'bad key' }, 401)
        : isTokenCall(call)
          ? json({ access_token: 'tok', expire_in: 1800 })
          : json(byKey),
    )
    const client = createBootpayClient({ ...credentials, fetch, maxRetries: 0 })
    const errors = await Promise.all(['a', 'b'].map((key) => failure(client.getBillingKey(key))))
    expect(errors[0]).toBeInstanceOf(AuthenticationError)
    expect(errors[1]).toBe(errors[0])
    expect(errors[0]).toMatchObject({ code: 'TOKEN_KEY_INVALID', operation: 'getAccessToken' })
    expect(calls).toHaveLength(1)
    refuse = false
    await expect(client.getBillingKey('a')).resolves.toEqual(byKey)
  })

  it('refuses a token answer without access_token', async () => {
    const { fetch } = bootpay(
      () => json(byKey),
      () => ({ expire_in: 1800 }),
    )
    const error = await failure(createBootpayClient({ ...credentials, fetch }).getBillingKey('a'))
    expect(error).toBeInstanceOf(ResponseError)
  })

  it('getAccessToken asks the server every time and returns its answer', async () => {
    const { fetch, calls } = bootpay(() => json({}))
    const client = createBootpayClient({ ...credentials, fetch })
    await expect(client.getAccessToken()).resolves.toEqual({
      access_token: 'tok-1',
      expire_in: 1800,
    })
    await expect(client.getAccessToken()).resolves.toEqual({
      access_token: 'tok-2',
      expire_in: 1800,
    })
    expect(calls).toHaveLength(2)
  })

  it('retries the token call (idempotent) after a 503', async () => {
    const { fetch, calls } = recorder((call, index) =>
      index === 0
        ? json({ error_code: 'SERVER_ERROR', message: 'busy' }, 503, { 'retry-after': '0' })
        : isTokenCall(call)
          ? json({ access_token: 'tok', expire_in: 1800 })
          : json(byKey),
    )
    await createBootpayClient({ ...credentials, fetch, maxRetries: 1 }).getBillingKey('a')
    expect(calls.map((call) => call.url.pathname)).toEqual([
      '/v2/request/token',
      '/v2/request/token',
      '/v2/billing_key/a',
    ])
  })
})

describe('Basic auth (client_key + secret_key)', () => {
  it.each([
    ['ck', 'sk', 'Basic Y2s6c2s='],
    ['키', 'ß:é', 'Basic 7YKkOsOfOsOp'],
  ])(
    'sends base64 of the UTF-8 bytes of %s:%s and never calls for a token',
    async (clientKey, secretKey, header) => {
      const { fetch, calls } = recorder(() => json(cardKey))
      const client = createBootpayClient({ clientKey, secretKey, fetch })
      await client.getBillingKeyByReceipt('r1')
      await client.deleteBillingKey('k1')
      expect(calls.map((call) => [call.url.pathname, call.headers.get('authorization')])).toEqual([
        ['/v2/subscribe/billing_key/r1', header],
        ['/v2/subscribe/billing_key/k1', header],
      ])
    },
  )

  it('treats a 401 as final: AuthenticationError, no replay', async () => {
    const { fetch, calls } = recorder(() =>
      json({ error_code: 'TOKEN_KEY_INVALID', message: 'refused' }, 401),
    )
    const client = createBootpayClient({ clientKey: 'ck', secretKey: 'sk', fetch })
    const error = await failure(client.getBillingKey('k1'))
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ status: 401, code: 'TOKEN_KEY_INVALID' })
    expect(calls).toHaveLength(1)
  })

  it('has no token to get', async () => {
    const { fetch, calls } = recorder(() => json({}))
    const client = createBootpayClient({ clientKey: 'ck', secretKey: 'sk', fetch })
    const error = await failure(client.getAccessToken())
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ operation: 'getAccessToken', provider: 'bootpay' })
    expect(calls).toHaveLength(0)
  })
})

describe('error_code and status become typed errors', () => {
  const fail = async (body: unknown, status: number, init: Record<string, string> = {}) => {
    const { fetch } = bootpay(() => json(body, status, init))
    return failure(
      createBootpayClient({ ...credentials, fetch, maxRetries: 0 }).getBillingKey('k1'),
    )
  }

  it.each([
    ['TOKEN_KEY_INVALID', AuthenticationError],
    ['SUBSCRIBE_BK_EXPIRED', BillingKeyExpiredError],
    ['RC_NOT_SUBSCRIBE', NotBillingKeyReceiptError],
    ['RC_NOT_FOUND', NotFoundError],
    ['RC_INVALID_EXP_MONTH', RejectedError],
    ['SUBSCRIBE_PUBLISH_NOT_READY', RejectedError],
    ['SOMETHING_NEW', RejectedError],
  ])('%s → %o', async (code, Class) => {
    const error = await fail({ error_code: code, message: '서버 메시지' }, 400)
    expect(error).toBeInstanceOf(Class)
    expect(error.name).toBe(Class.name)
    expect(error).toMatchObject({
      provider: 'bootpay',
      operation: 'getBillingKey',
      status: 400,
      code,
      body: { error_code: code, message: '서버 메시지' },
    })
    expect(error.message).toContain('서버 메시지')
    expect(error.message).toContain(code)
  })

  it('an expired key is a RejectedError and a receipt without a key is a NotFoundError', async () => {
    expect(await fail({ error_code: 'SUBSCRIBE_BK_EXPIRED', message: 'm' }, 400)).toBeInstanceOf(
      RejectedError,
    )
    expect(await fail({ error_code: 'RC_NOT_SUBSCRIBE', message: 'm' }, 400)).toBeInstanceOf(
      NotFoundError,
    )
  })

  it.each([
    [200, RejectedError],
    [404, NotFoundError],
    [429, RateLimitError],
    [500, ServerError],
  ])('an unknown code on HTTP %i is a %o carrying the code', async (status, Class) => {
    const error = await fail({ error_code: 'SOMETHING_NEW', message: 'm' }, status)
    expect(error).toBeInstanceOf(Class)
    expect(error).toMatchObject({ status, code: 'SOMETHING_NEW' })
  })

  it('a known code wins over a 200 status', async () => {
    const error = await fail({ error_code: 'SUBSCRIBE_BK_EXPIRED', message: 'm' }, 200)
    expect(error).toBeInstanceOf(BillingKeyExpiredError)
  })

  it('an HTML 502 is a ServerError naming the status and the content type', async () => {
    const { fetch } = bootpay(
      () =>
        new Response('<html>Bad Gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
          headers: { 'content-type': 'text/html' },
        }),
    )
    const client = createBootpayClient({ ...credentials, fetch, maxRetries: 0 })
    const error = await failure(client.getBillingKey('k1'))
    expect(error).toBeInstanceOf(ServerError)
    expect(error.message).toMatch(/502.*text\/html/)
  })

  it.each([
    ['malformed JSON', '{"billing_key": '],
    ['an empty body', ''],
    ['a JSON string', '"ok"'],
  ])('a 200 with %s is a ResponseError', async (_, text) => {
    const { fetch } = bootpay(() => new Response(text, { status: 200 }))
    const error = await failure(createBootpayClient({ ...credentials, fetch }).getBillingKey('k1'))
    expect(error).toBeInstanceOf(ResponseError)
    expect(error).toMatchObject({ provider: 'bootpay', operation: 'getBillingKey' })
  })

  it('a failed connection is a ConnectionError', async () => {
    const { fetch } = bootpay(() => {
      throw new TypeError('fetch failed')
    })
    const client = createBootpayClient({ ...credentials, fetch, maxRetries: 0 })
    expect(await failure(client.getBillingKey('k1'))).toBeInstanceOf(ConnectionError)
  })
})

describe('retries', () => {
  const busyOnce = (answer: unknown) =>
    bootpay((_, index) =>
      index === 1
        ? json({ error_code: 'SERVER_ERROR', message: 'busy' }, 503, { 'retry-after': '0' })
        : json(answer),
    )

  it('retries a lookup after a 503', async () => {
    const { fetch, apiCalls } = busyOnce(byKey)
    await expect(
      createBootpayClient({ ...credentials, fetch }).getBillingKey('k1'),
    ).resolves.toEqual(byKey)
    expect(apiCalls()).toHaveLength(2)
  })

  it('never retries an issue request', async () => {
    const { fetch, apiCalls } = busyOnce(cardKey)
    const error = await failure(
      createBootpayClient({ ...credentials, fetch }).issueCardBillingKey(card),
    )
    expect(error).toBeInstanceOf(ServerError)
    expect(apiCalls()).toHaveLength(1)
  })
})

describe('cancellation', () => {
  it('an already aborted signal sends nothing', async () => {
    const { fetch, calls } = bootpay(() => json(byKey))
    const client = createBootpayClient({ ...credentials, fetch })
    const error = await failure(client.getBillingKey('k1', { signal: AbortSignal.abort() }))
    expect(error).toBeInstanceOf(AbortError)
    expect(calls).toHaveLength(0)
  })

  it('aborting stops a call in flight', async () => {
    const controller = new AbortController()
    const { fetch, apiCalls } = bootpay(() => {
      controller.abort()
      return new Promise<Response>(() => {})
    })
    const client = createBootpayClient({ ...credentials, fetch })
    const error = await failure(client.getBillingKey('k1', { signal: controller.signal }))
    expect(error).toBeInstanceOf(AbortError)
    expect(apiCalls()).toHaveLength(1)
  })
})

describe('secrets stay out of errors and logs', () => {
  it('hides the private key, the token and card data', async () => {
    const lines: unknown[][] = []
    const log = (...args: unknown[]) => lines.push(args)
    const logger = { debug: log, info: log, warn: log, error: log }
    const { fetch } = bootpay(
      () =>
        json(
          { error_code: 'RC_INVALID_EXP_MONTH', message: 'card_no=9999888877776666 rejected' },
          400,
        ),
      () => ({ access_token: 'tok-SECRET', expire_in: 1800 }),
    )
    const client = createBootpayClient({ ...credentials, fetch, logger, logLevel: 'debug' })
    const error = await failure(client.issueCardBillingKey(card))
    expect(error).toBeInstanceOf(RejectedError)
    expect(lines.length).toBeGreaterThan(0)
    const seen = [error.message, String(error), JSON.stringify(error), JSON.stringify(lines)]
    for (const secret of ['private-key-SECRET', 'tok-SECRET', '9999888877776666', '991231'])
      for (const text of seen) expect(text).not.toContain(secret)
  })
})

describe('bad input is a ValidationError before any request', () => {
  const badIds: [string, unknown][] = [
    ['empty', ''],
    ['a space around it', ' k1'],
    ['"."', '.'],
    ['".."', '..'],
    ['a "../" segment', '../x'],
    ['a "/../" segment', 'x/../y'],
    ['a lone surrogate', 'k\ud800'],
    ['a control character', 'k\n1'],
    ['a NUL', 'k\u00001'],
    ['129 characters', 'k'.repeat(129)],
    ['not a string', 42],
    ['undefined', undefined],
  ]
  const idMethods = [
    ['getBillingKeyByReceipt', 'receiptId'],
    ['getBillingKey', 'billingKey'],
    ['publishBankBillingKey', 'receiptId'],
    ['deleteBillingKey', 'billingKey'],
  ] as const

  describe.each(idMethods)('%s', (method, field) => {
    it.each(badIds)('refuses an id that is %s', async (_, value) => {
      const { fetch, calls } = bootpay(() => json({}))
      const client = createBootpayClient({ ...credentials, fetch })
      const error = await failure(client[method](value as string))
      expect(error).toBeInstanceOf(ValidationError)
      expect(error).toMatchObject({ field, provider: 'bootpay', operation: method })
      expect(calls).toHaveLength(0)
    })
  })

  it.each([
    ['a/b', 'a%2Fb'],
    ['a?b#c', 'a%3Fb%23c'],
    ['%2F', '%252F'],
    ['x..y', 'x%2E%2Ey'],
    ['빌링키', '%EB%B9%8C%EB%A7%81%ED%82%A4'],
  ])('percent-encodes %s as one path segment', async (key, encoded) => {
    const { fetch, apiCalls } = bootpay(() => json(byKey))
    const client = createBootpayClient({ ...credentials, fetch })
    await client.getBillingKey(key)
    await client.deleteBillingKey(key)
    expect(apiCalls().map((call) => call.url.pathname)).toEqual([
      `/v2/billing_key/${encoded}`,
      `/v2/subscribe/billing_key/${encoded}`,
    ])
  })

  const required = Object.keys(card) as (keyof CardBillingKeyRequest)[]
  it.each(required)('issueCardBillingKey requires %s', async (field) => {
    const { fetch, calls } = bootpay(() => json(cardKey))
    const client = createBootpayClient({ ...credentials, fetch })
    for (const value of [undefined, '', '   ']) {
      const error = await failure(client.issueCardBillingKey({ ...card, [field]: value }))
      expect(error).toBeInstanceOf(ValidationError)
      expect(error).toMatchObject({ field, operation: 'issueCardBillingKey' })
    }
    expect(calls).toHaveLength(0)
  })

  it.each([
    ['card_pw', '123'],
    ['card_pw', '4a'],
    ['card_identity_no', '99123'],
    ['card_identity_no', '99-12-31'],
    ['card_expire_year', '2031'],
    ['card_expire_month', '7'],
    ['card_expire_month', '13'],
    ['card_expire_month', '00'],
  ])('issueCardBillingKey refuses a malformed %s without echoing it', async (field, value) => {
    const { fetch, calls } = bootpay(() => json(cardKey))
    const client = createBootpayClient({ ...credentials, fetch })
    const error = await failure(client.issueCardBillingKey({ ...card, [field]: value }))
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field })
    expect(error.message).toBe(`${field} is malformed`)
    expect(calls).toHaveLength(0)
  })

  it.each(Object.keys(bank))('requestBankBillingKey requires %s', async (field) => {
    const { fetch, calls } = bootpay(() => json(receipt))
    const client = createBootpayClient({ ...credentials, fetch })
    const error = await failure(client.requestBankBillingKey({ ...bank, [field]: undefined }))
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field, operation: 'requestBankBillingKey' })
    expect(calls).toHaveLength(0)
  })

  it('requestBankBillingKey refuses a malformed identity_no', async () => {
    const { fetch, calls } = bootpay(() => json(receipt))
    const client = createBootpayClient({ ...credentials, fetch })
    const error = await failure(client.requestBankBillingKey({ ...bank, identity_no: '1234567' }))
    expect(error).toMatchObject({ name: 'ValidationError', field: 'identity_no' })
    expect(calls).toHaveLength(0)
  })

  it('refuses a missing request object', async () => {
    const { fetch, calls } = bootpay(() => json(cardKey))
    const client = createBootpayClient({ ...credentials, fetch })
    const missing = undefined as unknown as CardBillingKeyRequest
    expect(await failure(client.issueCardBillingKey(missing))).toBeInstanceOf(ValidationError)
    expect(calls).toHaveLength(0)
  })
})
