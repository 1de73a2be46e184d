import { describe, expect, it } from 'vitest'
import {
  DATA_SET_SIZE,
  DEFAULT_SEED,
  dataSetCounts,
  type SampleRef,
  sampleRefs,
} from '../src/index'
import { createDataSet } from '../src/seed'
import { basicAuth, call, DAY, iamportToken, START, useSandbox } from './helpers'

const small = {
  iamport: { active: 2, deleted: 1, unknown: 1 },
  bootpay: { active: 2, expired: 1, deleted: 1, unknown: 1, notBilling: 1 },
}

describe('sampleRefs', () => {
  it('gives the same refs for a seed on every machine and version (example files depend on it)', () => {
    const refs = sampleRefs({ seed: DEFAULT_SEED, counts: small })
    const byCategory = (provider: string, category: string) =>
      refs.filter((r) => r.ref.provider === provider && r.category === category).map((r) => r.ref)
    expect(byCategory('iamport', 'active')).toEqual([
      { provider: 'iamport', customerUid: 'user243386_card1' },
      { provider: 'iamport', customerUid: 'member-18615-8301' },
    ])
    expect(byCategory('iamport', 'deleted')).toEqual([
      { provider: 'iamport', customerUid: 'user192377_card3' },
    ])
    expect(byCategory('iamport', 'unknown')).toEqual([
      { provider: 'iamport', customerUid: '8b901f09-be9d-48b5-8af8-ec2dec541014' },
    ])
    expect(byCategory('bootpay', 'active')).toEqual([
      { provider: 'bootpay', receiptId: 'ef9e30df5f9e89ce3e6d4bf0' },
      { provider: 'bootpay', billingKey: '38942481395d88b3390ff289' },
    ])
    expect(byCategory('bootpay', 'expired')).toEqual([
      { provider: 'bootpay', receiptId: '8032a0ad19fce2a007c41918' },
    ])
    expect(byCategory('bootpay', 'deleted')).toEqual([
      { provider: 'bootpay', billingKey: '659f52826995f5c2f0fadedb' },
    ])
    expect(byCategory('bootpay', 'unknown')).toEqual([
      { provider: 'bootpay', billingKey: '4df8d088c4cbe145f0eb3245' },
    ])
    expect(byCategory('bootpay', 'notBilling')).toEqual([
      { provider: 'bootpay', receiptId: '3773034f6320d11c309ea41f' },
    ])
    // Expiring keys came later, from an id stream of their own: no ref above changed with them.
    expect(sampleRefs({ seed: DEFAULT_SEED, counts: { bootpay: { expiring: 2 } } })).toEqual([
      {
        category: 'expiring',
        ref: { provider: 'bootpay', billingKey: 'be122cb4aa006557f4514a9c' },
      },
      {
        category: 'expiring',
        ref: { provider: 'bootpay', billingKey: '6a9ddb01df54abe2cc4d3f49' },
      },
    ])
  })

  it('is the same list for the same arguments, and another for another seed', () => {
    expect(sampleRefs({ seed: 7, counts: small })).toEqual(sampleRefs({ seed: 7, counts: small }))
    const ids = (refs: SampleRef[]) => refs.map((r) => JSON.stringify(r.ref)).sort()
    expect(ids(sampleRefs({ seed: 8, counts: small }))).not.toEqual(
      ids(sampleRefs({ seed: 7, counts: small })),
    )
  })

  it('gives the counts asked for, without duplicates; more of a category keeps the fewer', () => {
    const counts = {
      iamport: { active: 30, deleted: 10, unknown: 10 },
      bootpay: { active: 30, expiring: 10, expired: 10, deleted: 10, unknown: 10, notBilling: 10 },
    }
    const refs = sampleRefs({ counts })
    expect(refs).toHaveLength(130)
    expect(new Set(refs.map((r) => JSON.stringify(r.ref))).size).toBe(130)
    for (const provider of ['iamport', 'bootpay'] as const) {
      for (const [category, count] of Object.entries(counts[provider])) {
        expect(
          refs.filter((r) => r.ref.provider === provider && r.category === category),
        ).toHaveLength(count)
      }
    }
    const fewer = sampleRefs({ counts: small }).map((r) => JSON.stringify(r.ref))
    const more = new Set(refs.map((r) => JSON.stringify(r.ref)))
    expect(fewer.filter((ref) => !more.has(ref))).toEqual([])
  })

  it('defaults to a small realistic mix', () => {
    const categories = new Set(sampleRefs().map((r) => `${r.ref.provider} ${r.category}`))
    expect([...categories].sort()).toEqual([
      'bootpay active',
      'bootpay deleted',
      'bootpay expired',
      'bootpay expiring',
      'bootpay notBilling',
      'bootpay unknown',
      'iamport active',
      'iamport deleted',
      'iamport unknown',
    ])
  })

  it('gives every key of the data set for dataSetCounts(seed), and not one more', () => {
    for (const seed of [DEFAULT_SEED, 17]) {
      const counts = dataSetCounts(seed)
      const { iamport, bootpay, portone } = counts
      expect(iamport.active + iamport.deleted).toBe(DATA_SET_SIZE.iamport)
      expect(portone.active + portone.deleted).toBe(DATA_SET_SIZE.portone)
      expect(portone.deleted).toBeGreaterThan(0)
      expect(bootpay.active + bootpay.expiring + bootpay.expired + bootpay.deleted).toBe(
        DATA_SET_SIZE.bootpay,
      )
      expect(bootpay.notBilling).toBeGreaterThan(0)
      const refs = sampleRefs({ seed, counts })
      expect(new Set(refs.map((r) => JSON.stringify(r.ref))).size).toBe(
        DATA_SET_SIZE.iamport + DATA_SET_SIZE.bootpay + DATA_SET_SIZE.portone + bootpay.notBilling,
      )
      expect(() =>
        sampleRefs({ seed, counts: { iamport: { active: iamport.active + 1 } } }),
      ).toThrow(RangeError)
      expect(() =>
        sampleRefs({ seed, counts: { bootpay: { notBilling: bootpay.notBilling + 1 } } }),
      ).toThrow(RangeError)
      expect(() =>
        sampleRefs({ seed, counts: { portone: { deleted: portone.deleted + 1 } } }),
      ).toThrow(RangeError)
    }
  })

  it('refuses more refs of a category than the data set holds', () => {
    expect(() => sampleRefs({ counts: { bootpay: { expired: DATA_SET_SIZE.bootpay } } })).toThrow(
      RangeError,
    )
  })
})

describe('the data set', () => {
  const data = createDataSet(DEFAULT_SEED, START)

  it('holds a few thousand keys per provider with a realistic mix', () => {
    expect(data.iamport).toHaveLength(DATA_SET_SIZE.iamport)
    expect(data.bootpay.keys).toHaveLength(DATA_SET_SIZE.bootpay)
    const share = (count: number, of: number) => count / of
    expect(share(data.iamport.filter((k) => k.deleted).length, data.iamport.length)).toBeCloseTo(
      0.1,
      1,
    )
    const bootpayShare = (category: string) =>
      share(
        data.bootpay.keys.filter((k) => k.category === category).length,
        data.bootpay.keys.length,
      )
    expect(bootpayShare('expired')).toBeCloseTo(0.12, 1)
    expect(bootpayShare('deleted')).toBeCloseTo(0.12, 1)
    expect(bootpayShare('expiring')).toBeGreaterThan(0.01)
    expect(bootpayShare('expiring')).toBeLessThan(0.05)
    expect(data.bootpay.keys.some((k) => k.key.method === 'bank')).toBe(true)
    expect(data.bootpay.paymentReceipts.length).toBeGreaterThan(0)
  })

  it('spreads iamport keys over several PGs, with paypal_v2 card-less keys and super billing keys', () => {
    const pgs = new Set(
      data.iamport.flatMap((k) => ('pg_provider' in k.key ? [k.key.pg_provider] : [])),
    )
    expect(pgs.size).toBeGreaterThanOrEqual(8)
    const paypal = data.iamport.filter(
      (k) => 'pg_provider' in k.key && k.key.pg_provider === 'paypal_v2',
    )
    expect(paypal.length).toBeGreaterThan(0)
    expect(paypal.every((k) => 'card_number' in k.key && k.key.card_number === null)).toBe(true)
    expect(data.iamport.filter((k) => 'channelGroupId' in k.key).length).toBeGreaterThan(20)
  })

  it('has unique uids within the contract limit, and unique Bootpay ids', () => {
    const uids = data.iamport.map((k) => k.key.customer_uid)
    expect(new Set(uids).size).toBe(uids.length)
    expect(uids.every((uid) => uid.length <= 80)).toBe(true)
    const ids = data.bootpay.keys.flatMap((k) => [k.receiptId, k.billingKey])
    expect(new Set([...ids, ...data.bootpay.paymentReceipts]).size).toBe(
      ids.length + data.bootpay.paymentReceipts.length,
    )
  })

  it('places times relative to the clock: expired keys expired before it, others after', () => {
    for (const { category, key } of data.bootpay.keys) {
      expect(key.publishedAt).toBeLessThan(START)
      if (category === 'expired') expect(key.expireAt).toBeLessThan(START)
      else expect(key.expireAt).toBeGreaterThan(START)
    }
  })

  it('has card keys expiring within 30 days of the clock, and no other key expiring that soon', () => {
    const days = (key: { expireAt: number }) => (key.expireAt - START) / DAY
    const expiring = data.bootpay.keys.filter((k) => k.category === 'expiring').map((k) => k.key)
    expect(expiring.length).toBeGreaterThan(0)
    for (const key of expiring) {
      expect(key.method).toBe('card')
      expect(days(key)).toBeGreaterThan(2)
      expect(days(key)).toBeLessThan(28)
    }
    const active = data.bootpay.keys.filter((k) => k.category === 'active').map((k) => k.key)
    expect(Math.min(...active.map(days))).toBeGreaterThan(30)
  })

  it('makes the same keys whatever order they are read in, and keeps each one made', () => {
    const other = createDataSet(DEFAULT_SEED, START)
    const reversed = [...other.iamport].reverse().map((k) => [k.key, k.plan])
    expect(reversed.reverse()).toEqual(data.iamport.map((k) => [k.key, k.plan]))
    expect([...other.bootpay.keys].reverse().map((k) => k.key)).toEqual(
      [...data.bootpay.keys].reverse().map((k) => k.key),
    )
    for (const k of data.bootpay.keys.slice(0, 50)) {
      expect(k.key).toBe(k.key)
      expect([k.key.receipt_id, k.key.billing_key]).toEqual([k.receiptId, k.billingKey])
    }
    expect(data.iamport.every((k) => k.key.customer_uid === k.uid)).toBe(true)
  })
})

describe('every sample category answers as documented', () => {
  const context = useSandbox()
  const refs = sampleRefs({
    counts: {
      iamport: { active: 8, deleted: 4, unknown: 4 },
      bootpay: { active: 8, expiring: 4, expired: 4, deleted: 4, unknown: 4, notBilling: 4 },
    },
  })

  it.each(refs)('$category $ref', async ({ category, ref }) => {
    if (ref.provider === 'iamport') {
      const token = await iamportToken(context.sandbox)
      const answer = await call(
        `${context.sandbox.iamport.baseUrl}/subscribe/customers/${ref.customerUid}`,
        {
          headers: { authorization: token },
        },
      )
      expect(answer.status).toBe(category === 'active' ? 200 : 404)
      return
    }
    const path =
      'receiptId' in ref
        ? `/v2/subscribe/billing_key/${ref.receiptId}`
        : `/v2/billing_key/${ref.billingKey}`
    const answer = await call(`${context.sandbox.bootpay.baseUrl}${path}`, {
      headers: { authorization: basicAuth },
    })
    const expected = {
      active: { status: 200 },
      expiring: { status: 200 },
      expired: { status: 200 },
      deleted: { error_code: 'SUBSCRIBE_BK_EXPIRED' },
      unknown: { error_code: 'RC_NOT_FOUND' },
      notBilling: { error_code: 'RC_NOT_SUBSCRIBE' },
    }[category]
    if ('status' in expected) {
      expect(answer.status).toBe(200)
      const expiry = Date.parse(answer.body.billing_expire_at ?? answer.body.expire_at)
      if (category === 'expired') expect(expiry).toBeLessThan(START)
      else expect(expiry).toBeGreaterThan(START)
      if (category === 'expiring') expect(expiry).toBeLessThan(START + 30 * DAY)
      if (category === 'active') expect(expiry).toBeGreaterThan(START + 30 * DAY)
    } else {
      expect(answer.body.error_code).toBe(expected.error_code)
    }
  })
})
