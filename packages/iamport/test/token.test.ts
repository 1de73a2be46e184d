import { AbortError, AuthenticationError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { recordingFetch } from '../../core/test/fetch'
import {
  bearer,
  client,
  customer,
  fakeIamport,
  isTokenCall,
  json,
  ok,
  revokedFirstToken,
} from './helpers'

describe('the access token', () => {
  it('is requested with imp_key and imp_secret as JSON', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    await client(fake.fetch, { apiKey: 'the-key', apiSecret: 'the-secret' }).getBillingKey('a')
    const [token] = fake.tokenCalls()
    expect(token?.method).toBe('POST')
    expect(token?.headers.get('content-type')).toBe('application/json')
    expect(await token?.json()).toEqual({ imp_key: 'the-key', imp_secret: 'the-secret' })
  })

  it('is requested once for many concurrent calls and reused until it nears expiry', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    const iamport = client(fake.fetch)
    await Promise.all(['a', 'b', 'c'].map((uid) => iamport.getBillingKey(uid)))
    await iamport.getBillingKey('d')
    expect(fake.tokenCalls()).toHaveLength(1)
    expect(fake.calls().map(bearer)).toEqual(Array(4).fill('Bearer token-1'))
  })

  it("follows the server's clock: a token issued in 2017 with 30 minutes left is still fresh", async () => {
    // expired_at lies years before the local clock; only `now` says that 30 minutes remain.
    const fake = fakeIamport(() => ok(customer('a')), {
      token: { access_token: 'token-1', now: 1_512_446_940, expired_at: 1_512_448_740 },
    })
    const iamport = client(fake.fetch)
    await iamport.getBillingKey('a')
    await iamport.getBillingKey('b')
    expect(fake.tokenCalls()).toHaveLength(1)
  })

  it('is refreshed before it expires: a token with 20 s left is not used again', async () => {
    const fake = fakeIamport(() => ok(customer('a')), {
      token: { access_token: 'token-1', now: 1_700_000_000, expired_at: 1_700_000_020 },
    })
    const iamport = client(fake.fetch)
    await iamport.getBillingKey('a')
    await iamport.getBillingKey('b')
    expect(fake.tokenCalls()).toHaveLength(2)
  })

  it('getToken returns the cached token', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    const iamport = client(fake.fetch)
    expect(await iamport.getToken()).toBe('token-1')
    expect(await iamport.getToken()).toBe('token-1')
    expect(fake.tokenCalls()).toHaveLength(1)
  })

  it('after a 401, is fetched again and the call replayed once with the new token', async () => {
    const { fetch, requests } = revokedFirstToken()
    const key = await client(fetch).getBillingKey('a')
    expect(key).toMatchObject({ customer_uid: 'a' })
    expect(requests.map((r) => `${r.method} ${new URL(r.url).pathname} ${bearer(r)}`)).toEqual([
      'POST /users/getToken null',
      'GET /subscribe/customers/a Bearer token-1',
      'POST /users/getToken null',
      'GET /subscribe/customers/a Bearer token-2',
    ])
  })

  it('a second 401 is an AuthenticationError, after exactly one replay', async () => {
    const fake = fakeIamport(() =>
      json({ code: -1, message: 'invalid token', response: null }, 401),
    )
    const error = await client(fake.fetch)
      .getBillingKey('a')
      .catch((e) => e)
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error).toMatchObject({ operation: 'getBillingKey', status: 401, code: -1 })
    expect(fake.calls()).toHaveLength(2)
  })

  it("stops the token request once the caller's signal aborts", async () => {
    const controller = new AbortController()
    let tokenSignal: AbortSignal | undefined
    const fetch: typeof globalThis.fetch = async (_input, init) => {
      tokenSignal = init?.signal ?? undefined
      controller.abort()
      return new Promise<Response>(() => {})
    }
    const error = await client(fetch)
      .getBillingKey('a', { signal: controller.signal })
      .catch((e) => e)
    expect(error).toBeInstanceOf(AbortError)
    expect(tokenSignal?.aborted).toBe(true)
  })

  it('getToken is retried like an idempotent call after a 503', async () => {
    let attempts = 0
    const fetch = recordingFetch(({ request }) => {
      if (isTokenCall(request) && ++attempts === 1) return new Response(null, { status: 503 })
      return isTokenCall(request)
        ? ok({ access_token: 'token-1', now: 1_700_000_000, expired_at: 1_700_001_800 })
        : ok(customer('a'))
    })
    await expect(client(fetch, { maxRetries: 1 }).getToken()).resolves.toBe('token-1')
    expect(attempts).toBe(2)
  })
})
