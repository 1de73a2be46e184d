import { defined, lookupEach, SCHEDULE_WINDOW_MS } from '@billingkey/core'
import type { PortoneClient } from './client'
import { toBillingKey } from './model'
import { noPayment } from './payments'
import type { ChargeInput, PortoneBillingKeyAdapter } from './types'

/**
 * The adapter `@billingkey/client` takes for PortOne V2: `createBillingKeys({ portone:
 * createPortoneAdapter(portone) })`. A ref is one `GET /billing-keys/{billingKey}` (the list has
 * no filter by key), mapped to the shared model (`toBillingKey`). A separate export, so programs
 * that use the client alone do not bundle the model mapping.
 *
 * `charge` is the client's `chargeBillingKey` with `orderId` as `paymentId` (so its
 * `Idempotency-Key` derives from it), `name` as `orderName`, `amount` and `taxFree` as
 * `amount.total`/`amount.taxFree`, `currency` (default KRW) and `customer` (name as `name.full`,
 * `email`, `phone` as `phoneNumber`); `extra` takes any other field of PortOne's input.
 * `findPayment` is `getPayment`, with PAYMENT_NOT_FOUND as null. `scheduledChargeAfter` is one
 * page (of one) of the key's SCHEDULED schedules, soonest first.
 */
export function createPortoneAdapter(client: PortoneClient): PortoneBillingKeyAdapter {
  const lookup: PortoneBillingKeyAdapter['lookup'] = async (ref, options) =>
    toBillingKey(ref, await client.getBillingKey(ref.billingKey, options))
  return {
    provider: 'portone',
    rateLimit: client.fetch.rateLimit,
    lookup,

    charge: (ref, { orderId, amount, name, currency, taxFree, customer, extra }, options) => {
      const buyer = defined({
        ...extra?.customer,
        name: customer?.name === undefined ? undefined : { full: customer.name },
        email: customer?.email,
        phoneNumber: customer?.phone,
      })
      return client.chargeBillingKey(
        orderId,
        defined({
          ...extra,
          billingKey: ref.billingKey,
          orderName: name,
          amount: defined({ total: amount, taxFree }),
          currency: currency ?? 'KRW',
          customer: Object.keys(buyer).length > 0 ? buyer : undefined,
        }) as ChargeInput,
        options,
      )
    },

    findPayment: (orderId, options) => client.getPayment(orderId, options).catch(noPayment),

    async scheduledChargeAfter(ref, from, { signal } = {}) {
      const { items } = await client.getPaymentSchedulePage(
        {
          page: { number: 0, size: 1 },
          sort: { by: 'TIME_TO_PAY', order: 'ASC' },
          filter: {
            billingKey: ref.billingKey,
            status: ['SCHEDULED'],
            from: from.toISOString(),
            until: new Date(from.getTime() + SCHEDULE_WINDOW_MS).toISOString(),
          },
        },
        { signal },
      )
      const next = items[0]?.timeToPay
      return next === undefined ? null : new Date(next)
    },
    lookupMany: lookupEach('portone', lookup),
  }
}
