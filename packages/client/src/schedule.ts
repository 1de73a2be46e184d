import {
  AbortError,
  abortError,
  type BillingKeyAdapter,
  type BillingKeyRef,
  createSlots,
  type LookupResult,
  PROVIDERS,
  type ProviderName,
  type RateLimitState,
  type RateLimitView,
  type Slots,
  TimeoutError,
  toBillingKeyError,
  ValidationError,
} from '@billingkey/core'
import type { Settled } from './audit'
import { is } from './is'
import { parseRef } from './refs'
import type { LookupManyOptions } from './types'

/** The adapters `createBillingKeys` accepted, by provider. */
export type Configured = Partial<Record<ProviderName, BillingKeyAdapter>>

const DEFAULT_CONCURRENCY = 8

/**
 * Looks every distinct valid ref up across the configured providers, all at once within one
 * concurrency bound; one entry per distinct ref (or per invalid ref).
 */
export async function settle(
  configured: Configured,
  providers: readonly ProviderName[],
  refs: unknown,
  options: LookupManyOptions = {},
): Promise<Settled[]> {
  const { signal, onProgress } = options
  const concurrency = positiveInteger(options.concurrency, 'concurrency', DEFAULT_CONCURRENCY)
  if (!Array.isArray(refs)) {
    throw new ValidationError('refs must be an array of billing-key refs', { field: 'refs' })
  }
  throwIfAborted(signal)

  const settled: Settled[] = []
  const byKey = new Map<string, Settled>()
  const pending = Object.fromEntries(
    PROVIDERS.map((provider) => [provider, []]),
  ) as unknown as Record<ProviderName, { ref: BillingKeyRef; entry: Settled }[]>
  let done = 0
  refs.forEach((input: unknown, index) => {
    let parsed: ReturnType<typeof parseRef>
    try {
      parsed = parseRef(input, providers)
    } catch (error) {
      const failure = toBillingKeyError(error, { operation: 'lookupMany' })
      settled.push({
        ref: input,
        indexes: [index],
        result: { ref: input as BillingKeyRef, ok: false, error: failure },
      })
      done++
      return
    }
    const known = byKey.get(parsed.key)
    if (known) {
      known.indexes.push(index)
      return
    }
    // Filled in when its provider's lookups settle, before `settle` returns.
    const entry: Settled = { ref: input, indexes: [index], result: undefined as never }
    byKey.set(parsed.key, entry)
    settled.push(entry)
    pending[parsed.ref.provider].push({ ref: parsed.ref, entry })
  })

  const total = refs.length
  // A throwing onProgress must not read as failed lookups inside an adapter: it is kept, the
  // lookups under way are stopped, and the call rejects with it.
  let thrown: { error: unknown } | undefined
  // What the adapters get: the caller's signal, or the stop after a throwing onProgress.
  const stop = new AbortController()
  const follow = () => stop.abort(signal?.reason)
  signal?.addEventListener('abort', follow)
  // The rate and any 429 pause of each provider's client, in every report; a pause is reported
  // as it starts, since nothing of that provider settles until it ends.
  const limits = providers.flatMap((provider) => {
    const view = configured[provider]?.rateLimit
    return onProgress && view ? [[provider, view] as const] : []
  })
  const report = (count: number) => {
    done += count
    if (!onProgress || thrown) return
    try {
      onProgress(limits.length ? { done, total, rateLimits: rateLimits(limits) } : { done, total })
    } catch (error) {
      thrown = { error }
      stop.abort(error)
    }
  }
  const rethrow = () => {
    if (thrown) throw thrown.error
  }
  const stopWatching = limits.map(([, view]) => view.onPause(() => report(0)))
  try {
    report(0)
    rethrow()
    await lookUp()
  } finally {
    for (const unwatch of stopWatching) unwatch()
    signal?.removeEventListener('abort', follow)
  }
  return settled

  async function lookUp() {
    // Every provider at once, under one bound: each provider's lookups take their slots from the
    // same pool, so at most `concurrency` requests are in flight across all of them, and a
    // provider held back by its own rate limit leaves the others to use the pool.
    const slots = createSlots(concurrency)
    const runs = await Promise.allSettled(
      providers.map((provider) => pending[provider].length > 0 && lookUpProvider(provider, slots)),
    )
    rethrow()
    throwIfAborted(signal)
    for (const run of runs) if (run.status === 'rejected') throw run.reason
  }

  async function lookUpProvider(provider: ProviderName, slots: Slots) {
    const group = pending[provider]
    const groupTotal = group.reduce((sum, { entry }) => sum + entry.indexes.length, 0)
    let reported = 0
    // `count`: how many of the refs passed just settled (a delta). The other positions of a
    // duplicate are added once the group is done.
    const onSettled = (count: number) => {
      const next = Math.min(reported + count, group.length)
      if (next > reported) report(next - reported)
      reported = next
    }
    const adapter = configured[provider] as BillingKeyAdapter
    let results: LookupResult[]
    try {
      results = await adapter.lookupMany(
        group.map(({ ref }) => ref),
        { signal: stop.signal, concurrency: slots, onSettled },
      )
    } catch (error) {
      if (stop.signal.aborted)
        throw is(error, AbortError) || is(error, TimeoutError) ? error : abortError(stop.signal)
      // The adapter promises per-ref failures; should a whole group fail anyway, say so per ref.
      const failure = toBillingKeyError(error, { provider, operation: 'lookupMany' })
      results = group.map(({ ref }) => ({ ref, ok: false, error: failure }))
    }
    if (results.length !== group.length) {
      throw new Error(
        `The ${provider} adapter returned ${results.length} results for ${group.length} refs`,
      )
    }
    group.forEach(({ entry }, i) => {
      entry.result = results[i] as LookupResult
    })
    report(groupTotal - reported)
  }
}

function rateLimits(
  views: readonly (readonly [ProviderName, RateLimitView])[],
): Partial<Record<ProviderName, RateLimitState>> {
  return Object.fromEntries(views.map(([provider, view]) => [provider, view.state()]))
}

function positiveInteger(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValidationError(`options.${field} must be a positive integer`, { field })
  }
  return value
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal)
}
