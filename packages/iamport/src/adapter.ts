import { type BillingKeyError, NotFoundError, toBillingKeyError } from '@billingkey/core'
import type { IamportClient } from './client'
import { toBillingKey } from './model'
import { paymentAdapter } from './payments'
import type { IamportBillingKey, IamportBillingKeyAdapter } from './types'

const provider = 'iamport'

/**
 * The adapter `@billingkey/client` takes for iamport: `createBillingKeys({ iamport:
 * createIamportAdapter(iamport) })`. It maps keys to the shared model (`toBillingKey`), and its
 * `lookupMany` batches through the client's `getBillingKeysInChunks`, where a failed request
 * fails only the refs it carried. A separate export, so programs that use the client alone do
 * not bundle the model mapping.
 *
 * Its `charge`, `findPayment` and `scheduledChargeAfter` are the client's `chargeBillingKey`,
 * `findPayment` and `listSchedules`, mapped in payments.ts (`paymentAdapter`).
 */
export function createIamportAdapter(client: IamportClient): IamportBillingKeyAdapter {
  return {
    provider,
    rateLimit: client.fetch.rateLimit,
    ...paymentAdapter(client),

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
