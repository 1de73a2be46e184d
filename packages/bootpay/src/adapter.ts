import { type LookupResult, mapWithConcurrency, toBillingKeyError } from '@billingkey/core'
import type { BootpayClient } from './client'
import { toBillingKey } from './model'
import type { BootpayBillingKey, BootpayBillingKeyAdapter } from './types'

/**
 * The adapter `@billingkey/client` takes for Bootpay: `createBillingKeys({ bootpay:
 * createBootpayAdapter(bootpay) })`. A ref by `receiptId` or by `billingKey` is one request each
 * (Bootpay has no multi lookup), mapped to the shared model (`toBillingKey`). A separate export,
 * so programs that use the client alone do not bundle the model mapping.
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
