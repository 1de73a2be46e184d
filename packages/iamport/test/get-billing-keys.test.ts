import { NotFoundError, ServerError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import {
  client,
  customer,
  fakeIamport,
  fixture,
  json,
  multiLookup,
  ok,
  requestedUids,
  respond,
} from './helpers'

const uids = (keys: { customer_uid: string }[]) => keys.map((key) => key.customer_uid)

describe('getBillingKeys', () => {
  it('sends customer_uid[]=a&customer_uid[]=b, the key repeated with raw brackets', async () => {
    const fake = fakeIamport(() => respond(fixture('getBillingKeys-200')))
    const { found, missing } = await client(fake.fetch).getBillingKeys([
      'hong_1234_a',
      'hong_1234_b',
    ])
    const [request] = fake.calls()
    expect(new URL(request?.url as string).search).toBe(
      '?customer_uid[]=hong_1234_a&customer_uid[]=hong_1234_b',
    )
    expect(uids(found)).toEqual(['hong_1234_a', 'hong_1234_b'])
    expect(missing).toEqual([])
  })

  it('percent-encodes the values, not the brackets', async () => {
    const fake = fakeIamport(multiLookup(() => true))
    await client(fake.fetch).getBillingKeys(['a&b', '홍 1', 'c=d'])
    expect(new URL(fake.calls()[0]?.url as string).search).toBe(
      '?customer_uid[]=a%26b&customer_uid[]=%ED%99%8D%201&customer_uid[]=c%3Dd',
    )
  })

  it('splits a 207 into found and missing, in the order asked (I08)', async () => {
    const fake = fakeIamport(() => respond(fixture('getBillingKeys-207-partial')))
    const result = await client(fake.fetch).getBillingKeys([
      'hong_1234_a',
      'does_not_exist',
      'hong_1234_b',
    ])
    expect(uids(result.found)).toEqual(['hong_1234_a', 'hong_1234_b'])
    expect(result.missing).toEqual(['does_not_exist'])
  })

  it('returns found keys in the caller’s order, whatever order the server uses', async () => {
    const fake = fakeIamport(() => ok([customer('c'), customer('a'), customer('b')]))
    const { found } = await client(fake.fetch).getBillingKeys(['a', 'b', 'c'])
    expect(uids(found)).toEqual(['a', 'b', 'c'])
  })

  it.each([
    ['the documented 404 (I09)', () => respond(fixture('getBillingKeys-404-none-found'))],
    [
      'a 200 with code 1 and the not-found message',
      () =>
        json(
          {
            code: 1,
            message: '요청하신 customer_uid(nope_a)로 등록된 정보를 찾을 수 없습니다.',
            response: null,
          },
          200,
        ),
    ],
  ])('returns every uid as missing when none exists: %s', async (_, answer) => {
    const fake = fakeIamport(answer)
    await expect(client(fake.fetch).getBillingKeys(['nope_a', 'nope_b'])).resolves.toEqual({
      found: [],
      missing: ['nope_a', 'nope_b'],
    })
  })

  it('does not read a 404 without the envelope (a proxy page) as "all missing"', async () => {
    const fake = fakeIamport(
      () =>
        new Response('<html>Not Found</html>', {
          status: 404,
          headers: { 'content-type': 'text/html' },
        }),
    )
    const error = await client(fake.fetch)
      .getBillingKeys(['a', 'b'])
      .catch((e) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toContain('text/html')
  })

  it('removes duplicates before asking', async () => {
    const fake = fakeIamport(multiLookup((uid) => uid !== 'x'))
    const result = await client(fake.fetch).getBillingKeys(['a', 'x', 'a', 'b', 'x'])
    expect(requestedUids(fake.calls()[0] as Request)).toEqual(['a', 'x', 'b'])
    expect(uids(result.found)).toEqual(['a', 'b'])
    expect(result.missing).toEqual(['x'])
  })

  it('splits 1,000 uids into requests whose URLs stay under 8 KB, each uid asked once, in order', async () => {
    const all = Array.from(
      { length: 1000 },
      (_, i) => `customer_${String(i).padStart(4, '0')}_${'k'.repeat(40)}`,
    )
    const fake = fakeIamport(multiLookup((uid) => !uid.startsWith('customer_09')))
    const { found, missing } = await client(fake.fetch).getBillingKeys(all)

    const requests = fake.calls()
    expect(requests.length).toBeGreaterThan(1)
    for (const request of requests) expect(request.url.length).toBeLessThanOrEqual(8000)
    expect(requests.flatMap(requestedUids)).toEqual(all)
    // Greedy: each request but the last would be too long with the next uid added.
    for (const request of requests.slice(0, -1)) {
      const next = all[all.indexOf(requestedUids(request).at(-1) as string) + 1]
      expect(`${request.url}&customer_uid[]=${next}`.length).toBeGreaterThan(8000)
    }
    expect(missing).toEqual(all.filter((uid) => uid.startsWith('customer_09')))
    expect(uids(found)).toEqual(all.filter((uid) => !uid.startsWith('customer_09')))
  })

  it('takes a smaller URL limit, counting the base URL and the encoded values', async () => {
    const all = Array.from({ length: 50 }, (_, i) => `고객_${i}`)
    const fake = fakeIamport(multiLookup(() => true))
    const iamport = client(fake.fetch, {
      baseUrl: 'http://127.0.0.1:4010/iamport',
      maxUrlLength: 300,
    })
    const { found } = await iamport.getBillingKeys(all)
    const requests = fake.calls()
    expect(requests.length).toBeGreaterThan(5)
    for (const request of requests) expect(request.url.length).toBeLessThanOrEqual(300)
    expect(uids(found)).toEqual(all)
  })

  it('refuses a URL limit too small for one uid, before any request', async () => {
    const fake = fakeIamport(multiLookup(() => true))
    const iamport = client(fake.fetch, { maxUrlLength: 60 })
    await expect(iamport.getBillingKeys(['a'.repeat(80)])).rejects.toMatchObject({
      name: 'ValidationError',
      field: 'maxUrlLength',
    })
    expect(fake.requests).toHaveLength(0)
  })

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0
    let most = 0
    const answer = multiLookup(() => true)
    const fake = fakeIamport(async (request) => {
      most = Math.max(most, ++inFlight)
      await new Promise((resolve) => setTimeout(resolve))
      inFlight--
      return answer(request)
    })
    const all = Array.from({ length: 60 }, (_, i) => `uid_${i}_${'x'.repeat(60)}`)
    await client(fake.fetch, { maxUrlLength: 1000 }).getBillingKeys(all, { concurrency: 3 })
    expect(fake.calls().length).toBeGreaterThan(3)
    expect(most).toBe(3)
  })

  it('fails with the first failed request and starts no further one', async () => {
    const answer = multiLookup(() => true)
    const fake = fakeIamport((request) =>
      fake.calls().length === 2
        ? json({ code: -1, message: 'boom', response: null }, 500)
        : answer(request),
    )
    const all = Array.from({ length: 60 }, (_, i) => `uid_${i}_${'x'.repeat(60)}`)
    const error = await client(fake.fetch, { maxUrlLength: 1000 })
      .getBillingKeys(all, { concurrency: 1 })
      .catch((e) => e)
    expect(error).toBeInstanceOf(ServerError)
    expect(fake.calls()).toHaveLength(2)
  })
})
