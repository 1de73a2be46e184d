import { type LookupResult, mapWithConcurrency, toBillingKeyError } from '@billingkey/core'
import type { PortoneClient } from './client'
import { toBillingKey } from './model'
import type { PortoneBillingKey, PortoneBillingKeyAdapter } from './types'

/**
 * The adapter `@billingkey/client` takes for PortOne V2: `createBillingKeys({ portone:
 * createPortoneAdapter(portone) })`. A ref is one `GET /billing-keys/{billingKey}` (the list has
 * no filter by key), mapped to the shared model (`toBillingKey`). A separate export, so programs
 * that use the client alone do not bundle the model mapping.
 */
export function createPortoneAdapter(client: PortoneClient): PortoneBillingKeyAdapter {
  const lookup: PortoneBillingKeyAdapter['lookup'] = async (ref, options) =>
    toBillingKey(ref, await client.getBillingKey(ref.billingKey, options))
  return {
    provider: 'portone',
    rateLimit: client.fetch.rateLimit,
    lookup,
    lookupMany: async (refs, { signal, concurrency = 8, onSettled } = {}) =>
      mapWithConcurrency(
        refs,
        concurrency,
        async (ref): Promise<LookupResult<PortoneBillingKey>> => {
          let result: LookupResult<PortoneBillingKey>
          try {
            result = { ref, ok: true, key: await lookup(ref, { signal }) }
          } catch (e) {
            // Only the caller's abort ends the batch; any other failure is this ref's result.
            if (signal?.aborted) throw e
            const error = toBillingKeyError(e, { provider: 'portone', operation: 'lookup' })
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
