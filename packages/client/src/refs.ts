import { type BillingKeyRef, PROVIDERS, type ProviderName, ValidationError } from '@billingkey/core'

/** A ref checked for shape and reduced to exactly core's `BillingKeyRef`, with its dedupe key. */
export interface ParsedRef {
  ref: BillingKeyRef
  /** `provider:idKind:id`: two refs with the same key name the same billing key. */
  key: string
}

const idKinds: Record<ProviderName, readonly ('customerUid' | 'receiptId' | 'billingKey')[]> = {
  iamport: ['customerUid'],
  bootpay: ['receiptId', 'billingKey'],
  portone: ['billingKey'],
}

/** How to build each provider's adapter, for the messages that ask for one. */
export const factories: Record<ProviderName, { adapter: string; client: string }> = {
  iamport: { adapter: 'createIamportAdapter', client: 'createIamportClient' },
  bootpay: { adapter: 'createBootpayAdapter', client: 'createBootpayClient' },
  portone: { adapter: 'createPortoneAdapter', client: 'createPortoneClient' },
}

/** `bootpay: createBootpayAdapter(createBootpayClient(…))`: what to pass for `provider`. */
export const howToConfigure = (provider: ProviderName): string =>
  `${provider}: ${factories[provider].adapter}(${factories[provider].client}(…))`

const example =
  "{ provider: 'iamport', customerUid }, { provider: 'bootpay', receiptId | billingKey } or { provider: 'portone', billingKey }"

/**
 * Checks what the facade can check without knowing a provider's rules: the ref is an object, its
 * provider is one that was configured, and it names exactly one non-empty id. Length and character
 * rules are the provider's (its adapter validates them before any request).
 */
export function parseRef(value: unknown, configured: readonly ProviderName[]): ParsedRef {
  if (typeof value !== 'object' || value === null) {
    throw new ValidationError(`A billing-key ref must be an object: ${example}`, { field: 'ref' })
  }
  const { provider } = value as { provider?: unknown }
  if (!isProvider(provider)) {
    throw new ValidationError(
      `ref.provider must be one of ${PROVIDERS.map((p) => `'${p}'`).join(', ')}, got ${
        typeof provider === 'string' && provider.length <= 32 ? `'${provider}'` : describe(provider)
      }`,
      { field: 'ref.provider' },
    )
  }
  if (!configured.includes(provider)) {
    throw new ValidationError(
      `ref.provider is '${provider}', but no ${provider} adapter was configured: pass ${howToConfigure(provider)} to createBillingKeys`,
      { field: 'ref.provider', provider },
    )
  }
  const kinds = idKinds[provider]
  const present = kinds.filter((kind) => (value as Record<string, unknown>)[kind] !== undefined)
  const kind = present[0]
  if (kind === undefined || present.length > 1) {
    const fields = kinds.map((k) => `ref.${k}`).join(' or ')
    throw new ValidationError(`A ${provider} ref needs exactly one of ${fields}`, {
      field: present.length > 1 ? 'ref' : `ref.${kinds[0]}`,
      provider,
    })
  }
  const id = (value as Record<string, unknown>)[kind]
  if (typeof id !== 'string' || id.length === 0) {
    throw new ValidationError(`ref.${kind} must be a non-empty string, got ${describe(id)}`, {
      field: `ref.${kind}`,
      provider,
    })
  }
  return {
    ref: { provider, [kind]: id } as unknown as BillingKeyRef,
    key: `${provider}:${kind}:${id}`,
  }
}

const isProvider = (value: unknown): value is ProviderName =>
  (PROVIDERS as readonly unknown[]).includes(value)

/** Names a bad value without echoing it (an id could be anything a CSV row held). */
function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'string') return value.length === 0 ? 'an empty string' : 'a string'
  return typeof value === 'undefined' ? 'nothing' : `a ${typeof value}`
}
