import {
  AbortError,
  BillingKeyExpiredError,
  NotFoundError,
  ValidationError,
} from '@billingkey/core'
import { describe, expect, test } from 'vitest'
import { createBillingKeys } from '../src/index'
import { sandboxProviders as providers, SEEDED } from './setup'

/** The refs of the two providers these tests configure. */
type BillingKeyRef = import('@billingkey/core').IamportRef | import('@billingkey/core').BootpayRef

describe('createBillingKeys', () => {
  test('takes any subset of the provider adapters, and says which', () => {
    const { iamport, bootpay } = providers()
    expect(createBillingKeys({ iamport, bootpay }).providers).toEqual(['iamport', 'bootpay'])
    expect(createBillingKeys({ bootpay }).providers).toEqual(['bootpay'])
    expect(createBillingKeys({ iamport, bootpay: undefined }).providers).toEqual(['iamport'])
  })

  test.each([
    ['no adapter at all', {}, 'adapters'],
    ['only undefined adapters', { iamport: undefined, bootpay: undefined }, 'adapters'],
    ['not an object', null, 'adapters'],
    ['an unknown provider', { stripe: {} }, 'stripe'],
    ['an empty object for an adapter', { iamport: {} }, 'iamport'],
    ['null for an adapter', { bootpay: null }, 'bootpay'],
    [
      'an adapter without lookupMany',
      { iamport: { provider: 'iamport', lookup: () => {} } },
      'iamport',
    ],
  ])('refuses %s with a ValidationError', (_, adapters, field) => {
    const create = () => createBillingKeys(adapters as never)
    expect(create).toThrow(ValidationError)
    expect(create).toThrow(expect.objectContaining({ field }))
  })

  test('refuses an adapter in the wrong slot, naming the slot and the adapter it takes', () => {
    const { bootpay } = providers()
    const create = () => createBillingKeys({ iamport: bootpay as never })
    expect(create).toThrow(ValidationError)
    expect(create).toThrow(expect.objectContaining({ field: 'iamport', provider: 'iamport' }))
    expect(create).toThrow(
      'createBillingKeys({ iamport }) takes the adapter createIamportAdapter() from @billingkey/iamport returns: pass iamport: createIamportAdapter(createIamportClient(…))',
    )
  })

  test.each([
    [
      'iamport',
      'createBillingKeys({ iamport }) takes the adapter createIamportAdapter() from @billingkey/iamport returns, not the client itself: pass iamport: createIamportAdapter(createIamportClient(…))',
    ],
    [
      'bootpay',
      'createBillingKeys({ bootpay }) takes the adapter createBootpayAdapter() from @billingkey/bootpay returns, not the client itself: pass bootpay: createBootpayAdapter(createBootpayClient(…))',
    ],
  ] as const)(
    'refuses a %s client passed instead of its adapter, naming the adapter factory, before any request',
    (name, message) => {
      const { iamportClient, bootpayClient, iamportLog, bootpayLog } = providers()
      const client = name === 'iamport' ? iamportClient : bootpayClient
      const create = () => createBillingKeys({ [name]: client } as never)
      expect(create).toThrow(ValidationError)
      expect(create).toThrow(expect.objectContaining({ field: name, provider: name }))
      expect(create).toThrow(message)
      expect([...iamportLog.requests, ...bootpayLog.requests]).toEqual([])
      expect(iamportLog.tokenCalls + bootpayLog.tokenCalls).toBe(0)
    },
  )

  test('refuses the former shape, an object carrying the adapter as `billingKeys`', () => {
    const { iamport } = providers()
    const create = () => createBillingKeys({ iamport: { billingKeys: iamport } as never })
    expect(create).toThrow(ValidationError)
    expect(create).toThrow(expect.objectContaining({ field: 'iamport', provider: 'iamport' }))
    expect(create).toThrow(/pass iamport: createIamportAdapter\(createIamportClient\(…\)\)$/)
  })
})

describe('lookup', () => {
  test('routes each ref to its provider and returns the shared model', async () => {
    const { iamport, bootpay, iamportLog, bootpayLog } = providers()
    const keys = createBillingKeys({ iamport, bootpay })

    const fromIamport = await keys.lookup({ provider: 'iamport', customerUid: SEEDED.customerUid })
    expect(fromIamport).toMatchObject({
      provider: 'iamport',
      ref: { provider: 'iamport', customerUid: SEEDED.customerUid },
      status: 'active',
      method: 'card',
      raw: { customer_uid: SEEDED.customerUid },
    })
    const byReceipt = await keys.lookup({ provider: 'bootpay', receiptId: SEEDED.receiptId })
    expect(byReceipt).toMatchObject({ provider: 'bootpay', status: 'active' })
    expect(byReceipt.raw).toMatchObject({ receipt_id: SEEDED.receiptId })
    const byKey = await keys.lookup({ provider: 'bootpay', billingKey: SEEDED.billingKey })
    expect(byKey.raw).toMatchObject({ billing_key: SEEDED.billingKey })

    expect(iamportLog.requests).toEqual([`GET /subscribe/customers/${SEEDED.customerUid}`])
    expect(bootpayLog.requests).toEqual([
      `GET /v2/subscribe/billing_key/${SEEDED.receiptId}`,
      `GET /v2/billing_key/${SEEDED.billingKey}`,
    ])
  })

  test('a ref for a provider that was not configured is a ValidationError naming it, before any request', async () => {
    const { iamport, iamportLog } = providers()
    const keys = createBillingKeys({ iamport })
    const lookup = keys.lookup({ provider: 'bootpay', receiptId: 'r_1' } as never)
    await expect(lookup).rejects.toThrow(ValidationError)
    await expect(lookup).rejects.toThrow(
      "ref.provider is 'bootpay', but no bootpay adapter was configured: pass bootpay: createBootpayAdapter(createBootpayClient(…)) to createBillingKeys",
    )
    await expect(lookup).rejects.toMatchObject({ field: 'ref.provider', provider: 'bootpay' })
    expect(iamportLog.requests).toEqual([])
    expect(iamportLog.tokenCalls).toBe(0)
  })

  test.each<[string, unknown, string]>([
    ['null', null, 'ref'],
    ['a string', 'cust_1', 'ref'],
    ['no provider', { customerUid: 'cust_1' }, 'ref.provider'],
    ['an unknown provider', { provider: 'stripe', customerUid: 'cust_1' }, 'ref.provider'],
    ['no id', { provider: 'iamport' }, 'ref.customerUid'],
    ['an empty id', { provider: 'iamport', customerUid: '' }, 'ref.customerUid'],
    ['a number id', { provider: 'bootpay', receiptId: 42 }, 'ref.receiptId'],
    ['two ids', { provider: 'bootpay', receiptId: 'r', billingKey: 'b' }, 'ref'],
    ["another provider's id", { provider: 'bootpay', customerUid: 'cust_1' }, 'ref.receiptId'],
  ])('a ref with %s is a ValidationError before any request', async (_, ref, field) => {
    const { iamport, bootpay, iamportLog, bootpayLog } = providers()
    const keys = createBillingKeys({ iamport, bootpay })
    const lookup = keys.lookup(ref as BillingKeyRef)
    await expect(lookup).rejects.toThrow(ValidationError)
    await expect(lookup).rejects.toMatchObject({ field })
    expect([...iamportLog.requests, ...bootpayLog.requests]).toEqual([])
  })

  test("the provider's own rules apply too (an iamport customer_uid over 80 characters)", async () => {
    const { iamport, iamportLog } = providers()
    const lookup = createBillingKeys({ iamport }).lookup({
      provider: 'iamport',
      customerUid: 'x'.repeat(81),
    })
    await expect(lookup).rejects.toThrow(ValidationError)
    expect(iamportLog.requests).toEqual([])
  })

  test('throws the typed error of a failed lookup', async () => {
    const { iamport, bootpay } = providers()
    const keys = createBillingKeys({ iamport, bootpay })
    await expect(
      keys.lookup({ provider: 'iamport', customerUid: SEEDED.unknownCustomerUid }),
    ).rejects.toThrow(NotFoundError)
    await expect(
      keys.lookup({ provider: 'bootpay', billingKey: SEEDED.deletedBillingKey }),
    ).rejects.toThrow(BillingKeyExpiredError)
  })

  test('an aborted signal stops it before any request', async () => {
    const { bootpay, bootpayLog } = providers()
    const signal = AbortSignal.abort()
    const lookup = createBillingKeys({ bootpay }).lookup(
      { provider: 'bootpay', receiptId: 'r_1' },
      { signal },
    )
    await expect(lookup).rejects.toThrow(AbortError)
    expect(bootpayLog.requests).toEqual([])
    expect(bootpayLog.tokenCalls).toBe(0)
  })
})
