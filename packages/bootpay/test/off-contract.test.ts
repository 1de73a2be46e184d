import { describe, expect, it } from 'vitest'
import { createBootpayClient, NotBillingKeyReceiptError, ResponseError } from '../src'
import { bootpay, credentials, json } from './helpers'

// Issue 16 item 3: any JSON object or array used to come back as a key.
describe('a 2xx body the client cannot honestly map is a ResponseError', () => {
  const bodies: [string, unknown][] = [
    ['{}', {}],
    ['[]', []],
    ['[null]', [null]],
    ['{ "unexpected": true }', { unexpected: true }],
  ]
  const operations = [
    'getBillingKeyByReceipt',
    'getBillingKey',
    'deleteBillingKey',
    'publishBankBillingKey',
  ] as const
  for (const operation of operations) {
    it.each(bodies)(`${operation}: %s`, async (_, body) => {
      const { fetch } = bootpay(() => json(body))
      const error = await createBootpayClient({ ...credentials, fetch })
        [operation]('66b2a7c4e1c5f0e0a0a0a0a0')
        .catch((e) => e)
      expect(error).toBeInstanceOf(ResponseError)
      expect(error).toMatchObject({ provider: 'bootpay', operation })
      expect(error.message).toMatch(
        new RegExp(`^bootpay ${operation} failed: the answer's payload `),
      )
    })
  }
})

describe('one English wording per reason', () => {
  it("RC_NOT_FOUND reads as iamport's unknown uid does, with the code and message after it", async () => {
    const { fetch } = bootpay(() =>
      json({ error_code: 'RC_NOT_FOUND', message: '정보를 찾을 수 없습니다.' }, 404),
    )
    const error = await createBootpayClient({ ...credentials, fetch })
      .getBillingKey('k1')
      .catch((e) => e)
    expect(error.message).toBe(
      'bootpay getBillingKey failed: no billing key was found (HTTP 404, code RC_NOT_FOUND, message: 정보를 찾을 수 없습니다.)',
    )
  })

  it('RC_NOT_SUBSCRIBE is explained in English', async () => {
    const { fetch } = bootpay(() =>
      json({ error_code: 'RC_NOT_SUBSCRIBE', message: '정기결제 영수증이 아닙니다' }, 400),
    )
    const error = await createBootpayClient({ ...credentials, fetch })
      .getBillingKeyByReceipt('r1')
      .catch((e) => e)
    expect(error).toBeInstanceOf(NotBillingKeyReceiptError)
    expect(error.message).toMatch(
      /^bootpay getBillingKeyByReceipt failed: the receipt did not issue a billing key \(HTTP 400, code RC_NOT_SUBSCRIBE/,
    )
  })
})
