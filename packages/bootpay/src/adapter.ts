import {
  defined,
  type LookupResult,
  mapWithConcurrency,
  toBillingKeyError,
  ValidationError,
} from '@billingkey/core'
import type { BootpayClient } from './client'
import { toBillingKey } from './model'
import type { BootpayBillingKey, BootpayBillingKeyAdapter } from './types'

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

    lookupMany: async (refs, { signal, concurrency = 8, onSettled } = {}) =>
      mapWithConcurrency(
        refs,
        concurrency,
        async (ref): Promise<LookupResult<BootpayBillingKey>> => {
          let result: LookupResult<BootpayBillingKey>
          try {
            result = { ref, ok: true, key: await lookup(ref, { signal }) }
          } catch (e) {
            // Only the caller's abort ends the batch; any other failure is this ref's result.
            if (signal?.aborted) throw e
            const error = toBillingKeyError(e, { provider: 'bootpay', operation: 'lookup' })
            result = { ref, ok: false, error }
          }
          // How many refs just settled (not a running total), as every adapter reports it.
          onSettled?.(1)
          return result
        },
        signal,
      ),
  }
}
