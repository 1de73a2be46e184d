import { inspect } from 'node:util'
import { RejectedError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { createBootpayClient } from '../src'
import { bootpay, credentials, json } from './helpers'

describe('secrets a server quotes in its message text', () => {
  it('the card data sent and the private key show as [REDACTED]', async () => {
    const card = {
      pg: 'nicepay',
      order_name: '정기결제',
      subscription_id: 'sub-1',
      card_no: '9999888877776666',
      card_pw: '42',
      card_identity_no: '991231',
      card_expire_year: '31',
      card_expire_month: '07',
    }
    const { fetch } = bootpay(() =>
      json(
        {
          error_code: 'RC_CARD_INVALID',
          message: `카드번호 ${card.card_no} / ${card.card_identity_no} 확인 실패, key ${credentials.privateKey}`,
          cardNo: card.card_no,
        },
        400,
      ),
    )
    const error = await createBootpayClient({ ...credentials, fetch })
      .issueCardBillingKey(card)
      .catch((e) => e)
    expect(error).toBeInstanceOf(RejectedError)
    expect(error.message).toContain('[REDACTED]')
    const renderings = [
      error.message,
      error.stack,
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    ]
    for (const text of renderings)
      for (const value of [card.card_no, card.card_identity_no, credentials.privateKey])
        expect(text).not.toContain(value)
  })
})
