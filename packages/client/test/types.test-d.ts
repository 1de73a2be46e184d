import {
  type BillingKeyInfo,
  type BootpayBillingKey,
  type BootpayBillingKeyAdapter,
  type BootpayChargeResult,
  createBootpayAdapter,
  createBootpayClient,
  type SubscriptionBilling,
} from '@billingkey/bootpay'
import type {
  BillingKey,
  BillingKeyAdapter,
  BillingKeyError,
  IamportRef,
  Payment,
} from '@billingkey/core'
import {
  type BillingKeyAnnotation,
  createIamportAdapter,
  createIamportClient,
  type IamportBillingKey,
  type IamportBillingKeyAdapter,
  type IamportChargeResult,
  type IamportPayment,
  type PaymentAnnotation,
} from '@billingkey/iamport'
import {
  createPortoneAdapter,
  createPortoneClient,
  type PortoneBillingKey,
  type BillingKeyInfo as PortoneBillingKeyInfo,
  type PortonePaymentRaw,
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
      | 'expiring'
      | 'expires_before_charge'
      | 'expired'
      | 'deleted'
      | 'not_found'
      | 'error'
      | undefined
    >()
    expectTypeOf(report.needsAction[0]?.scheduledAt).toEqualTypeOf<Date | undefined>()
    expectTypeOf(report.counts).toEqualTypeOf<{
      active: number
      expiring: number
      expiresBeforeCharge: number
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

describe('keys.charge and keys.findPayment', () => {
  const iamportAdapter = createIamportAdapter(createIamportClient({ apiKey: 'k', apiSecret: 's' }))
  const bootpayAdapter = createBootpayAdapter(
    createBootpayClient({ applicationId: 'a', privateKey: 'p' }),
  )
  const portoneAdapter = createPortoneAdapter(createPortoneClient({ apiSecret: 's' }))
  const request = { orderId: 'order-1', amount: 1000, name: 'plan' }

  test('a facade without Bootpay (or PortOne) refuses their refs at compile time', () => {
    const keys = createBillingKeys({ iamport: iamportAdapter })
    assertType(keys.charge({ provider: 'iamport', customerUid: 'c1' }, request))
    // @ts-expect-error: no bootpay adapter was configured
    void keys.charge({ provider: 'bootpay', billingKey: 'b1' }, request)
    // @ts-expect-error: no bootpay adapter was configured
    void keys.charge({ provider: 'bootpay', receiptId: 'r1' }, request)
    // @ts-expect-error: no portone adapter was configured
    void keys.charge({ provider: 'portone', billingKey: 'k1' }, request)
    // @ts-expect-error: no bootpay adapter was configured
    void keys.findPayment('bootpay', 'order-1')
    // @ts-expect-error: no portone adapter was configured
    void keys.findPayment({ provider: 'portone', billingKey: 'k1' }, 'order-1')

    const withoutPortone = createBillingKeys({ iamport: iamportAdapter, bootpay: bootpayAdapter })
    assertType(withoutPortone.charge({ provider: 'bootpay', billingKey: 'b1' }, request))
    // @ts-expect-error: no portone adapter was configured
    void withoutPortone.charge({ provider: 'portone', billingKey: 'k1' }, request)
  })

  test('the request needs orderId, amount and name; extra is the provider’s own fields', () => {
    const keys = createBillingKeys({ iamport: iamportAdapter, portone: portoneAdapter })
    const iamportRef = { provider: 'iamport', customerUid: 'c1' } as const
    // @ts-expect-error: no orderId: the facade never invents one
    void keys.charge(iamportRef, { amount: 1000, name: 'plan' })
    // @ts-expect-error: no amount
    void keys.charge(iamportRef, { orderId: 'o', name: 'plan' })
    assertType(keys.charge(iamportRef, { ...request, extra: { card_quota: 3 } }))
    // @ts-expect-error: installmentMonth is PortOne's, not iamport's
    void keys.charge(iamportRef, { ...request, extra: { installmentMonth: 3 } })
    const portoneRef = { provider: 'portone', billingKey: 'k1' } as const
    assertType(keys.charge(portoneRef, { ...request, extra: { installmentMonth: 3 } }))
    // @ts-expect-error: card_quota is iamport's, not PortOne's
    void keys.charge(portoneRef, { ...request, extra: { card_quota: 3 } })
    // the options are the clients' charge options
    assertType(
      keys.charge(iamportRef, request, { signal: AbortSignal.timeout(1), timeoutMs: 60_000 }),
    )
  })

  test('a declined or unknown result cannot be read as paid without narrowing', async () => {
    const keys = createBillingKeys({ iamport: iamportAdapter, bootpay: bootpayAdapter })
    const result = await keys.charge({ provider: 'iamport', customerUid: 'c1' }, request)
    expectTypeOf(result).toEqualTypeOf<IamportChargeResult>()
    // @ts-expect-error: a declined or unknown result may carry no payment
    void result.payment.paidAt
    // @ts-expect-error: only a paid result's payment is a paid payment
    assertType<{ status: 'paid' }>(result.payment)
    if (result.outcome === 'paid') {
      expectTypeOf(result.payment.status).toEqualTypeOf<'paid'>()
      expectTypeOf(result.payment.raw).toEqualTypeOf<PaymentAnnotation>()
    } else if (result.outcome === 'declined') {
      expectTypeOf(result.code).toEqualTypeOf<string | null>()
      // @ts-expect-error: a declined result has no paid payment to read
      assertType<{ status: 'paid' }>(result.payment)
    } else {
      expectTypeOf(result.outcome).toEqualTypeOf<'unknown'>()
      expectTypeOf(result.error).toEqualTypeOf<BillingKeyError>()
    }

    const fromBootpay = await keys.charge({ provider: 'bootpay', receiptId: 'r1' }, request)
    expectTypeOf(fromBootpay).toEqualTypeOf<BootpayChargeResult>()
  })

  test('findPayment takes a provider or a ref and returns that provider’s Payment', async () => {
    const keys = createBillingKeys({ iamport: iamportAdapter, portone: portoneAdapter })
    expectTypeOf(await keys.findPayment('iamport', 'o')).toEqualTypeOf<IamportPayment | null>()
    expectTypeOf(
      await keys.findPayment({ provider: 'portone', billingKey: 'k1' }, 'o'),
    ).toEqualTypeOf<Payment<'portone', PortonePaymentRaw> | null>()
  })
})
