import { type BillingKeyError, NotFoundError, toBillingKeyError } from '@billingkey/core'
import { toBillingKey } from './billing-key'
import { customerUid, type IamportClient, lookups } from './client'
import type { IamportBillingKey, IamportBillingKeyAdapter } from './types'

const provider = 'iamport'

/**
 * The adapter `@billingkey/client` takes for iamport: `createBillingKeys({ iamport:
 * createIamportAdapter(iamport) })`. It maps keys to the shared model (`toBillingKey`), and its
 * `lookupMany` batches through the client's chunked multi lookup, where a failed request fails
 * only the refs it carried. A separate export, so programs that use the client alone do not
 * bundle the model mapping.
 */
export function createIamportAdapter(client: IamportClient): IamportBillingKeyAdapter {
  const lookupInChunks = lookups.get(client)
  if (!lookupInChunks)
    throw new TypeError('createIamportAdapter takes a createIamportClient client')
  return {
    provider,

    lookup: async (ref, callOptions) =>
      toBillingKey(await client.getBillingKey(ref.customerUid, callOptions)),

    async lookupMany(refs, { onSettled, ...callOptions } = {}) {
      const operation = 'getBillingKeys'
      // By customer_uid (or by the invalid value itself): the key, or why there is none.
      const outcomes = new Map<unknown, IamportBillingKey | BillingKeyError>()
      const uids = new Set<string>()
      for (const { customerUid: uid } of refs) {
        try {
          uids.add(customerUid(uid, operation))
        } catch (error) {
          outcomes.set(uid, error as BillingKeyError)
        }
      }
      if (outcomes.size) onSettled?.(outcomes.size)
      await lookupInChunks([...uids], callOptions, (chunk, found) => {
        for (const uid of chunk) {
          try {
            if (found instanceof Error) throw found
            const raw = found.get(uid)
            if (!raw) {
              throw new NotFoundError(`iamport: no billing key under customer_uid ${uid}`, {
                provider,
                operation,
              })
            }
            outcomes.set(uid, toBillingKey(raw))
          } catch (error) {
            outcomes.set(uid, toBillingKeyError(error, { provider, operation }))
          }
        }
        onSettled?.(chunk.length)
      })
      return refs.map((ref) => {
        const outcome = outcomes.get(ref.customerUid) as IamportBillingKey | BillingKeyError
        return outcome instanceof Error
          ? { ref, ok: false, error: outcome }
          : { ref, ok: true, key: outcome }
      })
    },
  }
}
