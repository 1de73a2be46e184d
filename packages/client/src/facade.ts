import {
  type BillingKeyAdapter,
  type BillingKeyRef,
  type LookupResult,
  PROVIDERS,
  ValidationError,
} from '@billingkey/core'
import { resolveAdapters } from './adapters'
import { summarise } from './audit'
import { parseRef } from './refs'
import { settle, throwIfAborted } from './schedule'
import type { BillingKeys, ConfiguredProvider, ProviderAdapters } from './types'

const DEFAULT_EXPIRING_WITHIN_DAYS = 30

/**
 * One model and one set of calls over the provider adapters you pass (any subset), each built by
 * its provider package on that provider's client:
 * `createBillingKeys({ iamport: createIamportAdapter(iamport), portone: createPortoneAdapter(portone) })`.
 * The facade only routes refs to the adapters, schedules the requests and summarises the
 * results; it imports no provider code.
 */
export function createBillingKeys<A extends ProviderAdapters>(adapters: A): BillingKeys<A> {
  const configured = resolveAdapters(adapters)
  const providers = PROVIDERS.filter((p) => configured[p]) as ConfiguredProvider<A>[]

  return {
    providers,

    async lookup(ref, options) {
      const { ref: parsed } = parseRef(ref, providers)
      throwIfAborted(options?.signal)
      const adapter = configured[parsed.provider] as BillingKeyAdapter
      return (await adapter.lookup(parsed, options)) as never
    },

    async lookupMany(refs, options) {
      const settled = await settle(configured, providers, refs, options)
      const results: LookupResult[] = new Array(refs.length)
      for (const { indexes, result } of settled) {
        for (const index of indexes) {
          // Every position gets its own ref back (duplicates share the key or error object).
          const ref = refs[index] as BillingKeyRef
          results[index] = result.ok
            ? { ref, ok: true, key: result.key }
            : { ref, ok: false, error: result.error }
        }
      }
      return results as never
    },

    async audit(refs, options = {}) {
      const now = options.now ?? new Date()
      if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
        throw new ValidationError('options.now must be a valid Date', { field: 'now' })
      }
      const days = options.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS
      if (typeof days !== 'number' || !(days >= 0) || !Number.isFinite(days)) {
        throw new ValidationError('options.expiringWithinDays must be a finite number ≥ 0', {
          field: 'expiringWithinDays',
        })
      }
      const settled = await settle(configured, providers, refs, options)
      return summarise(settled, refs.length, now, days) as never
    },
  }
}
