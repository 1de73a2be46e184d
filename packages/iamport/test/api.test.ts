import { ValidationError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { createIamportApi } from '../src/api'
import {
  bearer,
  client,
  customer,
  fakeIamport,
  json,
  multiLookup,
  ok,
  requestedUids,
  revokedFirstToken,
} from './helpers'

const line = (request: Request) =>
  `${request.method} ${new URL(request.url).pathname} ${bearer(request)}`

describe('createIamportApi', () => {
  it('sends the typed request with the Bearer token', async () => {
    const fake = fakeIamport(() => ok(customer('hong 1234')))
    const api = createIamportApi(client(fake.fetch))
    const { data, error, response } = await api.GET('/subscribe/customers/{customer_uid}', {
      params: { path: { customer_uid: 'hong 1234' } },
    })
    expect(fake.requests.map((request) => request.url)).toEqual([
      'https://api.iamport.kr/users/getToken',
      'https://api.iamport.kr/subscribe/customers/hong%201234',
    ])
    expect(bearer(fake.calls()[0])).toBe('Bearer token-1')
    expect(fake.calls()[0]?.headers.get('accept')).toBe('application/json')
    expect(data).toEqual({ code: 0, message: null, response: customer('hong 1234') })
    expect(error).toBeUndefined()
    expect(response.status).toBe(200)
  })

  it('shares one token with the named methods', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    const iamport = client(fake.fetch)
    const api = createIamportApi(iamport)
    await iamport.getBillingKey('a')
    await api.GET('/subscribe/customers/{customer_uid}', {
      params: { path: { customer_uid: 'a' } },
    })
    await iamport.getBillingKey('a')
    expect(fake.tokenCalls()).toHaveLength(1)
    expect(fake.calls().map(bearer)).toEqual(Array(3).fill('Bearer token-1'))
  })

  it('after a 401, fetches a new token and replays the call once', async () => {
    const { fetch, requests } = revokedFirstToken()
    const { data, response } = await createIamportApi(client(fetch)).GET(
      '/subscribe/customers/{customer_uid}',
      { params: { path: { customer_uid: 'a' } } },
    )
    expect(requests.map(line)).toEqual([
      'POST /users/getToken null',
      'GET /subscribe/customers/a Bearer token-1',
      'POST /users/getToken null',
      'GET /subscribe/customers/a Bearer token-2',
    ])
    expect(response.status).toBe(200)
    expect(data).toMatchObject({ code: 0, response: { customer_uid: 'a' } })
  })

  it('sends customer_uid[] as the key repeated with raw brackets', async () => {
    const fake = fakeIamport(multiLookup(() => true))
    const { data } = await createIamportApi(client(fake.fetch)).GET('/subscribe/customers', {
      params: { query: { 'customer_uid[]': ['a', 'b c', '홍'] } },
    })
    const [call] = fake.calls()
    expect(call?.url).toBe(
      'https://api.iamport.kr/subscribe/customers?customer_uid[]=a&customer_uid[]=b%20c&customer_uid[]=%ED%99%8D',
    )
    expect(call && requestedUids(call)).toEqual(['a', 'b c', '홍'])
    expect(data).toMatchObject({
      code: 0,
      response: [customer('a'), customer('b c'), customer('홍')],
    })
  })

  it("returns openapi-fetch's { data, error, response } without unwrapping the envelope", async () => {
    const refused = {
      code: 1,
      message: '요청하신 customer_uid(a)로 등록된 정보를 찾을 수 없습니다.',
      response: null,
    }
    const fake = fakeIamport(() => json(refused, 200))
    const iamport = client(fake.fetch)
    const result = await createIamportApi(iamport).GET('/subscribe/customers/{customer_uid}', {
      params: { path: { customer_uid: 'a' } },
    })
    // The named method reads the same answer as "no such key"; the api client hands it over.
    await expect(iamport.getBillingKey('a')).rejects.toMatchObject({ name: 'NotFoundError' })
    expect(Object.keys(result).sort()).toEqual(['data', 'response'])
    expect(result.data).toEqual(refused)
    expect(result.error).toBeUndefined()
    expect(result.response).toBeInstanceOf(Response)
    expect(result.response.status).toBe(200)
  })

  it('returns a 4xx body as error', async () => {
    const body = { code: -1, message: '잘못된 요청', response: null }
    const fake = fakeIamport(() => json(body, 400))
    const { data, error, response } = await createIamportApi(client(fake.fetch)).DELETE(
      '/subscribe/customers/{customer_uid}',
      {
        params: {
          path: { customer_uid: 'a' },
          query: { reason: '해지', 'extra[requester]': 'admin' },
        },
      },
    )
    expect(fake.calls().map((request) => `${request.method} ${request.url}`)).toEqual([
      'DELETE https://api.iamport.kr/subscribe/customers/a?reason=%ED%95%B4%EC%A7%80&extra[requester]=admin',
    ])
    expect(data).toBeUndefined()
    expect(error).toEqual(body)
    expect(response.status).toBe(400)
  })

  it('refuses a ".." path param before any request', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    const request = createIamportApi(client(fake.fetch)).GET(
      '/subscribe/customers/{customer_uid}',
      {
        params: { path: { customer_uid: '..' } },
      },
    )
    await expect(request).rejects.toThrow(ValidationError)
    expect(fake.requests).toHaveLength(0)
  })
})

describe('the client under createIamportApi', () => {
  it('baseUrl is the option without its trailing slashes', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    const iamport = client(fake.fetch, { baseUrl: 'https://sandbox.test/iamport//' })
    expect(iamport.baseUrl).toBe('https://sandbox.test/iamport')
    expect(client(fake.fetch).baseUrl).toBe('https://api.iamport.kr')
    await createIamportApi(iamport).GET('/subscribe/customers/{customer_uid}', {
      params: { path: { customer_uid: 'a' } },
    })
    expect(fake.requests.map((request) => request.url)).toEqual([
      'https://sandbox.test/iamport/users/getToken',
      'https://sandbox.test/iamport/subscribe/customers/a',
    ])
  })

  it('fetch sends authorized requests to any path', async () => {
    const fake = fakeIamport(() => json({ code: 0, message: null, response: { any: true } }, 200))
    const iamport = client(fake.fetch)
    expect(iamport.fetch).toBeTypeOf('function')
    const response = await iamport.fetch(`${iamport.baseUrl}/payments/status/paid?limit=1`)
    const posted = await iamport.fetch(
      new Request(`${iamport.baseUrl}/escrows/logis/imp_1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sender: {} }),
      }),
    )
    expect(await response.json()).toEqual({ code: 0, message: null, response: { any: true } })
    expect(posted.status).toBe(200)
    expect(fake.tokenCalls()).toHaveLength(1)
    expect(fake.calls().map(line)).toEqual([
      'GET /payments/status/paid Bearer token-1',
      'POST /escrows/logis/imp_1 Bearer token-1',
    ])
    expect(await fake.calls()[1]?.json()).toEqual({ sender: {} })
  })
})
