import type { BillingKeyAdapter } from '@billingkey/core'
import { assertType, describe, expectTypeOf, it } from 'vitest'
import {
  type BillingKeyAnnotation,
  type ChargeBillingKeyRequest,
  type CustomerAnnotation,
  type components,
  createIamportAdapter,
  createIamportClient,
  type IamportBillingKey,
  type IamportChargeExtra,
  type IamportChargeResult,
  type IamportPayment,
  isSuperBillingKey,
  type PagedPaymentAnnotation,
  type PagedScheduleAnnotation,
  type PaymentAnnotation,
  type SuperBillingKeyAnnotation,
} from '../src'
import { createIamportApi, type IamportApi } from '../src/api'

const iamport = createIamportClient({ apiKey: 'k', apiSecret: 's' })

describe('types', () => {
  it('the friendly names are the generated types', () => {
    expectTypeOf<CustomerAnnotation>().toEqualTypeOf<components['schemas']['CustomerAnnotation']>()
    expectTypeOf<BillingKeyAnnotation>().toEqualTypeOf<
      CustomerAnnotation | SuperBillingKeyAnnotation
    >()
  })

  it('getBillingKey returns the generated CustomerAnnotation, or a super billing key', () => {
    expectTypeOf(iamport.getBillingKey).parameters.toEqualTypeOf<
      [customerUid: string, options?: { signal?: AbortSignal }]
    >()
    expectTypeOf(iamport.getBillingKey).returns.resolves.toEqualTypeOf<
      CustomerAnnotation | SuperBillingKeyAnnotation
    >()
  })

  it('card fields are nullable, card_type is 0 | 1 | null', () => {
    expectTypeOf<CustomerAnnotation['card_name']>().toEqualTypeOf<string | null>()
    // Not required by the Swagger, so they may be missing as well as null.
    expectTypeOf<CustomerAnnotation['card_code']>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<CustomerAnnotation['card_number']>().toEqualTypeOf<string | null | undefined>()
    expectTypeOf<CustomerAnnotation['card_type']>().toEqualTypeOf<0 | 1 | null | undefined>()
    expectTypeOf<CustomerAnnotation['sandbox']>().toEqualTypeOf<boolean>()
    expectTypeOf<CustomerAnnotation['inserted']>().toEqualTypeOf<number>()
  })

  it("the README's example compiles: an absent card_type is read as null", async () => {
    const { found } = await iamport.getBillingKeys(['hong_1234_a', 'hong_1234_b'])
    for (const key of found) {
      if (isSuperBillingKey(key)) continue
      const cardType: 0 | 1 | null = key.card_type ?? null
      expectTypeOf(cardType).toEqualTypeOf<0 | 1 | null>()
      // @ts-expect-error optional as well as nullable: the Swagger does not require it
      const unread: 0 | 1 | null = key.card_type
      assertType<unknown>(unread)
    }
  })

  it('isSuperBillingKey narrows to one of the two', async () => {
    const key = await iamport.getBillingKey('a')
    if (isSuperBillingKey(key)) {
      expectTypeOf(key).toEqualTypeOf<SuperBillingKeyAnnotation>()
      expectTypeOf(key.channelGroupId).toEqualTypeOf<string>()
    } else {
      expectTypeOf(key).toEqualTypeOf<CustomerAnnotation>()
      expectTypeOf(key.card_type).toEqualTypeOf<0 | 1 | null | undefined>()
    }
  })

  it('the other methods return the generated payloads', () => {
    expectTypeOf(iamport.getBillingKeys).returns.resolves.toEqualTypeOf<{
      found: BillingKeyAnnotation[]
      missing: string[]
    }>()
    expectTypeOf(iamport.issueBillingKey).returns.resolves.toEqualTypeOf<BillingKeyAnnotation>()
    expectTypeOf(iamport.deleteBillingKey).returns.resolves.toEqualTypeOf<BillingKeyAnnotation>()
    expectTypeOf(iamport.listPayments).returns.resolves.toEqualTypeOf<PagedPaymentAnnotation>()
    expectTypeOf(iamport.listSchedules).returns.resolves.toEqualTypeOf<PagedScheduleAnnotation>()
    expectTypeOf(iamport.getToken).returns.resolves.toEqualTypeOf<string>()
  })

  it('requires what the API requires', () => {
    // @ts-expect-error card_number and expiry are required
    assertType(iamport.issueBillingKey('a', { birth: '900101' }))
    // @ts-expect-error the schedule window is required
    assertType(iamport.listSchedules('a', { page: 1 }))
    // @ts-expect-error not a schedule status
    assertType(iamport.listSchedules('a', { from: 1, to: 2, status: 'done' }))
    assertType(iamport.listSchedules('a', { from: new Date(), to: 2, status: 'revoked' }))
  })

  it('createIamportAdapter is the adapter the facade takes, with the key as raw', () => {
    const adapter = createIamportAdapter(iamport)
    expectTypeOf(adapter).toEqualTypeOf<
      BillingKeyAdapter<'iamport', BillingKeyAnnotation, PaymentAnnotation, IamportChargeExtra>
    >()
    // The facade's charge takes iamport's own fields in `extra`, but not those it maps itself.
    assertType(
      adapter.charge?.(
        { provider: 'iamport', customerUid: 'c' },
        { orderId: 'o', amount: 1000, name: 'n', extra: { card_quota: 3, custom_data: 'x' } },
      ),
    )
    assertType(
      adapter.charge?.(
        { provider: 'iamport', customerUid: 'c' },
        // @ts-expect-error merchant_uid is the facade's orderId
        { orderId: 'o', amount: 1000, name: 'n', extra: { merchant_uid: 'other' } },
      ),
    )
    expectTypeOf(adapter).toMatchTypeOf<BillingKeyAdapter<'iamport', unknown>>()
    expectTypeOf(iamport).not.toHaveProperty('billingKeys')
    expectTypeOf<IamportBillingKey['raw']>().toEqualTypeOf<BillingKeyAnnotation>()
  })

  it('createIamportApi is the openapi-fetch client typed from the spec', async () => {
    const api = createIamportApi(iamport)
    expectTypeOf(api).toEqualTypeOf<IamportApi>()
    const { data } = await api.GET('/subscribe/customers', {
      params: { query: { 'customer_uid[]': ['a', 'b'] } },
    })
    if (data?.code === 0 && 'response' in data && Array.isArray(data.response)) {
      expectTypeOf(data.response).toEqualTypeOf<BillingKeyAnnotation[]>()
    }
    // @ts-expect-error customer_uid[] is required
    assertType(api.GET('/subscribe/customers', { params: { query: {} } }))
    // @ts-expect-error the path needs its customer_uid
    assertType(api.GET('/subscribe/customers/{customer_uid}', {}))
    assertType(
      api.DELETE('/subscribe/customers/{customer_uid}', {
        params: {
          path: { customer_uid: 'a' },
          query: { reason: 'x', 'extra[requester]': 'admin' },
        },
      }),
    )
  })
})

describe('typed error codes', () => {
  it('an iamport error carries IamportCode, with an unrecognized fallback', () => {
    expectTypeOf<import('../src').IamportApiError['code']>().toEqualTypeOf<
      import('../src').IamportCode | undefined
    >()
    assertType<import('../src').IamportCode>(1)
    assertType<import('../src').IamportCode>(-42)
    // @ts-expect-error: a code is a number
    assertType<import('../src').IamportCode>('1')
  })

  it('a charge result must be narrowed on outcome before its payment is read as paid', async () => {
    const result = await iamport.chargeBillingKey('c', { merchantUid: 'o', amount: 1, name: 'n' })
    expectTypeOf(result).toEqualTypeOf<IamportChargeResult>()
    // @ts-expect-error a declined or unknown result may carry no payment
    assertType<IamportPayment>(result.payment)
    // @ts-expect-error only a paid result's payment is known paid
    assertType<'paid'>(result.payment?.status)
    // @ts-expect-error a paid result has no code, an unknown one no reason
    assertType<string | null>(result.code)
    if (result.outcome === 'paid') {
      expectTypeOf(result.payment.status).toEqualTypeOf<'paid'>()
      expectTypeOf(result.payment.raw).toEqualTypeOf<PaymentAnnotation>()
    } else if (result.outcome === 'declined') {
      expectTypeOf(result.code).toEqualTypeOf<string | null>()
      expectTypeOf(result.payment).toEqualTypeOf<IamportPayment | null>()
    } else {
      expectTypeOf(result.outcome).toEqualTypeOf<'unknown'>()
      expectTypeOf(result.orderId).toEqualTypeOf<string>()
    }
  })

  it("chargeBillingKey needs the caller's merchantUid, amount and name", () => {
    // @ts-expect-error no merchantUid: the client never invents one
    const noOrderKey: ChargeBillingKeyRequest = { amount: 1, name: 'n' }
    assertType<unknown>(noOrderKey)
  })

  it('cancelPayment requires the checksum guard', () => {
    // @ts-expect-error checksum is required
    assertType(iamport.cancelPayment({ impUid: 'i', reason: 'r' }))
    expectTypeOf(iamport.cancelPayment).returns.resolves.toEqualTypeOf<IamportPayment>()
  })
})
