import {
  type BillingKeyAdapter,
  type BillingKeyRef,
  type LookupResult,
  PROVIDERS,
  ValidationError,
} from '@billingkey/core'
import { resolveAdapters } from './adapters'
import { scheduledAfterExpiry, summarise } from './audit'
import { adapterMethod, checkChargeRequest, providerOf } from './charge'
import { parseRef } from './refs'
import { settle, throwIfAborted } from './schedule'
import type { BillingKeys, ConfiguredProvider, ProviderAdapters } from './types'

const DEFAULT_EXPIRING_WITHIN_DAYS = 30

/**
 * One model and one set of calls over the provider adapters you pass (any subset), each built by
 * its provider package on that provider's client:
 * `createBillingKeys({ iamport: createIamportAdapter(iamport), portone: createPortoneAdapter(portone) })`.
 * The facade only routes refs to the adapters, schedules the requests and summarises the
 * results; it imports no provider code. A charge goes to the provider client's own safe charge,
 * its outcome returned as that client proved it.
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
      const due =
        options.schedules === false
          ? new Map()
          : await scheduledAfterExpiry(configured, settled, now, options)
      return summarise(settled, refs.length, now, days, due) as never
    },

    async charge(ref, request, options) {
      const { ref: parsed } = parseRef(ref, providers)
      checkChargeRequest(request, parsed.provider)
      const charge = adapterMethod(configured[parsed.provider] as BillingKeyAdapter, 'charge')
      // The client's result as it is: the facade neither re-sends nor re-reads an outcome.
      return (await charge(parsed, request as never, options)) as never
    },

    async findPayment(providerOrRef, orderId, options) {
      const provider = providerOf(providerOrRef, providers)
      if (typeof orderId !== 'string' || orderId === '') {
        throw new ValidationError('orderId is required: the order key the charge was sent with', {
          field: 'orderId',
          provider,
          operation: 'findPayment',
        })
      }
      const find = adapterMethod(configured[provider] as BillingKeyAdapter, 'findPayment')
      return (await find(orderId, options)) as never
    },
  }
}
