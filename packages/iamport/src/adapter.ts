import {
  type BillingKeyError,
  defined,
  NotFoundError,
  SCHEDULE_WINDOW_MS,
  toBillingKeyError,
} from '@billingkey/core'
import type { IamportClient } from './client'
import { toBillingKey } from './model'
import type { IamportBillingKey, IamportBillingKeyAdapter } from './types'

const provider = 'iamport'

/**
 * The adapter `@billingkey/client` takes for iamport: `createBillingKeys({ iamport:
 * createIamportAdapter(iamport) })`. It maps keys to the shared model (`toBillingKey`), and its
 * `lookupMany` batches through the client's `getBillingKeysInChunks`, where a failed request
 * fails only the refs it carried. A separate export, so programs that use the client alone do
 * not bundle the model mapping.
 *
 * `charge` is the client's `chargeBillingKey` with `orderId` as `merchant_uid` (the common fields
 * as `currency`, `tax_free`, `buyer_name`, `buyer_email`, `buyer_tel`; `extra` takes any other
 * field of iamport's request); `findPayment` its `findPayment`; `scheduledChargeAfter` one
 * `listSchedules` of the key's pending schedules.
 */
export function createIamportAdapter(client: IamportClient): IamportBillingKeyAdapter {
  return {
    provider,
    rateLimit: client.fetch.rateLimit,

    charge: (ref, { orderId, amount, name, currency, taxFree, customer, extra }, options) =>
      client.chargeBillingKey(
        ref.customerUid,
        defined({
          ...extra,
          merchantUid: orderId,
          amount,
          name,
          currency,
          tax_free: taxFree,
          buyer_name: customer?.name,
          buyer_email: customer?.email,
          buyer_tel: customer?.phone,
        }),
        options,
      ),

    findPayment: (orderId, options) => client.findPayment(orderId, options),

    async scheduledChargeAfter(ref, from, { signal } = {}) {
      const { list } = await client.listSchedules(ref.customerUid, {
        from,
        to: new Date(from.getTime() + SCHEDULE_WINDOW_MS),
        status: 'scheduled',
        signal,
      })
      const first = Math.min(
        ...list.flatMap(({ schedule_at }) =>
          typeof schedule_at === 'number' ? [schedule_at] : [],
        ),
      )
      return Number.isFinite(first) ? new Date(first * 1000) : null
    },

    lookup: async (ref, callOptions) =>
      toBillingKey(await client.getBillingKey(ref.customerUid, callOptions)),

    async lookupMany(refs, { onSettled, ...callOptions } = {}) {
      const operation = 'getBillingKeys'
      // By customer_uid (or by the invalid value itself): the key, or why there is none.
      const outcomes = new Map<unknown, IamportBillingKey | BillingKeyError>()
      await client.getBillingKeysInChunks(
        refs.map((ref) => ref.customerUid),
        (chunk, found) => {
          for (const uid of chunk) {
            try {
              if (found instanceof Error) throw found
              const raw = found.get(uid as string)
              if (!raw) {
                throw new NotFoundError(
                  `iamport ${operation} failed: ${NotFoundError.reason} (not among the keys iamport returned)`,
                  { provider, operation },
                )
              }
              outcomes.set(uid, toBillingKey(raw))
            } catch (error) {
              outcomes.set(uid, toBillingKeyError(error, { provider, operation }))
            }
          }
          onSettled?.(chunk.length)
        },
        callOptions,
      )
      return refs.map((ref) => {
        const outcome = outcomes.get(ref.customerUid) as IamportBillingKey | BillingKeyError
        return outcome instanceof Error
          ? { ref, ok: false, error: outcome }
          : { ref, ok: true, key: outcome }
      })
    },
  }
}
