import type { BillingKeyAdapter, ChargeResult, Payment } from '@billingkey/core'
import { assertType, describe, expectTypeOf, it } from 'vitest'
import { createPortoneApi } from '../src/api'
import {
  type BillingKeyInfo,
  type ChargeInput,
  createPortoneAdapter,
  createPortoneClient,
  type PaymentInfo,
  type PortoneApiError,
  type PortoneChargeResult,
  type PortoneErrorCode,
  type PortonePaymentRaw,
} from '../src/index'

const client = createPortoneClient({ apiSecret: 's' })
declare const result: PortoneChargeResult

describe('charges', () => {
  it('returns the shared ChargeResult, narrowed on outcome', () => {
    expectTypeOf(client.chargeBillingKey).returns.resolves.toEqualTypeOf<
      ChargeResult<'portone', PortonePaymentRaw>
    >()
    // @ts-expect-error a declined or unknown result has no paid payment to read
    result.payment.paidAt
    if (result.outcome === 'paid') expectTypeOf(result.payment.status).toEqualTypeOf<'paid'>()
    if (result.outcome === 'declined') expectTypeOf(result.code).toEqualTypeOf<string | null>()
  })

  it('takes the spec’s charge body, amount as { total, taxFree?, vat? }', () => {
    assertType<ChargeInput>({
      billingKey: 'k',
      orderName: 'o',
      amount: { total: 1 },
      currency: 'KRW',
    })
    // @ts-expect-error the amount is an object, as PortOne takes it
    assertType<ChargeInput>({ billingKey: 'k', orderName: 'o', amount: 1, currency: 'KRW' })
    const input: ChargeInput = {
      billingKey: 'k',
      orderName: 'o',
      amount: { total: 1 },
      currency: 'KRW',
    }
    // storeId is the client's option, not the charge's
    expectTypeOf(input).not.toHaveProperty('storeId')
  })

  it('maps getPayment to the shared Payment, its raw the spec’s Payment', () => {
    expectTypeOf(client.getPayment).returns.resolves.toEqualTypeOf<
      Payment<'portone', PaymentInfo>
    >()
  })
})

describe('error codes', () => {
  it('types the spec’s `type`s, and still takes an unknown one', () => {
    assertType<PortoneErrorCode>('ALREADY_PAID')
    assertType<PortoneErrorCode>('IDEMPOTENCY_OUTSTANDING_REQUEST')
    assertType<PortoneErrorCode>('PG_PROVIDER')
    assertType<PortoneErrorCode>('SOMETHING_NEW')
    expectTypeOf<'PAYMENT_SCHEDULE_ALREADY_EXISTS'>().toExtend<PortoneErrorCode>()
    expectTypeOf<PortoneApiError['code']>().toEqualTypeOf<PortoneErrorCode | undefined>()
    // @ts-expect-error a number is no PortOne type
    assertType<PortoneErrorCode>(409)
  })
})

describe('adapter and api', () => {
  it('builds the facade’s adapter for portone refs', () => {
    const adapter = createPortoneAdapter(client)
    expectTypeOf(adapter).toExtend<BillingKeyAdapter<'portone', BillingKeyInfo>>()
    expectTypeOf(adapter.lookup)
      .parameter(0)
      .toEqualTypeOf<{ provider: 'portone'; billingKey: string }>()
  })

  it('types the /api entry from the spec', () => {
    const api = createPortoneApi(client)
    expectTypeOf(api.GET).toBeFunction()
    // @ts-expect-error no such path in the spec
    api.GET('/payments')
  })

  it('types the lists from the spec', () => {
    expectTypeOf(client.listBillingKeys()).toEqualTypeOf<AsyncIterable<BillingKeyInfo>>()
    // @ts-expect-error no such filter
    client.listBillingKeys({ filter: { nope: 1 } })
  })
})
