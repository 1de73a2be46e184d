import { loadSpec } from '@billingkey/contract'
import {
  AbortError,
  type IamportRef,
  NotFoundError,
  ServerError,
  ValidationError,
} from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import {
  type BillingKeyAnnotation,
  type CustomerAnnotation,
  createIamportAdapter,
  toBillingKey,
} from '../src'
import {
  client,
  customer,
  fakeIamport,
  fixture,
  json,
  multiLookup,
  ok,
  requestedUids,
} from './helpers'

const body = (name: string) =>
  (fixture(name).response.body as { response: BillingKeyAnnotation }).response
const ref = (customerUid: string): IamportRef => ({ provider: 'iamport', customerUid })

describe('toBillingKey', () => {
  it('maps an ordinary card key', () => {
    const raw = body('getBillingKey-200')
    expect(toBillingKey(raw)).toEqual({
      provider: 'iamport',
      ref: { provider: 'iamport', customerUid: 'customer_1234' },
      status: 'active',
      method: 'card',
      card: {
        issuer: '신한카드',
        issuerCode: '366',
        maskedNumber: '53611600****1234',
        kind: 'credit',
      },
      customer: {
        name: '홍길동',
        phone: '01012345678',
        email: 'gildong@example.com',
        address: null,
        postcode: null,
      },
      pg: { provider: 'nice', merchantId: 'nictest04m' },
      sandbox: true,
      issuedAt: new Date('2020-10-23T01:52:36Z'),
      updatedAt: new Date('2020-10-23T01:52:36Z'),
      expiresAt: null,
      raw,
    })
  })

  it.each([
    [0, 'credit'],
    [1, 'check'],
    [null, null],
  ] as const)('maps card_type %j to kind %j', (card_type, kind) => {
    const key = toBillingKey(customer('a', { card_type }) as BillingKeyAnnotation)
    expect(key.method).toBe('card')
    expect(key.card?.kind).toBe(kind)
  })

  it('reads card fields the Swagger does not require, when left out, as null', () => {
    const { card_code, card_number, card_type, ...raw } = body(
      'getBillingKey-200',
    ) as CustomerAnnotation
    expect(
      loadSpec('iamport').validateResponse('getBillingKey', 200, {
        code: 0,
        message: null,
        response: raw,
      }).errors,
    ).toEqual([])
    expect(toBillingKey(raw as BillingKeyAnnotation).card).toEqual({
      issuer: '신한카드',
      issuerCode: null,
      maskedNumber: null,
      kind: null,
    })
  })

  it('has no card and an unknown method when the PG exposes no card data (paypal_v2)', () => {
    const key = toBillingKey(body('getBillingKey-200-no-card-data'))
    expect(key.method).toBe('unknown')
    expect(key.card).toBeUndefined()
    expect(key.pg).toEqual({ provider: 'paypal_v2', merchantId: '<paypal merchant id>' })
  })

  it('describes a super billing key by its first channel that issued a key', () => {
    const raw = body('getBillingKey-200-super-billing-key')
    const key = toBillingKey(raw)
    expect(key).toMatchObject({
      ref: { provider: 'iamport', customerUid: 'customer_5678' },
      status: 'active',
      method: 'card',
      card: { issuer: '신한카드', issuerCode: '366', kind: 'credit' },
      pg: { provider: 'nice', merchantId: 'nictest04m' },
      sandbox: false,
      issuedAt: new Date(1_603_417_956_000),
    })
    expect(key.raw).toBe(raw)
  })

  it('refuses a super billing key without any channel that issued one', () => {
    const raw = { ...body('getBillingKey-200-super-billing-key'), succeededChannels: [] }
    expect(() => toBillingKey(raw)).toThrow(expect.objectContaining({ name: 'ResponseError' }))
  })
})

describe('createIamportAdapter (the adapter the facade takes)', () => {
  it('lookup maps one key, and reports an unknown uid as NotFoundError', async () => {
    const fake = fakeIamport((request) =>
      request.url.endsWith('/known')
        ? ok(customer('known'))
        : json({ code: 1, message: '…로 등록된 정보를 찾을 수 없습니다.', response: null }, 200),
    )
    const billingKeys = createIamportAdapter(client(fake.fetch))
    expect(billingKeys.provider).toBe('iamport')
    await expect(billingKeys.lookup(ref('known'))).resolves.toMatchObject({
      ref: ref('known'),
      status: 'active',
    })
    await expect(billingKeys.lookup(ref('unknown'))).rejects.toBeInstanceOf(NotFoundError)
  })

  it('lookupMany batches through the multi lookup: one result per ref, in order', async () => {
    const fake = fakeIamport(multiLookup((uid) => uid !== 'gone'))
    const results = await createIamportAdapter(client(fake.fetch)).lookupMany(
      ['a', 'gone', 'b'].map(ref),
    )
    expect(fake.calls()).toHaveLength(1)
    expect(requestedUids(fake.calls()[0] as Request)).toEqual(['a', 'gone', 'b'])
    expect(results.map((r) => [r.ref.customerUid, r.ok])).toEqual([
      ['a', true],
      ['gone', false],
      ['b', true],
    ])
    const [first, gone] = results
    expect(first?.ok && first.key.pg.provider).toBe('nice')
    expect(gone?.ok === false && gone.error).toBeInstanceOf(NotFoundError)
  })

  it('lookupMany gives a bad ref its ValidationError and still looks the others up', async () => {
    const fake = fakeIamport(multiLookup(() => true))
    const results = await createIamportAdapter(client(fake.fetch)).lookupMany([
      ref('a'),
      ref('b\nc'),
      ref('d'),
    ])
    expect(requestedUids(fake.calls()[0] as Request)).toEqual(['a', 'd'])
    expect(results.map((r) => r.ok)).toEqual([true, false, true])
    expect(!results[1]?.ok && results[1]?.error).toBeInstanceOf(ValidationError)
  })

  it('lookupMany turns a failed request into an error for each of its refs only', async () => {
    const answer = multiLookup(() => true)
    const fake = fakeIamport((request) =>
      requestedUids(request).includes(`uid_0_${'x'.repeat(60)}`)
        ? json({ code: -1, message: 'boom', response: null }, 500)
        : answer(request),
    )
    const refs = Array.from({ length: 40 }, (_, i) => ref(`uid_${i}_${'x'.repeat(60)}`))
    const settled: number[] = []
    const results = await createIamportAdapter(
      client(fake.fetch, { maxUrlLength: 1000 }),
    ).lookupMany(refs, {
      concurrency: 2,
      onSettled: (count) => settled.push(count),
    })
    const failed = requestedUids(fake.calls().find((r) => r.url.includes('uid_0_')) as Request)
    expect(fake.calls().length).toBeGreaterThan(2)
    for (const result of results) {
      if (failed.includes(result.ref.customerUid)) {
        expect(!result.ok && result.error).toBeInstanceOf(ServerError)
      } else {
        expect(result.ok).toBe(true)
      }
    }
    expect(results.map((r) => r.ref)).toEqual(refs)
    expect(settled.reduce((a, b) => a + b)).toBe(refs.length)
    expect(settled).toHaveLength(fake.calls().length)
  })

  it('lookupMany gives a uid with a lone surrogate its ValidationError, not the whole batch', async () => {
    const fake = fakeIamport(multiLookup(() => true))
    const results = await createIamportAdapter(client(fake.fetch)).lookupMany([
      ref('a'),
      ref('b\ud800'),
      ref('d'),
    ])
    expect(requestedUids(fake.calls()[0] as Request)).toEqual(['a', 'd'])
    expect(results.map((r) => r.ok)).toEqual([true, false, true])
    expect(!results[1]?.ok && results[1]?.error).toMatchObject({
      name: 'ValidationError',
      field: 'customerUid',
    })
  })

  it('lookupMany reports each invalid ref as settled, before any request', async () => {
    const fake = fakeIamport(multiLookup(() => true))
    const settled: number[] = []
    await createIamportAdapter(client(fake.fetch)).lookupMany(
      [ref(''), ref('a'), ref('x'.repeat(81))],
      {
        onSettled: (count) => settled.push(count),
      },
    )
    expect(settled).toEqual([1, 1, 1])
  })

  it('lookupMany rejects with AbortError on abort and starts no further request', async () => {
    const controller = new AbortController()
    const fake = fakeIamport(multiLookup(() => true))
    const refs = Array.from({ length: 40 }, (_, i) => ref(`uid_${i}_${'x'.repeat(60)}`))
    const error = await createIamportAdapter(client(fake.fetch, { maxUrlLength: 1000 }))
      .lookupMany(refs, {
        concurrency: 1,
        signal: controller.signal,
        onSettled: () => controller.abort(),
      })
      .catch((e) => e)
    expect(error).toBeInstanceOf(AbortError)
    expect(fake.calls()).toHaveLength(1)
  })

  it('an aborted signal stops a call before the request', async () => {
    const fake = fakeIamport(() => ok(customer('a')))
    const error = await client(fake.fetch)
      .getBillingKey('a', { signal: AbortSignal.abort() })
      .catch((e) => e)
    expect(error).toBeInstanceOf(AbortError)
    expect(fake.calls()).toHaveLength(0)
  })
})
