import { inspect } from 'node:util'
import { RejectedError, ResponseError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { client, customer, fakeIamport, json, ok } from './helpers'

const renderings = (error: Error) => [
  error.message,
  error.stack ?? '',
  String(error),
  JSON.stringify(error),
  inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
]

describe('a token answer the client cannot use', () => {
  it.each([
    ['without access_token', { now: 1, expired_at: 1801 }],
    ['with response: null', null],
    ['with a token that breaks a header', { access_token: 'tok\nx: 1', now: 1, expired_at: 1801 }],
  ])('%s is a ResponseError, and no call goes out', async (_, token) => {
    const fake = fakeIamport(() => ok(customer('c1')), { token: token as never })
    const error = await client(fake.fetch)
      .getBillingKey('c1')
      .catch((e) => e)
    expect(error).toBeInstanceOf(ResponseError)
    expect(error).toMatchObject({ provider: 'iamport' })
    for (const text of renderings(error)) expect(text).not.toContain('tok\n')
    expect(fake.calls()).toHaveLength(0)
  })

  it('without expired_at is kept, not asked for again on every call', async () => {
    const fake = fakeIamport(() => ok(customer('c1')), { token: { access_token: 'tok' } as never })
    const iamport = client(fake.fetch)
    await iamport.getBillingKey('c1')
    await iamport.getBillingKey('c1')
    expect(fake.tokenCalls()).toHaveLength(1)
    expect(fake.calls().map((r) => r.headers.get('authorization'))).toEqual([
      'Bearer tok',
      'Bearer tok',
    ])
  })
})

describe('secrets a server quotes in its message text', () => {
  it('the card data sent and the API secret show as [REDACTED]', async () => {
    const card = { card_number: '4111222233334444', expiry: '2031-07', birth: '900101' }
    const fake = fakeIamport(() =>
      json({
        code: -1,
        message: `카드번호 ${card.card_number}, 생년월일 ${card.birth}: 인증 실패 (key secret-value-9)`,
        response: null,
      }),
    )
    const error = await client(fake.fetch, { apiSecret: 'secret-value-9' })
      .issueBillingKey('c1', card)
      .catch((e) => e)
    expect(error).toBeInstanceOf(RejectedError)
    expect(error.message).toContain('[REDACTED]')
    for (const text of renderings(error))
      for (const value of [card.card_number, card.birth, 'secret-value-9'])
        expect(text).not.toContain(value)
  })
})
