import { AbortError, type BootpayRef, ValidationError } from '@billingkey/core'
import { describe, expect, test } from 'vitest'
import { createBillingKeys } from '../src/index'
import { providers, SECRETS, sandboxProviders } from './setup'

/** The refs of the two providers these tests configure. */
type BillingKeyRef = import('@billingkey/core').IamportRef | import('@billingkey/core').BootpayRef

// One ref of every fate (see wire.ts: the sandbox has no status -11 key and no 500 for one id),
// one bad row, and one ref given twice.
const refs = [
  { provider: 'iamport', customerUid: 'cust-1' }, // 0 active (iamport keys carry no expiry)
  { provider: 'iamport', customerUid: 'missing-1' }, // 1 not found
  { provider: 'bootpay', receiptId: 'soon-1' }, // 2 expires in 10 days
  { provider: 'bootpay', billingKey: 'old-1' }, // 3 expired 5 days ago
  { provider: 'bootpay', billingKey: 'cancelled-1' }, // 4 status -11
  { provider: 'bootpay', billingKey: 'gone-1' }, // 5 SUBSCRIBE_BK_EXPIRED
  { provider: 'bootpay', receiptId: 'notsub-1' }, // 6 RC_NOT_SUBSCRIBE
  { provider: 'bootpay', billingKey: 'boom-1' }, // 7 HTTP 500
  { provider: 'bootpay' }, // 8 a bad row
  { provider: 'bootpay', receiptId: 'soon-1' }, // 9 the same as 2
  { provider: 'bootpay', billingKey: 'bk-1' }, // 10 active until 2029
] as BillingKeyRef[]

describe('audit', () => {
  test('puts every ref in exactly one count and lists the keys that need action, with the reason', async () => {
    const { iamport, bootpay, bootpayLog } = providers()
    const now = new Date()
    const report = await createBillingKeys({ iamport, bootpay }).audit(refs, { now })

    expect(report.total).toBe(refs.length)
    expect(report.counts).toEqual({
      active: 2,
      expiring: 2,
      expiresBeforeCharge: 0,
      expired: 2,
      deleted: 1,
      notFound: 2,
      error: 2,
    })
    expect(Object.values(report.counts).reduce((a, b) => a + b)).toBe(report.total)
    expect(report.chargeable).toBe(4)
    expect(report.checkedAt).toBe(now)
    expect(report.expiringWithinDays).toBe(30)

    expect(report.needsAction.map(({ indexes, reason }) => [indexes, reason])).toEqual([
      [[1], 'not_found'],
      [[2, 9], 'expiring'],
      [[3], 'expired'],
      [[4], 'deleted'],
      [[5], 'expired'],
      [[6], 'not_found'],
      [[7], 'error'],
      [[8], 'error'],
    ])
    // The duplicate was looked up once.
    expect(bootpayLog.requests.filter((r) => r.endsWith('/soon-1'))).toHaveLength(1)

    const [missing, expiring, old, cancelled, gone, notSubscribe, failed, bad] = report.needsAction
    expect(missing).toMatchObject({ ref: refs[1], error: { name: 'NotFoundError' } })
    expect(expiring?.ref).toBe(refs[2])
    expect(expiring?.key?.status).toBe('active')
    const expiryDay = expiring?.key?.expiresAt?.toISOString().slice(0, 10)
    expect(expiring?.message).toMatch(new RegExp(`^the key expires on ${expiryDay}, in \\d+ days$`))
    expect(old).toMatchObject({ key: { status: 'expired' }, message: /^the key expired on / })
    expect(cancelled).toMatchObject({ key: { status: 'deleted' }, message: 'the key was deleted' })
    expect(gone).toMatchObject({
      error: { name: 'BillingKeyExpiredError', code: 'SUBSCRIBE_BK_EXPIRED' },
      message: /^deleted or expired at the provider: /,
    })
    expect(gone?.key).toBeUndefined()
    expect(notSubscribe).toMatchObject({
      ref: refs[6],
      error: { name: 'NotBillingKeyReceiptError', code: 'RC_NOT_SUBSCRIBE' },
    })
    expect(failed).toMatchObject({ message: /^ServerError: .*500/ })
    expect(bad).toMatchObject({ ref: refs[8], message: /^ValidationError: / })
    expect(bad?.error).toBeInstanceOf(ValidationError)

    const text = JSON.stringify(report)
    for (const secret of SECRETS) expect(text).not.toContain(secret)
    expect(text).not.toMatch(/access-token/)
  })

  test('expiringWithinDays sets the window', async () => {
    const { bootpay } = providers()
    const keys = createBillingKeys({ bootpay })
    const soon = [{ provider: 'bootpay', receiptId: 'soon-1' }] as const
    expect((await keys.audit([...soon], { expiringWithinDays: 5 })).counts.active).toBe(1)
    expect((await keys.audit([...soon], { expiringWithinDays: 11 })).counts.expiring).toBe(1)
  })

  test('judges expiry at `now`: a key active today has expired by a date past its expiresAt', async () => {
    const { iamport, bootpay } = providers()
    const report = await createBillingKeys({ iamport, bootpay }).audit(
      [
        { provider: 'bootpay', billingKey: 'bk-1' },
        { provider: 'iamport', customerUid: 'cust-1' },
      ],
      { now: new Date('2031-01-01T00:00:00Z') },
    )
    expect(report.counts).toMatchObject({ expired: 1, active: 1 })
    expect(report.needsAction).toMatchObject([
      { indexes: [0], reason: 'expired', message: 'the key expired on 2029-12-31' },
    ])
  })

  test('reports progress like lookupMany', async () => {
    const { iamport, bootpay } = providers()
    const events: number[] = []
    await createBillingKeys({ iamport, bootpay }).audit(refs, {
      onProgress: ({ done }) => events.push(done),
    })
    expect(events[0]).toBe(1) // the bad row settles at once
    expect(events.at(-1)).toBe(refs.length)
    expect(events.every((done, i) => i === 0 || done >= (events[i - 1] as number))).toBe(true)
  })

  test('an empty list is an empty report', async () => {
    const { iamport } = sandboxProviders()
    const report = await createBillingKeys({ iamport }).audit([])
    expect(report).toMatchObject({ total: 0, chargeable: 0, needsAction: [] })
    expect(Object.values(report.counts)).toEqual([0, 0, 0, 0, 0, 0, 0])
  })

  test('an abort rejects with AbortError', async () => {
    const { bootpay } = providers()
    const run = createBillingKeys({ bootpay }).audit(refs.slice(2, 8) as BootpayRef[], {
      signal: AbortSignal.abort(),
    })
    await expect(run).rejects.toThrow(AbortError)
  })

  test.each<[string, object, string]>([
    ['an invalid now', { now: new Date('not a date') }, 'now'],
    ['now as a string', { now: '2026-01-01' }, 'now'],
    ['a negative window', { expiringWithinDays: -1 }, 'expiringWithinDays'],
    ['an infinite window', { expiringWithinDays: Number.POSITIVE_INFINITY }, 'expiringWithinDays'],
    ['a window as a string', { expiringWithinDays: '30' }, 'expiringWithinDays'],
  ])('%s is a ValidationError before any request', async (_, options, field) => {
    const { iamport, iamportLog } = sandboxProviders()
    const run = createBillingKeys({ iamport }).audit(
      [{ provider: 'iamport', customerUid: 'c-1' }],
      options as never,
    )
    await expect(run).rejects.toThrow(ValidationError)
    await expect(run).rejects.toMatchObject({ field })
    expect(iamportLog.requests).toEqual([])
  })
})
