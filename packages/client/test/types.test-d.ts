import {
  type BillingKeyInfo,
  type BootpayBillingKey,
  type BootpayBillingKeyAdapter,
  createBootpayAdapter,
  createBootpayClient,
  type SubscriptionBilling,
} from '@billingkey/bootpay'
import type { BillingKey, BillingKeyAdapter, BillingKeyError, IamportRef } from '@billingkey/core'
import {
  type BillingKeyAnnotation,
  createIamportAdapter,
  createIamportClient,
  type IamportBillingKey,
  type IamportBillingKeyAdapter,
} from '@billingkey/iamport'
import {
  createPortoneAdapter,
  createPortoneClient,
  type PortoneBillingKey,
  type BillingKeyInfo as PortoneBillingKeyInfo,
} from '@billingkey/portone'
import { assertType, describe, expectTypeOf, test } from 'vitest'
import {
  type AuditReport,
  type BillingKeys,
  type ConfiguredProvider,
  createBillingKeys,
  type KeyOf,
  type Progress,
  type ProviderAdapters,
  type BillingKeyAdapter as ReexportedAdapter,
  type RefOf,
} from '../src/index'

/** The refs of the two providers these tests configure. */
type BillingKeyRef = import('@billingkey/core').IamportRef | import('@billingkey/core').BootpayRef

// Stand-ins with distinct raw payloads, so a wrong narrowing cannot pass by accident.
interface IamportRaw {
  customer_uid: string
  inserted: number
}
interface BootpayRaw {
  billing_key: string
  billing_expire_at: string
}
declare const iamport: BillingKeyAdapter<'iamport', IamportRaw>
declare const bootpay: BillingKeyAdapter<'bootpay', BootpayRaw>

describe('createBillingKeys types', () => {
  test('a ref for a provider that was not configured is a compile error', () => {
    const onlyIamport = createBillingKeys({ iamport })
    expectTypeOf<RefOf<{ iamport: typeof iamport }>>().toEqualTypeOf<IamportRef>()
    // @ts-expect-error: no bootpay adapter was configured
    void onlyIamport.lookup({ provider: 'bootpay', receiptId: 'r1' })
    // @ts-expect-error: no bootpay adapter was configured
    void onlyIamport.lookupMany([{ provider: 'bootpay', billingKey: 'b1' }])
    // @ts-expect-error: a list typed for both providers does not fit an iamport-only facade
    void onlyIamport.audit([] as BillingKeyRef[])

    const onlyBootpay = createBillingKeys({ bootpay })
    // @ts-expect-error: no iamport adapter was configured
    void onlyBootpay.lookup({ provider: 'iamport', customerUid: 'c1' })
    assertType(onlyBootpay.lookup({ provider: 'bootpay', receiptId: 'r1' }))
    assertType(onlyBootpay.lookup({ provider: 'bootpay', billingKey: 'b1' }))
  })

  test('portone refs need a portone adapter; with one, they resolve to PortOne keys', async () => {
    const withoutPortone = createBillingKeys({ iamport, bootpay })
    // @ts-expect-error: no portone adapter was configured
    void withoutPortone.lookup({ provider: 'portone', billingKey: 'k1' })
    // @ts-expect-error: no portone adapter was configured
    void withoutPortone.audit([{ provider: 'portone', billingKey: 'k1' }])

    const portone = createPortoneAdapter(createPortoneClient({ apiSecret: 's' }))
    const keys = createBillingKeys({ iamport, portone })
    expectTypeOf(keys.providers).toEqualTypeOf<readonly ('iamport' | 'portone')[]>()
    const key = await keys.lookup({ provider: 'portone', billingKey: 'k1' })
    expectTypeOf(key).toEqualTypeOf<PortoneBillingKey>()
    expectTypeOf(key.raw).toEqualTypeOf<PortoneBillingKeyInfo>()
    // @ts-expect-error: a PortOne key is named by its billing key only
    void keys.lookup({ provider: 'portone', receiptId: 'r1' })
  })

  test('a possibly-undefined adapter still counts as configured (checked at run time)', () => {
    const maybe = createBillingKeys({
      iamport: iamport as typeof iamport | undefined,
      bootpay: undefined,
    })
    expectTypeOf<
      ConfiguredProvider<{ iamport: typeof iamport | undefined; bootpay: undefined }>
    >().toEqualTypeOf<'iamport'>()
    expectTypeOf(maybe.providers).toEqualTypeOf<readonly 'iamport'[]>()
  })

  test('lookup resolves to the provider of the ref, with raw typed by its adapter', async () => {
    const keys = createBillingKeys({ iamport, bootpay })
    expectTypeOf(keys).toEqualTypeOf<
      BillingKeys<{ iamport: typeof iamport; bootpay: typeof bootpay }>
    >()

    const fromIamport = await keys.lookup({ provider: 'iamport', customerUid: 'c1' })
    expectTypeOf(fromIamport).toEqualTypeOf<BillingKey<'iamport', IamportRaw>>()
    expectTypeOf(fromIamport.raw.inserted).toEqualTypeOf<number>()

    const fromBootpay = await keys.lookup({ provider: 'bootpay', billingKey: 'b1' })
    expectTypeOf(fromBootpay.raw).toEqualTypeOf<BootpayRaw>()

    const either = await keys.lookup({} as BillingKeyRef)
    expectTypeOf(either).toEqualTypeOf<
      BillingKey<'iamport', IamportRaw> | BillingKey<'bootpay', BootpayRaw>
    >()
  })

  test('key.raw narrows by key.provider in a mixed batch', async () => {
    const keys = createBillingKeys({ iamport, bootpay })
    const results = await keys.lookupMany([] as BillingKeyRef[], { concurrency: 4 })
    const result = results[0]
    if (!result) return
    if (!result.ok) {
      expectTypeOf(result.error).toEqualTypeOf<BillingKeyError>()
      return
    }
    const { key } = result
    if (key.provider === 'iamport') {
      expectTypeOf(key.raw).toEqualTypeOf<IamportRaw>()
      expectTypeOf(key.ref).toEqualTypeOf<IamportRef>()
      // @ts-expect-error: billing_key is Bootpay's
      void key.raw.billing_key
    } else {
      expectTypeOf(key.raw).toEqualTypeOf<BootpayRaw>()
    }
  })

  test('a batch of one provider resolves to that provider only', async () => {
    const keys = createBillingKeys({ iamport, bootpay })
    const results = await keys.lookupMany([{ provider: 'bootpay', receiptId: 'r1' }])
    const first = results[0]
    if (first?.ok) expectTypeOf(first.key.raw).toEqualTypeOf<BootpayRaw>()
  })

  test('audit reports carry the typed keys', async () => {
    const keys = createBillingKeys({ iamport })
    const report = await keys.audit([{ provider: 'iamport', customerUid: 'c1' }], {
      now: new Date(),
      expiringWithinDays: 14,
    })
    expectTypeOf(report).toEqualTypeOf<AuditReport<BillingKey<'iamport', IamportRaw>>>()
    expectTypeOf(report.needsAction[0]?.key?.raw).toEqualTypeOf<IamportRaw | undefined>()
    expectTypeOf(report.needsAction[0]?.reason).toEqualTypeOf<
      'expiring' | 'expired' | 'deleted' | 'not_found' | 'error' | undefined
    >()
    expectTypeOf(report.counts).toEqualTypeOf<{
      active: number
      expiring: number
      expired: number
      deleted: number
      notFound: number
      error: number
    }>()
  })

  test('takes only provider adapters, each in its own slot', () => {
    expectTypeOf<ReexportedAdapter>().toEqualTypeOf<BillingKeyAdapter>()
    assertType<ProviderAdapters>({ iamport, bootpay })
    // @ts-expect-error: a Bootpay adapter in the iamport slot
    createBillingKeys({ iamport: bootpay })
    // @ts-expect-error: an iamport adapter in the Bootpay slot
    createBillingKeys({ bootpay: iamport })
    // @ts-expect-error: not an adapter
    createBillingKeys({ iamport: { lookup() {} } })
    // @ts-expect-error: the former shape, an object carrying the adapter as `billingKeys`
    createBillingKeys({ iamport: { billingKeys: iamport } })
  })

  test('a provider client in place of its adapter is a compile error', () => {
    // @ts-expect-error: an iamport client, not createIamportAdapter(client)
    createBillingKeys({ iamport: createIamportClient({ apiKey: 'k', apiSecret: 's' }) })
    // @ts-expect-error: a Bootpay client, not createBootpayAdapter(client)
    createBillingKeys({ bootpay: createBootpayClient({ applicationId: 'a', privateKey: 'p' }) })
    createBillingKeys({
      iamport: createIamportAdapter(createIamportClient({ apiKey: 'k', apiSecret: 's' })),
      // @ts-expect-error: one slot right does not excuse a client in the other
      bootpay: createBootpayClient({ applicationId: 'a', privateKey: 'p' }),
    })
  })
})

describe('with the real provider adapters', () => {
  test('the factories return the adapter types the facade takes', () => {
    const iamportAdapter = createIamportAdapter(
      createIamportClient({ apiKey: 'k', apiSecret: 's' }),
    )
    const bootpayAdapter = createBootpayAdapter(
      createBootpayClient({ applicationId: 'a', privateKey: 'p' }),
    )
    expectTypeOf(iamportAdapter).toEqualTypeOf<IamportBillingKeyAdapter>()
    expectTypeOf(bootpayAdapter).toEqualTypeOf<BootpayBillingKeyAdapter>()
    expectTypeOf<
      KeyOf<{ iamport: IamportBillingKeyAdapter }, IamportRef>
    >().toEqualTypeOf<IamportBillingKey>()
  })

  test('key.raw is the generated type of the provider that looked it up', async () => {
    const keys = createBillingKeys({
      iamport: createIamportAdapter(createIamportClient({ apiKey: 'k', apiSecret: 's' })),
      bootpay: createBootpayAdapter(createBootpayClient({ applicationId: 'a', privateKey: 'p' })),
    })
    const results = await keys.lookupMany([] as BillingKeyRef[])
    const result = results[0]
    if (!result?.ok) return
    const { key } = result
    if (key.provider === 'iamport') {
      expectTypeOf(key.raw).toEqualTypeOf<BillingKeyAnnotation>()
      expectTypeOf(key).toEqualTypeOf<IamportBillingKey>()
    } else {
      expectTypeOf(key.raw).toEqualTypeOf<SubscriptionBilling | BillingKeyInfo>()
      expectTypeOf(key).toEqualTypeOf<BootpayBillingKey>()
    }
  })

  test('one provider configured: the other provider is a compile error', () => {
    const keys = createBillingKeys({
      bootpay: createBootpayAdapter(createBootpayClient({ clientKey: 'c', secretKey: 's' })),
    })
    expectTypeOf(keys.providers).toEqualTypeOf<readonly 'bootpay'[]>()
    // @ts-expect-error: no iamport adapter was configured
    void keys.lookup({ provider: 'iamport', customerUid: 'c1' })
  })

  test('progress: each provider client’s rate limit, typed', () => {
    const keys = createBillingKeys({
      bootpay: createBootpayAdapter(createBootpayClient({ clientKey: 'c', secretKey: 's' })),
    })
    void keys.audit([], {
      onProgress: (progress) => {
        expectTypeOf(progress).toEqualTypeOf<Progress>()
        const state = progress.rateLimits?.bootpay
        expectTypeOf(state?.pausedUntil).toEqualTypeOf<Date | undefined>()
        expectTypeOf(state?.requestsPerSecond).toEqualTypeOf<number | undefined>()
        expectTypeOf(state?.requests).toEqualTypeOf<number | undefined>()
      },
    })
  })
})
