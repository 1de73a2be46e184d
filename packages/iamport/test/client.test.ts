import {
  AuthenticationError,
  encodePathSegment,
  NotFoundError,
  RejectedError,
  ResponseError,
  ServerError,
  ValidationError,
} from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { createIamportClient } from '../src'
import { client, customer, fakeIamport, fixture, json, ok, respond } from './helpers'

const url = (request: Request) => new URL(request.url)

describe('recorded exchanges', () => {
  it('getBillingKey returns the key of a 200 (I03)', async () => {
    const recorded = fixture('getBillingKey-200')
    const fake = fakeIamport(() => respond(recorded))
    const key = await client(fake.fetch).getBillingKey('customer_1234')
    expect(key).toEqual((recorded.response.body as { response: unknown }).response)
    const [request] = fake.calls()
    expect(request?.method).toBe('GET')
    expect(url(request as Request).pathname).toBe('/subscribe/customers/customer_1234')
  })

  it('getBillingKey keeps null card fields null (I04, paypal_v2)', async () => {
    const fake = fakeIamport(() => respond(fixture('getBillingKey-200-no-card-data')))
    const key = await client(fake.fetch).getBillingKey('paypal_customer_1')
    expect(key).toMatchObject({
      card_name: null,
      card_code: null,
      card_number: null,
      card_type: null,
    })
  })

  it('getBillingKey returns a super billing key as iamport sends it', async () => {
    const fake = fakeIamport(() => respond(fixture('getBillingKey-200-super-billing-key')))
    const key = await client(fake.fetch).getBillingKey('customer_5678')
    expect(key).toMatchObject({
      customer_uid: 'customer_5678',
      channelGroupId: '<channel group id>',
    })
  })

  it.each([
    ['the documented 404 (I05)', 'getBillingKey-404-unknown-uid', 404],
    ['the observed 200 + code 1 (I06)', 'getBillingKey-200-unknown-uid-code1', 200],
  ])('getBillingKey reports an unknown uid as NotFoundError: %s', async (_, name, status) => {
    const fake = fakeIamport(() => respond(fixture(name)))
    const error = await client(fake.fetch)
      .getBillingKey('invalid-uid')
      .catch((e) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({
      provider: 'iamport',
      operation: 'getBillingKey',
      status,
      code: 1,
    })
    expect(error.message).toContain('등록된 정보를 찾을 수 없습니다')
  })

  it.each([
    ['code -1', { code: -1, message: '접근 권한이 없습니다.', response: null }],
    ['code 1 without the not-found message', { code: 1, message: '기타 오류', response: null }],
  ])('getBillingKey reports another 200 failure as RejectedError: %s', async (_, body) => {
    const fake = fakeIamport(() => json(body, 200))
    const error = await client(fake.fetch)
      .getBillingKey('customer_1234')
      .catch((e) => e)
    expect(error).toBeInstanceOf(RejectedError)
    expect(error).not.toBeInstanceOf(NotFoundError)
    expect(error).toMatchObject({ status: 200, code: body.code })
    expect(error.message).toContain(body.message)
  })

  it('issueBillingKey sends the card data as JSON and returns the key (I10)', async () => {
    const recorded = fixture('issueBillingKey-200')
    const fake = fakeIamport(() => respond(recorded))
    const [uid, card] = (recorded.client?.args ?? []) as [string, never]
    const key = await client(fake.fetch).issueBillingKey(uid, card)
    expect(key).toMatchObject({ customer_uid: 'gildong_0001_1234' })
    const [request] = fake.calls()
    expect(request?.method).toBe('POST')
    expect(request?.headers.get('content-type')).toBe('application/json')
    expect(await request?.json()).toEqual(recorded.request.body)
  })

  it('issueBillingKey turns a card refusal (200, code -1) into RejectedError, once (I11)', async () => {
    const recorded = fixture('issueBillingKey-200-card-rejected')
    const fake = fakeIamport(() => respond(recorded))
    const [uid, card] = (recorded.client?.args ?? []) as [string, never]
    const error = await client(fake.fetch, { maxRetries: 2 })
      .issueBillingKey(uid, card)
      .catch((e) => e)
    expect(error).toBeInstanceOf(RejectedError)
    expect(error).toMatchObject({ operation: 'issueBillingKey', status: 200, code: -1 })
    expect(error.message).toContain('유효하지않은 카드번호를 입력하셨습니다.')
    expect(fake.calls()).toHaveLength(1)
  })

  it('issueBillingKey is never retried, not even after a 503', async () => {
    const fake = fakeIamport(() => json({ code: -1, message: 'unavailable', response: null }, 503))
    const error = await client(fake.fetch, { maxRetries: 2 })
      .issueBillingKey('customer_1234', { card_number: '0000-0000-0000-0000', expiry: '2030-12' })
      .catch((e) => e)
    expect(error).toBeInstanceOf(ServerError)
    expect(fake.calls()).toHaveLength(1)
  })

  it('deleteBillingKey sends the reason and the naverpay requester in the query (I12)', async () => {
    const fake = fakeIamport(() => respond(fixture('deleteBillingKey-200')))
    const key = await client(fake.fetch).deleteBillingKey('customer_1234', {
      reason: 'user request',
      requester: 'admin',
    })
    expect(key).toMatchObject({ customer_uid: 'customer_1234' })
    const [request] = fake.calls()
    expect(request?.method).toBe('DELETE')
    expect(url(request as Request).search).toBe('?reason=user%20request&extra[requester]=admin')
  })

  it.each([['deleteBillingKey-404-unknown-uid'], ['deleteBillingKey-200-unknown-uid-code1']])(
    'deleteBillingKey of an unknown uid is NotFoundError (%s)',
    async (name) => {
      const fake = fakeIamport(() => respond(fixture(name)))
      await expect(client(fake.fetch).deleteBillingKey('invalid-uid')).rejects.toBeInstanceOf(
        NotFoundError,
      )
    },
  )

  it('listPayments asks for the page and returns it', async () => {
    const recorded = fixture('listPayments-200')
    const fake = fakeIamport(() => respond(recorded))
    const page = await client(fake.fetch).listPayments('customer_1234', { page: 1 })
    expect(page).toEqual((recorded.response.body as { response: unknown }).response)
    expect(url(fake.calls()[0] as Request).search).toBe('?page=1')
  })

  it('listSchedules sends the window in UNIX seconds, taking Dates or numbers', async () => {
    const fake = fakeIamport(() => respond(fixture('listSchedules-200-empty')))
    const iamport = client(fake.fetch)
    await iamport.listSchedules('customer_1234', {
      from: new Date('2024-01-01T00:00:00Z'),
      to: 1_706_745_600,
      status: 'scheduled',
      page: 2,
    })
    expect(url(fake.calls()[0] as Request).search).toBe(
      '?from=1704067200&to=1706745600&page=2&schedule-status=scheduled',
    )
  })

  it('listSchedules returns the paged shape, and turns the bare array of the Swagger into one page', async () => {
    const paged = fixture('listSchedules-200')
    const array = fixture('listSchedules-200-array')
    const fake = fakeIamport((request) =>
      respond(url(request).searchParams.has('page') ? paged : array),
    )
    const iamport = client(fake.fetch)
    const window = { from: 1_700_000_000, to: 1_707_000_000 }
    const list = (array.response.body as { response: unknown[] }).response
    expect(await iamport.listSchedules('customer_1234', { ...window, page: 1 })).toEqual(
      (paged.response.body as { response: unknown }).response,
    )
    expect(await iamport.listSchedules('customer_1234', window)).toEqual({
      total: 1,
      previous: 0,
      next: 0,
      list,
    })
  })

  it('listSchedules reports a 400 as RejectedError', async () => {
    const fake = fakeIamport(() => respond(fixture('listSchedules-400')))
    const error = await client(fake.fetch)
      .listSchedules('customer_1234', { from: 1_700_000_000, to: 1_720_000_000 })
      .catch((e) => e)
    expect(error).toBeInstanceOf(RejectedError)
    expect(error).toMatchObject({ status: 400, code: -1 })
  })
})

describe('the wire', () => {
  it('works under a path prefix, as the sandbox serves iamport', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    await client(fake.fetch, { baseUrl: 'http://127.0.0.1:4010/iamport/' }).getBillingKey('a')
    expect(fake.requests.map((request) => request.url)).toEqual([
      'http://127.0.0.1:4010/iamport/users/getToken',
      'http://127.0.0.1:4010/iamport/subscribe/customers/a',
    ])
  })

  it('defaults to https://api.iamport.kr', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    await createIamportClient({ apiKey: 'k', apiSecret: 's', fetch: fake.fetch }).getBillingKey('a')
    expect(fake.calls()[0]?.url).toBe('https://api.iamport.kr/subscribe/customers/a')
  })

  it.each(['a/b', 'a?b=1', 'a#b', '100%', '%2F', 'a b', '홍길동_카드1', "v1.0!(x)*'", '...'])(
    'keeps the uid %j inside one path segment, encoded once',
    async (uid) => {
      const fake = fakeIamport(() => ok(customer(uid)))
      await client(fake.fetch).getBillingKey(uid)
      const { pathname } = url(fake.calls()[0] as Request)
      expect(pathname).toBe(`/subscribe/customers/${encodePathSegment(uid)}`)
      expect(decodeURIComponent(pathname.split('/')[3] as string)).toBe(uid)
    },
  )

  it('sends the token as a Bearer header, and no header to getToken', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    await client(fake.fetch).getBillingKey('a')
    const [token, lookup] = fake.requests
    expect(token?.headers.get('authorization')).toBeNull()
    expect(lookup?.headers.get('authorization')).toBe('Bearer token-1')
  })

  it('retries a GET after a 503 and returns the answer that follows', async () => {
    let attempts = 0
    const fake = fakeIamport(() =>
      ++attempts === 1 ? new Response('<html>503</html>', { status: 503 }) : ok(customer('a')),
    )
    const key = await client(fake.fetch, { maxRetries: 1 }).getBillingKey('a')
    expect(key).toMatchObject({ customer_uid: 'a' })
    expect(fake.calls()).toHaveLength(2)
  })

  it('names status and content type of a non-JSON error body', async () => {
    const fake = fakeIamport(
      () =>
        new Response('<html>bad gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    )
    const error = await client(fake.fetch)
      .getBillingKey('a')
      .catch((e) => e)
    expect(error).toBeInstanceOf(ServerError)
    expect(error.message).toContain('502')
    expect(error.message).toContain('text/html')
  })

  it.each([
    ['HTML', new Response('<html>ok?</html>', { status: 200 })],
    ['JSON without the envelope', json({ customer_uid: 'a' }, 200)],
  ])('reports a 200 with %s as ResponseError', async (_, response) => {
    const fake = fakeIamport(() => response)
    await expect(client(fake.fetch).getBillingKey('a')).rejects.toBeInstanceOf(ResponseError)
  })
})

describe('bad input: a ValidationError before any request', () => {
  const cases: [string, (iamport: ReturnType<typeof client>) => Promise<unknown>][] = [
    ['an empty uid', (c) => c.getBillingKey('')],
    ['a uid over 80 characters', (c) => c.getBillingKey('x'.repeat(81))],
    ['a control character', (c) => c.getBillingKey('a\nb')],
    ['a DEL character', (c) => c.deleteBillingKey('a\u007fb')],
    ['surrounding whitespace', (c) => c.listPayments(' a')],
    ['"..", which URL parsers resolve', (c) => c.getBillingKey('..')],
    ['a "../" segment', (c) => c.deleteBillingKey('../admin')],
    ['a uid that is not a string', (c) => c.getBillingKey(42 as never)],
    ['a lone surrogate, which has no UTF-8 form', (c) => c.getBillingKey('a\ud800')],
    ['a lone surrogate in a list', (c) => c.getBillingKeys(['a', '\udc00b'])],
    ['an empty list', (c) => c.getBillingKeys([])],
    ['a list that is not an array', (c) => c.getBillingKeys('a' as never)],
    ['one bad uid in a list', (c) => c.getBillingKeys(['a', 'b\u0000'])],
    [
      'card data without a card number',
      (c) => c.issueBillingKey('a', { expiry: '2030-12' } as never),
    ],
    ['no card data', (c) => c.issueBillingKey('a', undefined as never)],
    [
      'a schedule window that ends before it starts',
      (c) => c.listSchedules('a', { from: 2, to: 1 }),
    ],
    ['an invalid Date', (c) => c.listSchedules('a', { from: new Date('nope'), to: 1 })],
    ['a concurrency of 0', (c) => c.getBillingKeys(['a'], { concurrency: 0 })],
  ]

  it.each(cases)('%s', async (_, call) => {
    const fake = fakeIamport(() => ok(customer('a')))
    await expect(call(client(fake.fetch))).rejects.toBeInstanceOf(ValidationError)
    expect(fake.requests).toHaveLength(0)
  })

  it('names the field and the rule, never the value', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    const error = await client(fake.fetch)
      .getBillingKey(`secret-looking-${'x'.repeat(80)}`)
      .catch((e) => e)
    expect(error).toMatchObject({
      provider: 'iamport',
      operation: 'getBillingKey',
      field: 'customerUid',
    })
    expect(error.message).toContain('80')
    expect(error.message).not.toContain('secret-looking')
  })

  it.each([
    ['apiKey', { apiKey: '' }],
    ['apiSecret', { apiSecret: undefined }],
  ])('createIamportClient refuses a missing %s', (field, options) => {
    expect(() =>
      createIamportClient({ apiKey: 'k', apiSecret: 's', ...(options as object) }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError', field }))
  })
})

describe('secrets', () => {
  const secrets = [
    'imp-secret-value',
    'token-value-123',
    '4111-1111-1111-1111',
    '1990-01',
    '900101',
  ]

  it('never appear in errors or log lines', async () => {
    const lines: unknown[] = []
    const logger = {
      debug: (...args: unknown[]) => lines.push(args),
      info: (...args: unknown[]) => lines.push(args),
      warn: (...args: unknown[]) => lines.push(args),
      error: (...args: unknown[]) => lines.push(args),
    }
    const fake = fakeIamport(
      () =>
        json(
          {
            code: -1,
            message: '카드정보 인증 및 빌키 발급에 실패하였습니다.',
            response: null,
          },
          200,
        ),
      { token: { access_token: 'token-value-123', now: 1, expired_at: 1801 } },
    )
    const iamport = createIamportClient({
      apiKey: 'imp-key-value',
      apiSecret: 'imp-secret-value',
      fetch: fake.fetch,
      logger,
      logLevel: 'debug',
    })
    const error = await iamport
      .issueBillingKey('customer_1234', {
        card_number: '4111-1111-1111-1111',
        expiry: '1990-01',
        birth: '900101',
        pwd_2digit: '12',
      })
      .catch((e) => e)
    expect(error).toBeInstanceOf(RejectedError)
    expect(lines.length).toBeGreaterThan(0)
    const seen = [error.message, String(error), JSON.stringify(error), JSON.stringify(lines)].join(
      '\n',
    )
    for (const secret of secrets) expect(seen).not.toContain(secret)
  })

  it('a refused getToken is an AuthenticationError without the credentials', async () => {
    const fake = fakeIamport(() => ok(null))
    const fetch: typeof globalThis.fetch = async (input, init) => {
      await fake.fetch(input, init)
      return json({ code: -1, message: 'Unauthorized', response: null }, 401)
    }
    const iamport = createIamportClient({
      apiKey: 'imp-key-value',
      apiSecret: 'imp-secret-value',
      fetch,
    })
    const error = await iamport.getBillingKey('a').catch((e) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.operation).toBe('getToken')
    expect(`${error.message}${JSON.stringify(error)}`).not.toMatch(/imp-(key|secret)-value/)
  })
})
