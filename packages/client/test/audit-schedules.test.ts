// keys.audit flags a chargeable key that expires before a charge scheduled with it. Only a
// provider that reports an expiry AND lists a key's schedules can raise the flag: today none does
// (iamport and PortOne list schedules but report no expiry; Bootpay reports one but lists no
// reservations). So the facade's part runs on the real Bootpay adapter (its keys carry
// `expire_at`) given a schedule lookup, as a provider with both would have; the iamport and
// PortOne lookups are checked on their own wire.
import { readFileSync } from 'node:fs'
import { createBootpayAdapter, createBootpayClient } from '@billingkey/bootpay'
import { createIamportAdapter, createIamportClient } from '@billingkey/iamport'
import { createPortoneAdapter, createPortoneClient } from '@billingkey/portone'
import { describe, expect, test } from 'vitest'
import { json, recordingFetch } from '../../core/test/fetch'
import { type BootpayRef, createBillingKeys } from '../src/index'
import { SEEDED, sandboxProviders } from './setup'

const DAY_MS = 86_400_000
// The Bootpay model judges a key's status by the clock, so the audit's `now` is the clock's.
const now = new Date()
const days = (n: number) => new Date(now.getTime() + n * DAY_MS)

const cardKey = JSON.parse(
  readFileSync(
    new URL('../../../specs/bootpay/fixtures/getBillingKey-200-card.json', import.meta.url),
    'utf8',
  ),
).response.body

/** Bootpay keys by name: `k60` expires in 60 days, `k-5` expired 5 days ago. */
function bootpayWithSchedules(schedules: Record<string, Date | Error>) {
  const fetch = recordingFetch((sent) => {
    const billingKey = decodeURIComponent(sent.url.pathname.split('/').pop() ?? '')
    const expiresIn = Number(billingKey.slice(1))
    return json({ ...cardKey, billing_key: billingKey, expire_at: days(expiresIn).toISOString() })
  })
  const client = createBootpayClient({ clientKey: 'ck', secretKey: 'sk', fetch, maxRetries: 0 })
  const asked: { billingKey: string; from: Date }[] = []
  const adapter = {
    ...createBootpayAdapter(client),
    async scheduledChargeAfter(ref: BootpayRef, from: Date) {
      const billingKey = 'billingKey' in ref ? ref.billingKey : ref.receiptId
      asked.push({ billingKey, from })
      const found = schedules[billingKey]
      if (found instanceof Error) throw found
      return found ?? null
    },
  }
  return { keys: createBillingKeys({ bootpay: adapter }), asked }
}

const ref = (billingKey: string) => ({ provider: 'bootpay' as const, billingKey })

describe('keys.audit: a key that expires before its next scheduled charge', () => {
  test('is flagged with the charge’s date, counted as chargeable, one lookup per key', async () => {
    const { keys, asked } = bootpayWithSchedules({ k60: days(70), k90: days(95) })
    const refs = [ref('k60'), ref('k90'), ref('k45'), ref('k-5'), ref('k10'), ref('k60')]
    const report = await keys.audit(refs, { now })
    expect(report.counts).toEqual({
      active: 1, // k45: nothing scheduled after its expiry
      expiring: 1, // k10: expires within 30 days, nothing scheduled after
      expiresBeforeCharge: 3, // k60 (twice) and k90
      expired: 1,
      deleted: 0,
      notFound: 0,
      error: 0,
    })
    expect(report.chargeable).toBe(5)
    const [k60, k90] = report.needsAction
    expect(k60).toMatchObject({
      ref: ref('k60'),
      indexes: [0, 5],
      reason: 'expires_before_charge',
      scheduledAt: days(70),
      message: `the key expires on ${days(60).toISOString().slice(0, 10)}, before the charge scheduled for ${days(70).toISOString().slice(0, 10)}`,
    })
    expect(k60?.key?.expiresAt).toEqual(days(60))
    expect(k90).toMatchObject({ reason: 'expires_before_charge', scheduledAt: days(95) })
    // Asked once per distinct chargeable key with an expiry, from that expiry; never for k-5.
    expect(asked.map((a) => a.billingKey).sort()).toEqual(['k10', 'k45', 'k60', 'k90'])
    expect(asked.find((a) => a.billingKey === 'k60')?.from).toEqual(days(60))
  })

  test('a failed schedule lookup is that key’s error, with the key', async () => {
    const { keys } = bootpayWithSchedules({ k60: new Error('schedules unavailable') })
    const report = await keys.audit([ref('k60')], { now })
    expect(report.counts.error).toBe(1)
    expect(report.needsAction[0]).toMatchObject({
      reason: 'error',
      message: expect.stringContaining('its schedules could not be listed'),
      key: { ref: ref('k60') },
      error: { operation: 'scheduledChargeAfter' },
    })
  })

  test('schedules: false makes no schedule lookup', async () => {
    const { keys, asked } = bootpayWithSchedules({ k60: days(70) })
    const report = await keys.audit([ref('k60')], { now, schedules: false })
    expect(report.counts.active).toBe(1)
    expect(asked).toEqual([])
  })

  test('keys without an expiry (iamport) cost no extra request', async () => {
    const { iamport, iamportLog } = sandboxProviders()
    const report = await createBillingKeys({ iamport }).audit([
      { provider: 'iamport', customerUid: SEEDED.customerUid },
    ])
    expect(report.counts.active).toBe(1)
    expect(iamportLog.requests.filter((r) => r.includes('/schedules'))).toEqual([])
  })
})

describe('the adapters’ schedule lookups: one request each', () => {
  test('iamport: the key’s scheduled charges from `from`, 90 days on; the earliest', async () => {
    const schedule = (at: number) => ({
      customer_uid: 'c1',
      merchant_uid: `m${at}`,
      schedule_at: at,
    })
    const lists = [[schedule(1_790_000_000), schedule(1_780_000_000)], []]
    const fetch = recordingFetch((sent) =>
      sent.url.pathname === '/users/getToken'
        ? json({
            code: 0,
            message: null,
            response: { access_token: 't', now: 1, expired_at: 1e10 },
          })
        : json({ code: 0, message: null, response: lists.shift() }),
    )
    const adapter = createIamportAdapter(
      createIamportClient({ apiKey: 'k', apiSecret: 's', fetch, maxRetries: 0 }),
    )
    const from = new Date(1_779_000_000_000)
    const first = await adapter.scheduledChargeAfter?.(
      { provider: 'iamport', customerUid: 'c1' },
      from,
    )
    expect(first).toEqual(new Date(1_780_000_000_000))
    const none = await adapter.scheduledChargeAfter?.(
      { provider: 'iamport', customerUid: 'c1' },
      from,
    )
    expect(none).toBeNull()
    const lookups = fetch.calls.filter((c) => c.url.pathname.endsWith('/schedules'))
    expect(lookups).toHaveLength(2)
    const query = lookups[0]?.url.searchParams
    expect(lookups[0]?.url.pathname).toBe('/subscribe/customers/c1/schedules')
    expect(query?.get('from')).toBe('1779000000')
    expect(query?.get('to')).toBe(String(1_779_000_000 + 90 * 86_400))
    expect(query?.get('schedule-status')).toBe('scheduled')
  })

  test('PortOne: the key’s SCHEDULED schedules from `from`, soonest first, one of them', async () => {
    const page = (timeToPay?: string) => ({
      items: timeToPay ? [{ id: 's1', status: 'SCHEDULED', timeToPay }] : [],
      page: { number: 0, size: 1, totalCount: timeToPay ? 3 : 0 },
    })
    const pages = [page('2026-08-01T00:00:00Z'), page()]
    const fetch = recordingFetch(() => json(pages.shift()))
    const adapter = createPortoneAdapter(
      createPortoneClient({ apiSecret: 's', fetch, maxRetries: 0 }),
    )
    const key = { provider: 'portone', billingKey: 'bk-1' } as const
    expect(await adapter.scheduledChargeAfter?.(key, now)).toEqual(new Date('2026-08-01T00:00:00Z'))
    expect(await adapter.scheduledChargeAfter?.(key, now)).toBeNull()
    expect(fetch.calls).toHaveLength(2)
    expect(fetch.calls[0]?.url.pathname).toBe('/payment-schedules')
    expect(JSON.parse(fetch.calls[0]?.url.searchParams.get('requestBody') ?? '')).toEqual({
      page: { number: 0, size: 1 },
      sort: { by: 'TIME_TO_PAY', order: 'ASC' },
      filter: {
        billingKey: 'bk-1',
        status: ['SCHEDULED'],
        from: now.toISOString(),
        until: days(90).toISOString(),
      },
    })
  })
})
