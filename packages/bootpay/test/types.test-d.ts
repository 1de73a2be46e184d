import type { BillingKey, BillingKeyAdapter, LookupResult } from '@billingkey/core'
import { assertType, describe, expectTypeOf, it } from 'vitest'
import { createBootpayApi } from '../src/api'
import {
  type AccessToken,
  type BankBillingData,
  type BankBillingKeyRequest,
  type BillingData,
  type BillingKeyInfo,
  type BootpayBillingKey,
  type BootpayChargeResult,
  type BootpayClient,
  type BootpayErrorCode,
  type BootpayPayment,
  type CardBillingData,
  type CardBillingKeyRequest,
  type ChargeBillingKeyRequest,
  type components,
  createBootpayAdapter,
  createBootpayClient,
  type DeletedBillingKey,
  type ErrorBody,
  type paths,
  type Receipt,
  type SubscriptionBilling,
} from '../src/index'

type Json<
  P extends keyof paths,
  M extends 'get' | 'post' | 'delete',
  S extends 200 | '4XX' | '5XX',
> =
  NonNullable<paths[P][M]> extends {
    responses: Record<S, { content: { 'application/json': infer T } }>
  }
    ? T
    : never

const client = createBootpayClient({ applicationId: 'a', privateKey: 'p' })

describe('generated schema', () => {
  it('types the two lookups with their own shapes', () => {
    expectTypeOf<
      Json<'/v2/subscribe/billing_key/{id}', 'get', 200>
    >().toEqualTypeOf<SubscriptionBilling>()
    expectTypeOf<
      Json<'/v2/billing_key/{billing_key}', 'get', 200>
    >().toEqualTypeOf<BillingKeyInfo>()
    expectTypeOf<SubscriptionBilling['status']>().toEqualTypeOf<number>()
    expectTypeOf<SubscriptionBilling['billing_expire_at']>().toEqualTypeOf<string>()
    expectTypeOf<SubscriptionBilling['receipt_data']>().toEqualTypeOf<Receipt | undefined>()
    expectTypeOf<BillingKeyInfo['expire_at']>().toEqualTypeOf<string>()
    expectTypeOf<BillingKeyInfo['sandbox']>().toEqualTypeOf<0 | 1>()
    expectTypeOf<Receipt['sandbox']>().toEqualTypeOf<boolean | undefined>()
    expectTypeOf<BillingKeyInfo>().not.toHaveProperty('receipt_id')
    expectTypeOf<BillingKeyInfo>().not.toHaveProperty('billing_expire_at')
  })

  it('types billing_data as card or bank', () => {
    expectTypeOf<SubscriptionBilling['billing_data']>().toEqualTypeOf<BillingData>()
    expectTypeOf<BillingData>().toEqualTypeOf<CardBillingData | BankBillingData>()
    expectTypeOf<CardBillingData['card_type']>().toEqualTypeOf<0 | 1>()
    const data = {} as BillingData
    if ('card_no' in data) expectTypeOf(data).toEqualTypeOf<CardBillingData>()
    else expectTypeOf(data).toEqualTypeOf<BankBillingData>()
  })

  it('types every error status with the error body', () => {
    expectTypeOf<Json<'/v2/request/token', 'post', '4XX'>>().toEqualTypeOf<ErrorBody>()
    expectTypeOf<Json<'/v2/request/subscribe', 'post', '5XX'>>().toEqualTypeOf<ErrorBody>()
    expectTypeOf<
      Json<'/v2/subscribe/billing_key/{id}', 'delete', '4XX'>
    >().toEqualTypeOf<ErrorBody>()
  })

  it('lists the known error codes and still accepts any other', () => {
    type Known = components['schemas']['KnownErrorCode']
    expectTypeOf<'SUBSCRIBE_BK_EXPIRED'>().toExtend<Known>()
    expectTypeOf<'RC_NOT_SUBSCRIBE'>().toExtend<Known>()
    expectTypeOf<'TOKEN_KEY_INVALID'>().toExtend<Known>()
    expectTypeOf<'SOMETHING_NEW'>().not.toExtend<Known>()
    expectTypeOf<Known>().toExtend<BootpayErrorCode>()
    assertType<BootpayErrorCode>('SOMETHING_NEW')
    expectTypeOf<ErrorBody['error_code']>().toEqualTypeOf<string>()
  })

  it('types the request bodies with their required fields', () => {
    expectTypeOf<CardBillingKeyRequest['card_no']>().toEqualTypeOf<string>()
    expectTypeOf<CardBillingKeyRequest['price']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<BankBillingKeyRequest['cash_receipt_type']>().toEqualTypeOf<
      '소득공제' | '지출증빙' | undefined
    >()
    // @ts-expect-error card_pw, card_identity_no and the expiry are required
    assertType<CardBillingKeyRequest>({
      pg: 'p',
      order_name: 'o',
      subscription_id: 's',
      card_no: '1',
    })
  })
})

describe('createBootpayClient', () => {
  it('takes either credential pair', () => {
    assertType<BootpayClient>(createBootpayClient({ clientKey: 'c', secretKey: 's' }))
    assertType<BootpayClient>(
      createBootpayClient({
        applicationId: 'a',
        privateKey: 'p',
        baseUrl: 'http://127.0.0.1:1/bootpay',
        maxRetries: 0,
      }),
    )
    // @ts-expect-error credentials are required
    createBootpayClient({ baseUrl: 'https://api.bootpay.co.kr' })
    // @ts-expect-error half a pair is not enough
    createBootpayClient({ applicationId: 'a' })
  })

  it('returns the generated types from each method', () => {
    expectTypeOf(client.getAccessToken).returns.resolves.toEqualTypeOf<AccessToken>()
    expectTypeOf(
      client.getBillingKeyByReceipt,
    ).returns.resolves.toEqualTypeOf<SubscriptionBilling>()
    expectTypeOf(client.getBillingKey).returns.resolves.toEqualTypeOf<BillingKeyInfo>()
    expectTypeOf(client.issueCardBillingKey).returns.resolves.toEqualTypeOf<SubscriptionBilling>()
    expectTypeOf(client.requestBankBillingKey).returns.resolves.toEqualTypeOf<Receipt>()
    expectTypeOf(client.publishBankBillingKey).returns.resolves.toEqualTypeOf<SubscriptionBilling>()
    expectTypeOf(client.deleteBillingKey).returns.resolves.toEqualTypeOf<DeletedBillingKey>()
    expectTypeOf(client.getBillingKey)
      .parameter(1)
      .toEqualTypeOf<{ signal?: AbortSignal } | undefined>()
  })

  it('createBootpayApi is the openapi-fetch client typed from the spec', async () => {
    const api = createBootpayApi(client)
    const { data, error } = await api.GET('/v2/billing_key/{billing_key}', {
      params: { path: { billing_key: 'k' } },
    })
    expectTypeOf(data).toEqualTypeOf<BillingKeyInfo | undefined>()
    expectTypeOf(error).toEqualTypeOf<ErrorBody | undefined>()
    // @ts-expect-error not a path of the spec
    api.GET('/v2/receipt/{receipt_id}')
    // @ts-expect-error the path parameter is required
    api.GET('/v2/billing_key/{billing_key}', { params: { path: {} } })
  })

  it('createBootpayAdapter is the BillingKeyAdapter the facade takes', async () => {
    const adapter = createBootpayAdapter(client)
    expectTypeOf(client).not.toHaveProperty('billingKeys')
    expectTypeOf(adapter).toExtend<
      BillingKeyAdapter<'bootpay', SubscriptionBilling | BillingKeyInfo>
    >()
    const key = await adapter.lookup({ provider: 'bootpay', receiptId: 'r' })
    expectTypeOf(key).toEqualTypeOf<BootpayBillingKey>()
    expectTypeOf(key).toExtend<BillingKey<'bootpay'>>()
    expectTypeOf(key.raw).toEqualTypeOf<SubscriptionBilling | BillingKeyInfo>()
    const results = await adapter.lookupMany([{ provider: 'bootpay', billingKey: 'k' }])
    expectTypeOf(results).toEqualTypeOf<LookupResult<BootpayBillingKey>[]>()
    // @ts-expect-error an iamport ref is not a Bootpay ref
    adapter.lookup({ provider: 'iamport', customerUid: 'c' })
  })
})

describe('typed error codes', () => {
  it('a Bootpay error carries BootpayErrorCode, with an unrecognized fallback', () => {
    expectTypeOf<import('../src').BootpayApiError['code']>().toEqualTypeOf<
      BootpayErrorCode | undefined
    >()
    assertType<BootpayErrorCode>('RC_NOT_FOUND')
    assertType<BootpayErrorCode>('A_CODE_BOOTPAY_ADDS_LATER')
    expectTypeOf<import('../src').NotBillingKeyReceiptError['code']>().toEqualTypeOf<
      BootpayErrorCode | undefined
    >()
  })
})

describe('charging', () => {
  it('a charge result must be narrowed on outcome before its payment is read as paid', async () => {
    const result = await client.chargeBillingKey({
      billingKey: 'k',
      orderId: 'o',
      price: 1,
      orderName: 'n',
    })
    expectTypeOf(result).toEqualTypeOf<BootpayChargeResult>()
    // @ts-expect-error a declined or unknown result may carry no payment
    assertType<BootpayPayment>(result.payment)
    // @ts-expect-error only a paid result's payment is known paid
    assertType<'paid'>(result.payment?.status)
    if (result.outcome === 'paid') {
      expectTypeOf(result.payment.status).toEqualTypeOf<'paid'>()
      expectTypeOf(result.payment.raw).toEqualTypeOf<Receipt>()
    } else if (result.outcome === 'declined') {
      expectTypeOf(result.code).toEqualTypeOf<string | null>()
      expectTypeOf(result.payment).toEqualTypeOf<BootpayPayment | null>()
    } else {
      expectTypeOf(result.outcome).toEqualTypeOf<'unknown'>()
    }
  })

  it("chargeBillingKey needs the caller's orderId, price and orderName", () => {
    // @ts-expect-error no orderId: the client never invents one
    const noOrderKey: ChargeBillingKeyRequest = { billingKey: 'k', price: 1, orderName: 'n' }
    assertType<unknown>(noOrderKey)
    // Bootpay's optional fields keep Bootpay's names and types.
    assertType<ChargeBillingKeyRequest>({
      billingKey: 'k',
      orderId: 'o',
      price: 1,
      orderName: 'n',
      tax_free: 0,
      card_quota: '00',
    })
  })

  it('cancelPayment requires the cancelId guard; reservePayment the pending reservations', () => {
    // @ts-expect-error cancelId is required
    assertType(client.cancelPayment({ receiptId: 'r', reason: 'r' }))
    expectTypeOf(client.cancelPayment).returns.resolves.toEqualTypeOf<BootpayPayment>()
    expectTypeOf(client.findPayment).returns.resolves.toEqualTypeOf<BootpayPayment | null>()
    assertType(
      // @ts-expect-error pendingReservations is required: the 10-per-key check is never skipped
      client.reservePayment({
        billingKey: 'k',
        orderId: 'o',
        price: 1,
        orderName: 'n',
        executeAt: new Date(),
      }),
    )
  })
})
