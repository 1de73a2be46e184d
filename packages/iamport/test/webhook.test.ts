import { NotFoundError, ValidationError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { type PaymentAnnotation, toPayment, verifyWebhook } from '../src'
import { client, fakeIamport, fixture, json, ok } from './helpers'

const PAID = (fixture('getPayment-200').response.body as { response: PaymentAnnotation }).response
const notice = { imp_uid: PAID.imp_uid, merchant_uid: PAID.merchant_uid, status: 'paid' }

const iamport = (answer: () => Response = () => ok(PAID)) => {
  const fake = fakeIamport(answer)
  return { fake, iamport: client(fake.fetch) }
}

describe('verifyWebhook', () => {
  it.each([
    ['a JSON body', notice],
    ['a form-decoded body', new URLSearchParams(notice)],
    ['a form-decoded object', Object.fromEntries(new URLSearchParams(notice))],
  ])('returns the looked-up payment for %s', async (_, body) => {
    const { fake, iamport: c } = iamport()
    await expect(verifyWebhook(c, body)).resolves.toEqual(toPayment(PAID))
    const [lookup] = fake.calls()
    const url = new URL(lookup?.url as string)
    expect(url.pathname).toBe(`/payments/${PAID.imp_uid}`)
    // R11: a notice from a test channel is found too.
    expect(url.searchParams.get('include_sandbox')).toBe('true')
  })

  it("trusts the lookup's state, not the body's", async () => {
    const cancelled = { ...PAID, status: 'cancelled' as const, cancel_amount: PAID.amount }
    const { iamport: c } = iamport(() => ok(cancelled))
    expect((await verifyWebhook(c, notice)).status).toBe('cancelled')
  })

  it.each([
    ['imp_uid', { merchant_uid: 'order_1', status: 'paid' }],
    ['imp_uid', { ...notice, imp_uid: '../users/getToken' }],
    ['merchant_uid', { imp_uid: 'imp_1', status: 'paid' }],
    ['status', { ...notice, status: 1 }],
    ['imp_uid', null],
    ['imp_uid', 'imp_uid=imp_1'],
  ])('refuses a body without a valid %s, before any request', async (field, body) => {
    const { fake, iamport: c } = iamport()
    const error = await verifyWebhook(c, body).catch((e) => e)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field, operation: 'verifyWebhook' })
    expect(fake.requests).toHaveLength(0)
  })

  it("refuses a body whose merchant_uid is not the payment's", async () => {
    const { iamport: c } = iamport()
    const error = await verifyWebhook(c, { ...notice, merchant_uid: 'forged_order' }).catch(
      (e) => e,
    )
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ field: 'merchant_uid' })
  })

  it('reports an unknown imp_uid as NotFoundError', async () => {
    const { iamport: c } = iamport(() => json({ code: 1, message: '<none>', response: null }, 404))
    await expect(verifyWebhook(c, notice)).rejects.toBeInstanceOf(NotFoundError)
  })
})
