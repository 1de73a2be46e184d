import { describe, expect, it } from 'vitest'
import { recordingFetch } from '../../core/test/fetch'
import { createIamportAdapter, ResponseError, ValidationError } from '../src'
import { client, customer, fakeIamport, json, ok } from './helpers'

// Issue 16 items 2, 3 and 8: a 2xx the client cannot honestly map, and input gaps.
describe('a code-0 answer without a payload the client can map is a ResponseError', () => {
  const payloads: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['"x"', 'x'],
    ['[null]', [null]],
  ]
  const operations = [
    ['getBillingKey', (c: ReturnType<typeof client>) => c.getBillingKey('a')],
    ['getBillingKeys', (c: ReturnType<typeof client>) => c.getBillingKeys(['a'])],
    ['listPayments', (c: ReturnType<typeof client>) => c.listPayments('a')],
  ] as const
  for (const [operation, call] of operations) {
    it.each(payloads)(`${operation}: response %s`, async (_, response) => {
      const fake = fakeIamport(() => json({ code: 0, message: null, response }, 200))
      const error = await call(client(fake.fetch)).catch((e) => e)
      expect(error).toBeInstanceOf(ResponseError)
      expect(error).toMatchObject({ provider: 'iamport', operation })
      expect(error.message).toMatch(
        new RegExp(`^iamport ${operation} failed: the answer's payload `),
      )
    })
  }

  it.each([
    ['{ code: 0 }', { code: 0 }],
    ['response: null', { code: 0, message: null, response: null }],
  ])("the adapter's lookup on %s", async (_, body) => {
    const fake = fakeIamport(() => json(body, 200))
    const error = await createIamportAdapter(client(fake.fetch))
      .lookup({ provider: 'iamport', customerUid: 'a' })
      .catch((e) => e)
    expect(error).toBeInstanceOf(ResponseError)
    expect(error).not.toBeInstanceOf(TypeError)
  })
})

it('says what is wrong by the kind of value, never the value', async () => {
  const fake = fakeIamport(() => ok('4111-1111-1111-1111'))
  const error = await client(fake.fetch)
    .getBillingKey('a')
    .catch((e) => e)
  expect(error.message).toBe(
    "iamport getBillingKey failed: the answer's payload is string, not an object",
  )
})

describe('input gaps: a ValidationError before any request', () => {
  const cases: [string, (c: ReturnType<typeof client>) => Promise<unknown>, string][] = [
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case
    ['a sparse list', (c) => c.getBillingKeys([, 'a'] as string[]), 'customerUid'],
    ['a lone surrogate in reason', (c) => c.deleteBillingKey('a', { reason: 'x\ud800' }), 'reason'],
    [
      'a lone surrogate in requester',
      (c) => c.deleteBillingKey('a', { requester: '\udc00' }),
      'requester',
    ],
    [
      'a lone surrogate in a schedule status',
      (c) => c.listSchedules('a', { from: 1, to: 2, status: 'x\ud800' as never }),
      'schedule-status',
    ],
    ['a lone surrogate in page', (c) => c.listPayments('a', { page: '\ud800' as never }), 'page'],
    [
      'a reason over 500 characters',
      (c) => c.deleteBillingKey('a', { reason: 'x'.repeat(501) }),
      'reason',
    ],
  ]
  it.each(cases)('%s', async (_, call, field) => {
    const fake = fakeIamport(() => ok(null))
    const error = await call(client(fake.fetch)).catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field, provider: 'iamport' })
    expect(fake.requests).toHaveLength(0)
  })
})

describe('one English wording per reason', () => {
  it('an unknown uid reads "no billing key was found", with the code and message after it', async () => {
    const message = '요청하신 customer_uid(a)로 등록된 정보를 찾을 수 없습니다.'
    const fake = fakeIamport(() => json({ code: 1, message, response: null }, 200))
    const error = await client(fake.fetch)
      .getBillingKey('a')
      .catch((e) => e)
    expect(error.message).toBe(
      `iamport getBillingKey failed: no billing key was found (HTTP 200, code 1, message: ${message})`,
    )
  })
})

describe('more answers the client cannot map, none of them a ConnectionError', () => {
  it('a token answer with response: null is a ResponseError, not retried as a network fault', async () => {
    let tokenCalls = 0
    const fetch = recordingFetch(({ request }) => {
      if (request.url.endsWith('/users/getToken')) tokenCalls++
      return request.url.endsWith('/users/getToken')
        ? json({ code: 0, message: null, response: null })
        : ok(customer('a'))
    })
    const error = await client(fetch, { maxRetries: 2 })
      .getBillingKey('a')
      .catch((e) => e)
    expect(error).toBeInstanceOf(ResponseError)
    expect(error).toMatchObject({ operation: 'getToken' })
    expect(tokenCalls).toBe(1)
  })

  it('a token answer without access_token is a ResponseError, and no "Bearer undefined" is sent', async () => {
    const fetch = recordingFetch(({ request }) =>
      request.url.endsWith('/users/getToken')
        ? ok({ now: 1_700_000_000, expired_at: 1_700_001_800 })
        : ok(customer('a')),
    )
    const error = await client(fetch)
      .getBillingKey('a')
      .catch((e) => e)
    expect(error).toBeInstanceOf(ResponseError)
    expect(fetch.calls).toHaveLength(1)
  })

  it('lookupMany on response [null] gives each ref a ResponseError', async () => {
    const fake = fakeIamport(() => ok([null]))
    const results = await createIamportAdapter(client(fake.fetch)).lookupMany([
      { provider: 'iamport', customerUid: 'a' },
      { provider: 'iamport', customerUid: 'b' },
    ])
    expect(results.map((r) => !r.ok && r.error.name)).toEqual(['ResponseError', 'ResponseError'])
  })
})
