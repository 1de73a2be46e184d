import { defined, lookupEach, ValidationError } from '@billingkey/core'
import type { BootpayClient } from './client'
import { toBillingKey } from './model'
import type { BootpayBillingKeyAdapter } from './types'

/**
 * The adapter `@billingkey/client` takes for Bootpay: `createBillingKeys({ bootpay:
 * createBootpayAdapter(bootpay) })`. A ref by `receiptId` or by `billingKey` is one request each
 * (Bootpay has no multi lookup), mapped to the shared model (`toBillingKey`). A separate export,
 * so programs that use the client alone do not bundle the model mapping.
 *
 * `charge` is the client's `chargeBillingKey` with `orderId` as `order_id`, `amount` as `price`,
 * `name` as `order_name` (`taxFree` as `tax_free`, `customer` as `user`; `extra` takes any other
 * field of Bootpay's request). A ref by `receiptId` first looks its billing key up (one GET; a
 * failure there charges nothing). Bootpay charges only KRW. `findPayment` is the client's lookup by
 * `order_id`. Bootpay lists no key's reservations, so this adapter has no `scheduledChargeAfter`.
 */
export function createBootpayAdapter(client: BootpayClient): BootpayBillingKeyAdapter {
  const lookup: BootpayBillingKeyAdapter['lookup'] = async (ref, options) =>
    toBillingKey(
      ref,
      'receiptId' in ref
        ? await client.getBillingKeyByReceipt(ref.receiptId, options)
        : await client.getBillingKey(ref.billingKey, options),
    )
  return {
    provider: 'bootpay',
    rateLimit: client.fetch.rateLimit,
    lookup,

    async charge(ref, { orderId, amount, name, currency, taxFree, customer, extra }, options) {
      if (currency !== undefined && currency !== 'KRW')
        throw new ValidationError('currency must be KRW: Bootpay charges no other currency', {
          field: 'currency',
          provider: 'bootpay',
          operation: 'chargeBillingKey',
        })
      const billingKey =
        'receiptId' in ref
          ? (await client.getBillingKeyByReceipt(ref.receiptId, options)).billing_key
          : ref.billingKey
      const user = defined({
        ...extra?.user,
        username: customer?.name,
        email: customer?.email,
        phone: customer?.phone,
      })
      return client.chargeBillingKey(
        defined({
          ...extra,
          billingKey,
          orderId,
          price: amount,
          orderName: name,
          tax_free: taxFree,
          user: Object.keys(user).length > 0 ? user : undefined,
        }),
        options,
      )
    },

    findPayment: (orderId, options) => client.findPayment(orderId, options),

    lookupMany: lookupEach('bootpay', lookup),
  }
}
