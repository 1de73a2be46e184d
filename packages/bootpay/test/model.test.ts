import { ResponseError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { type BillingKeyInfo, type SubscriptionBilling, toBillingKey } from '../src/index'
import { fixtureBody } from './helpers'

const cardByReceipt = fixtureBody<SubscriptionBilling>('getBillingKeyByReceipt-200-card')
const bankByReceipt = fixtureBody<SubscriptionBilling>('getBillingKeyByReceipt-200-bank')
const bankByKey = fixtureBody<BillingKeyInfo>('getBillingKey-200-bank')
const cardByKey = fixtureBody<BillingKeyInfo>('getBillingKey-200-card')

const receiptRef = { provider: 'bootpay', receiptId: '62c7ccebcf9f6d001b3adcd4' } as const
const keyRef = { provider: 'bootpay', billingKey: '66542dfb4d18d5fc7b43e1b6' } as const
const in2025 = Date.parse('2025-01-01T00:00:00Z')

describe('toBillingKey', () => {
  it('maps a card key looked up by receipt', () => {
    expect(toBillingKey(receiptRef, cardByReceipt, in2025)).toEqual({
      provider: 'bootpay',
      ref: receiptRef,
      status: 'active',
      method: 'card',
      card: {
        issuer: 'KB국민카드',
        issuerCode: '02',
        maskedNumber: '55704204****1074',
        kind: 'credit',
      },
      bank: undefined,
      pg: { provider: '나이스페이먼츠', merchantId: null },
      sandbox: false,
      issuedAt: new Date('2022-07-08T06:21:33Z'),
      updatedAt: null,
      expiresAt: new Date('2027-12-31T14:59:59Z'),
      raw: cardByReceipt,
    })
  })

  it('maps a bank key looked up by receipt: 2099-12-31 means no expiry', () => {
    const key = toBillingKey(receiptRef, bankByReceipt, Date.parse('2200-01-01T00:00:00Z'))
    expect(key).toMatchObject({
      status: 'active',
      method: 'bank',
      card: undefined,
      bank: { name: '국민', code: '004', maskedAccount: '0000000000000000', holder: '홍길*' },
      expiresAt: null,
      issuedAt: new Date('2024-05-28T01:44:17Z'),
    })
  })

  it('maps a key looked up by key: expire_at, status 1, integer sandbox', () => {
    expect(toBillingKey(keyRef, bankByKey, in2025)).toMatchObject({
      ref: keyRef,
      status: 'active',
      method: 'bank',
      sandbox: true,
      expiresAt: null,
      issuedAt: new Date('2024-05-27T06:53:47Z'),
    })
    expect(toBillingKey(keyRef, cardByKey, in2025)).toMatchObject({
      method: 'card',
      sandbox: false,
      expiresAt: new Date('2027-12-31T14:59:59Z'),
    })
  })

  it('takes sandbox from receipt_data when a lookup by receipt carries one', () => {
    const withReceipt = {
      ...cardByReceipt,
      receipt_data: { sandbox: true },
    } as unknown as SubscriptionBilling
    expect(toBillingKey(receiptRef, withReceipt, in2025).sandbox).toBe(true)
  })

  it.each([
    ['before expiry', cardByReceipt.status, '2027-12-31T14:59:58Z', 'active'],
    ['at expiry', cardByReceipt.status, '2027-12-31T14:59:59Z', 'expired'],
    ['after expiry', cardByReceipt.status, '2030-01-01T00:00:00Z', 'expired'],
    ['status -11 (cancelled), before expiry', -11, '2025-01-01T00:00:00Z', 'deleted'],
    ['status -11 (cancelled), after expiry', -11, '2030-01-01T00:00:00Z', 'deleted'],
    ['status 41 (consent pending)', 41, '2025-01-01T00:00:00Z', 'expired'],
    ['status 0', 0, '2025-01-01T00:00:00Z', 'expired'],
  ])('status %s', (_, status, now, expected) => {
    const raw = { ...cardByReceipt, status }
    expect(toBillingKey(receiptRef, raw, Date.parse(now)).status).toBe(expected)
  })

  it('status 1 of the lookup by key is active until expiry', () => {
    expect(toBillingKey(keyRef, cardByKey, in2025).status).toBe('active')
    expect(toBillingKey(keyRef, cardByKey, Date.parse('2028-01-01T00:00:00Z')).status).toBe(
      'expired',
    )
  })

  it.each([
    ['2098-12-31T23:59:59+09:00', new Date('2098-12-31T14:59:59Z')],
    ['2099-01-01T00:00:00Z', null],
    ['2100-06-30T00:00:00+09:00', null],
  ])('expiry %s → expiresAt %s', (expiry, expected) => {
    const raw = { ...cardByReceipt, billing_expire_at: expiry }
    expect(toBillingKey(receiptRef, raw, in2025).expiresAt).toEqual(expected)
  })

  it.each([
    [0, 'credit'],
    [1, 'check'],
    [7, null],
  ])('card_type %i → kind %s', (cardType, kind) => {
    const raw = {
      ...cardByReceipt,
      billing_data: { ...cardByReceipt.billing_data, card_type: cardType },
    } as SubscriptionBilling
    expect(toBillingKey(receiptRef, raw, in2025).card?.kind).toBe(kind)
  })

  it('reports unknown billing_data as method unknown', () => {
    const raw = { ...cardByReceipt, billing_data: {} } as unknown as SubscriptionBilling
    expect(toBillingKey(receiptRef, raw, in2025)).toMatchObject({
      method: 'unknown',
      card: undefined,
      bank: undefined,
    })
  })

  it.each([
    ['published_at', { published_at: undefined }],
    ['published_at', { published_at: 'yesterday' }],
    ['billing_expire_at', { billing_expire_at: '' }],
  ])('refuses an answer without a valid %s', (field, change) => {
    const raw = { ...cardByReceipt, ...change } as unknown as SubscriptionBilling
    expect(() => toBillingKey(receiptRef, raw)).toThrow(ResponseError)
    expect(() => toBillingKey(receiptRef, raw)).toThrow(field)
  })
})
