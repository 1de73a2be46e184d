import {
  type BillingKeyAdapter,
  PROVIDERS,
  type ProviderName,
  ValidationError,
} from '@billingkey/core'
import { factories, howToConfigure } from './refs'

const SLOTS = `{ ${PROVIDERS.map((p) => `${p}?`).join(', ')} }`

/**
 * Checks what `createBillingKeys` was given: an object of provider adapters, at least one, each the
 * adapter its provider package builds (not the client itself).
 */
export function resolveAdapters(input: unknown): Partial<Record<ProviderName, BillingKeyAdapter>> {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError(`createBillingKeys takes an object: ${SLOTS}`, {
      field: 'adapters',
    })
  }
  const adapters: Partial<Record<ProviderName, BillingKeyAdapter>> = {}
  for (const [name, value] of Object.entries(input)) {
    if (!isProvider(name)) {
      throw new ValidationError(
        `createBillingKeys takes ${SLOTS}; '${name.slice(0, 32)}' is not a provider`,
        { field: name },
      )
    }
    if (value === undefined) continue
    const adapter = value as Partial<BillingKeyAdapter> | null
    if (
      adapter?.provider !== name ||
      typeof adapter.lookup !== 'function' ||
      typeof adapter.lookupMany !== 'function'
    ) {
      // A provider client (it has the provider's own calls) is the likely mistake: say so.
      const isClient =
        typeof (value as { getBillingKey?: unknown } | null)?.getBillingKey === 'function'
      throw new ValidationError(
        `createBillingKeys({ ${name} }) takes the adapter ${factories[name].adapter}() from @billingkey/${name} returns${
          isClient ? ', not the client itself' : ''
        }: pass ${howToConfigure(name)}`,
        { field: name, provider: name },
      )
    }
    adapters[name] = adapter as BillingKeyAdapter
  }
  if (Object.keys(adapters).length === 0) {
    throw new ValidationError(`createBillingKeys needs at least one adapter: ${SLOTS}`, {
      field: 'adapters',
    })
  }
  return adapters
}

const isProvider = (name: string): name is ProviderName =>
  (PROVIDERS as readonly string[]).includes(name)
