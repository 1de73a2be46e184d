import { ValidationError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { createBootpayApi } from '../src/api'
import { createBootpayClient } from '../src/index'
import { bootpay, type Call, credentials, fixtureBody, isTokenCall, json } from './helpers'

const byKey = fixtureBody('getBillingKey-200-card')
const expired = fixtureBody('getBillingKey-400-subscribe-bk-expired')

const line = (call: Call) =>
  `${call.method} ${call.url.pathname} ${call.headers.get('authorization')}`

describe('createBootpayApi', () => {
  it('sends the typed request with the Bearer token of application_id/private_key', async () => {
    const fake = bootpay(() => json(byKey))
    const api = createBootpayApi(createBootpayClient({ ...credentials, fetch: fake.fetch }))
    const { data, error, response } = await api.GET('/v2/billing_key/{billing_key}', {
      params: { path: { billing_key: '66b2 a/b' } },
    })
    expect(fake.calls.map((call) => call.url.href)).toEqual([
      'https://api.bootpay.co.kr/v2/request/token',
      'https://api.bootpay.co.kr/v2/billing_key/66b2%20a%2Fb',
    ])
    expect(fake.calls[0]?.body).toEqual({
      application_id: 'app-id',
      private_key: 'private-key-SECRET',
    })
    expect(line(fake.apiCalls()[0] as Call)).toBe('GET /v2/billing_key/66b2%20a%2Fb Bearer tok-1')
    expect(data).toEqual(byKey)
    expect(error).toBeUndefined()
    expect(response.status).toBe(200)
  })

  it('shares one token with the named methods', async () => {
    const fake = bootpay(() => json(byKey))
    const client = createBootpayClient({ ...credentials, fetch: fake.fetch })
    const api = createBootpayApi(client)
    await client.getBillingKey('k1')
    await api.GET('/v2/billing_key/{billing_key}', { params: { path: { billing_key: 'k2' } } })
    await api.DELETE('/v2/subscribe/billing_key/{id}', { params: { path: { id: 'k3' } } })
    expect(fake.calls.filter(isTokenCall)).toHaveLength(1)
    expect(fake.apiCalls().map(line)).toEqual([
      'GET /v2/billing_key/k1 Bearer tok-1',
      'GET /v2/billing_key/k2 Bearer tok-1',
      'DELETE /v2/subscribe/billing_key/k3 Bearer tok-1',
    ])
  })

  it('after a 401, fetches a new token and replays the call once', async () => {
    const fake = bootpay((call) =>
      call.headers.get('authorization') === 'Bearer tok-1'
        ? json({ error_code: 'TOKEN_KEY_INVALID', message: 'expired' }, 401)
        : json(byKey),
    )
    const api = createBootpayApi(createBootpayClient({ ...credentials, fetch: fake.fetch }))
    const { data, response } = await api.GET('/v2/billing_key/{billing_key}', {
      params: { path: { billing_key: 'k1' } },
    })
    expect(fake.calls.map(line)).toEqual([
      'POST /v2/request/token null',
      'GET /v2/billing_key/k1 Bearer tok-1',
      'POST /v2/request/token null',
      'GET /v2/billing_key/k1 Bearer tok-2',
    ])
    expect(response.status).toBe(200)
    expect(data).toEqual(byKey)
  })

  it('sends Authorization: Basic with client_key/secret_key, and no token call', async () => {
    const fake = bootpay(() => json(byKey))
    const client = createBootpayClient({ clientKey: 'ck', secretKey: 'sk', fetch: fake.fetch })
    const api = createBootpayApi(client)
    await api.GET('/v2/billing_key/{billing_key}', { params: { path: { billing_key: 'k1' } } })
    await client.getBillingKey('k2')
    expect(fake.calls.filter(isTokenCall)).toHaveLength(0)
    expect(fake.calls.map(line)).toEqual([
      'GET /v2/billing_key/k1 Basic Y2s6c2s=',
      'GET /v2/billing_key/k2 Basic Y2s6c2s=',
    ])
  })

  it('returns a 4xx body as the typed error, without throwing', async () => {
    const fake = bootpay(() => json(expired, 400))
    const { data, error, response } = await createBootpayApi(
      createBootpayClient({ ...credentials, fetch: fake.fetch }),
    ).GET('/v2/billing_key/{billing_key}', { params: { path: { billing_key: 'k1' } } })
    expect(data).toBeUndefined()
    expect(error).toEqual({ error_code: 'SUBSCRIBE_BK_EXPIRED', message: '<server message>' })
    expect(error?.error_code).toBe('SUBSCRIBE_BK_EXPIRED')
    expect(response.status).toBe(400)
  })

  it('POSTs a JSON body', async () => {
    const fake = bootpay(() => json({ receipt_id: 'r1' }))
    const api = createBootpayApi(createBootpayClient({ ...credentials, fetch: fake.fetch }))
    const { data } = await api.POST('/v2/request/subscribe/automatic-transfer/publish', {
      body: { receipt_id: 'r1' },
    })
    const [call] = fake.apiCalls()
    expect(call?.method).toBe('POST')
    expect(call?.headers.get('content-type')).toBe('application/json')
    expect(call?.body).toEqual({ receipt_id: 'r1' })
    expect(data).toEqual({ receipt_id: 'r1' })
  })

  it('refuses a ".." path param before any request', async () => {
    const fake = bootpay(() => json(byKey))
    const api = createBootpayApi(createBootpayClient({ ...credentials, fetch: fake.fetch }))
    await expect(
      api.GET('/v2/billing_key/{billing_key}', { params: { path: { billing_key: '..' } } }),
    ).rejects.toThrow(ValidationError)
    expect(fake.calls).toHaveLength(0)
  })
})

describe('the client under createBootpayApi', () => {
  it('baseUrl is the option without its trailing slashes', async () => {
    const fake = bootpay(() => json(byKey))
    const client = createBootpayClient({
      ...credentials,
      fetch: fake.fetch,
      baseUrl: 'https://sandbox.test/bootpay//',
    })
    expect(client.baseUrl).toBe('https://sandbox.test/bootpay')
    expect(createBootpayClient(credentials).baseUrl).toBe('https://api.bootpay.co.kr')
    await createBootpayApi(client).GET('/v2/billing_key/{billing_key}', {
      params: { path: { billing_key: 'k1' } },
    })
    expect(fake.calls.map((call) => call.url.href)).toEqual([
      'https://sandbox.test/bootpay/v2/request/token',
      'https://sandbox.test/bootpay/v2/billing_key/k1',
    ])
  })

  it('fetch sends authorized requests to any path', async () => {
    const fake = bootpay(() => json({ any: true }))
    const client = createBootpayClient({ ...credentials, fetch: fake.fetch })
    expect(client.fetch).toBeTypeOf('function')
    const response = await client.fetch(`${client.baseUrl}/v2/receipt/r1`)
    expect(await response.json()).toEqual({ any: true })
    expect(fake.calls.map(line)).toEqual([
      'POST /v2/request/token null',
      'GET /v2/receipt/r1 Bearer tok-1',
    ])
  })
})
