import {
  AbortError,
  type BillingKey,
  type BillingKeyAdapter,
  type BillingKeyError,
  type BillingKeyRef,
  type LookupResult,
  type ProviderName,
  TimeoutError,
  toBillingKeyError,
  ValidationError,
} from '@billingkey/core'
import { type AuditReport, type Settled, summarise } from './audit'
import { is } from './is'
import { factories, howToConfigure, parseRef } from './refs'

/**
 * The adapters `createBillingKeys` takes: any subset of the providers, each the adapter its
 * provider package builds on a client (`createIamportAdapter(iamport)`,
 * `createBootpayAdapter(bootpay)`).
 */
export interface ProviderAdapters {
  iamport?: BillingKeyAdapter<'iamport', unknown> | undefined
  bootpay?: BillingKeyAdapter<'bootpay', unknown> | undefined
}

/** The providers configured in `A`. */
export type ConfiguredProvider<A extends ProviderAdapters> = {
  [P in ProviderName]-?: P extends keyof A
    ? [NonNullable<A[P]>] extends [never]
      ? never
      : P
    : never
}[ProviderName]

/** The refs a facade over `A` accepts: only those of configured providers. */
export type RefOf<A extends ProviderAdapters> = Extract<
  BillingKeyRef,
  { provider: ConfiguredProvider<A> }
>

/** The key a lookup of `R` resolves to, with `raw` typed by that provider's adapter. */
export type KeyOf<A extends ProviderAdapters, R> = R extends { provider: infer P }
  ? P extends keyof A & ProviderName
    ? NonNullable<A[P]> extends BillingKeyAdapter<P, infer Raw>
      ? BillingKey<P, Raw>
      : never
    : never
  : never

export interface Progress {
  /**
   * Refs settled so far: a bad ref at once, a distinct ref when its lookup settles, and the other
   * positions of a ref given more than once when its provider's lookups are all done.
   */
  done: number
  /** Every ref given, duplicates and invalid refs included. */
  total: number
}

export interface LookupManyOptions {
  /** The most requests in flight at once, across providers; an iamport chunk is one. Default 8. */
  concurrency?: number
  /**
   * Aborting stops new requests at once, aborts those in flight, and rejects the call with
   * `AbortError` (`TimeoutError` when the signal is an `AbortSignal.timeout()`).
   */
  signal?: AbortSignal
  /**
   * Called synchronously as refs settle: `done` only grows and ends exactly at `total`. Should it
   * throw, it is not called again, and the call rejects with that error once the lookups of the
   * provider under way are done (no other provider's lookups start).
   */
  onProgress?: (progress: Progress) => void
}

export interface AuditOptions extends LookupManyOptions {
  /** The instant to judge expiry against. Default: when the audit starts. */
  now?: Date
  /** An active key that expires within this many days counts as `expiring`. Default 30. */
  expiringWithinDays?: number
}

export interface BillingKeys<A extends ProviderAdapters> {
  /** The configured providers, in the order `lookupMany` visits them. */
  readonly providers: readonly ConfiguredProvider<A>[]
  /**
   * Looks one key up. Throws `ValidationError` for a bad ref (before any request), `NotFoundError`
   * when the provider does not know the key, and the other typed errors of core.
   */
  lookup<R extends RefOf<A>>(ref: R, options?: { signal?: AbortSignal }): Promise<KeyOf<A, R>>
  /**
   * One result per ref, in input order. A failure (a bad ref, an unknown key, a provider error) is
   * that ref's `{ ok: false, error }`; only an abort rejects the whole call, with `AbortError`.
   * iamport refs go out in multi lookups, Bootpay refs one request each; a ref given twice is
   * looked up once and its result shared by both positions. Each result's `ref` is the object
   * given at that position.
   */
  lookupMany<R extends RefOf<A>>(
    refs: readonly R[],
    options?: LookupManyOptions,
  ): Promise<LookupResult<KeyOf<A, R>>[]>
  /** Looks every ref up and sorts it into exactly one count; lists the keys that need action. */
  audit<R extends RefOf<A>>(
    refs: readonly R[],
    options?: AuditOptions,
  ): Promise<AuditReport<KeyOf<A, R>>>
}

const PROVIDERS: readonly ProviderName[] = ['iamport', 'bootpay']
const DEFAULT_CONCURRENCY = 8
const DEFAULT_EXPIRING_WITHIN_DAYS = 30

/**
 * One model and one set of calls over the provider adapters you pass (any subset), each built by
 * its provider package on that provider's client:
 * `createBillingKeys({ iamport: createIamportAdapter(iamport), bootpay: createBootpayAdapter(bootpay) })`.
 * The facade only routes refs to the adapters, schedules the requests and summarises the
 * results; it imports no provider code.
 */
export function createBillingKeys<A extends ProviderAdapters>(adapters: A): BillingKeys<A> {
  const configured = resolveAdapters(adapters)
  const providers = PROVIDERS.filter((p) => configured[p]) as ConfiguredProvider<A>[]

  /** Looks every distinct valid ref up; one entry per distinct ref (or per invalid ref). */
  async function settle(refs: unknown, options: LookupManyOptions = {}): Promise<Settled[]> {
    const { signal, onProgress } = options
    const concurrency = positiveInteger(options.concurrency, 'concurrency', DEFAULT_CONCURRENCY)
    if (!Array.isArray(refs)) {
      throw new ValidationError('refs must be an array of billing-key refs', { field: 'refs' })
    }
    throwIfAborted(signal)

    const settled: Settled[] = []
    const byKey = new Map<string, Settled>()
    const pending: Record<ProviderName, { ref: BillingKeyRef; entry: Settled }[]> = {
      iamport: [],
      bootpay: [],
    }
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
    // A throwing onProgress must not read as failed lookups inside an adapter: it is kept, and
    // the call rejects with it once the current provider's lookups are done.
    let thrown: { error: unknown } | undefined
    const report = (count: number) => {
      done += count
      if (!onProgress || thrown) return
      try {
        onProgress({ done, total })
      } catch (error) {
        thrown = { error }
      }
    }
    const rethrow = () => {
      if (thrown) throw thrown.error
    }
    report(0)
    rethrow()

    // One provider after the other, each with the whole concurrency budget: the bound holds at
    // every instant, and the batch takes no longer than with the budget split between them.
    for (const provider of providers) {
      const group = pending[provider]
      if (group.length === 0) continue
      throwIfAborted(signal)
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
          { signal, concurrency, onSettled },
        )
      } catch (error) {
        if (signal?.aborted)
          throw is(error, AbortError) || is(error, TimeoutError) ? error : abortError(signal)
        // The adapter promises per-ref failures; should a whole group fail anyway, say so per ref.
        const failure = toBillingKeyError(error, { provider, operation: 'lookupMany' })
        results = group.map(({ ref }) => ({ ref, ok: false, error: failure }))
      }
      throwIfAborted(signal)
      if (results.length !== group.length) {
        throw new Error(
          `The ${provider} adapter returned ${results.length} results for ${group.length} refs`,
        )
      }
      group.forEach(({ entry }, i) => {
        entry.result = results[i] as LookupResult
      })
      report(groupTotal - reported)
      rethrow()
    }
    return settled
  }

  return {
    providers,

    async lookup(ref, options) {
      const { ref: parsed } = parseRef(ref, providers)
      throwIfAborted(options?.signal)
      const adapter = configured[parsed.provider] as BillingKeyAdapter
      return (await adapter.lookup(parsed, options)) as never
    },

    async lookupMany(refs, options) {
      const settled = await settle(refs, options)
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
      const settled = await settle(refs, options)
      return summarise(settled, refs.length, now, days) as never
    },
  }
}

function resolveAdapters(input: unknown): Partial<Record<ProviderName, BillingKeyAdapter>> {
  if (typeof input !== 'object' || input === null) {
    throw new ValidationError('createBillingKeys takes an object: { iamport?, bootpay? }', {
      field: 'adapters',
    })
  }
  const adapters: Partial<Record<ProviderName, BillingKeyAdapter>> = {}
  for (const [name, value] of Object.entries(input)) {
    if (name !== 'iamport' && name !== 'bootpay') {
      throw new ValidationError(
        `createBillingKeys takes { iamport?, bootpay? }; '${name.slice(0, 32)}' is not a provider`,
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
  if (!adapters.iamport && !adapters.bootpay) {
    throw new ValidationError(
      'createBillingKeys needs at least one adapter: { iamport?, bootpay? }',
      { field: 'adapters' },
    )
  }
  return adapters
}

function positiveInteger(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValidationError(`options.${field} must be a positive integer`, { field })
  }
  return value
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal)
}

/** As core does: the caller's abort is an `AbortError`, an `AbortSignal.timeout()` a `TimeoutError`. */
function abortError(signal: AbortSignal): BillingKeyError {
  const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError'
  return new (timedOut ? TimeoutError : AbortError)(
    "billing-key lookups stopped: the caller's signal fired",
    { cause: signal.reason },
  )
}
