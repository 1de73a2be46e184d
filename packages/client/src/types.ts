import type {
  BillingKey,
  BillingKeyAdapter,
  BillingKeyRef,
  CallOptions,
  ChargeOptions,
  ChargeRequest,
  ChargeResult,
  LookupResult,
  Payment,
  ProviderName,
  RateLimitState,
} from '@billingkey/core'
import type { AuditReport } from './audit'

/**
 * The adapters `createBillingKeys` takes: any subset of the providers, each the adapter its
 * provider package builds on a client (`createIamportAdapter(iamport)`,
 * `createBootpayAdapter(bootpay)`, `createPortoneAdapter(portone)`).
 */
export interface ProviderAdapters {
  // biome-ignore lint/suspicious/noExplicitAny: any provider's extra charge fields
  iamport?: BillingKeyAdapter<'iamport', unknown, unknown, any> | undefined
  // biome-ignore lint/suspicious/noExplicitAny: any provider's extra charge fields
  bootpay?: BillingKeyAdapter<'bootpay', unknown, unknown, any> | undefined
  // biome-ignore lint/suspicious/noExplicitAny: any provider's extra charge fields
  portone?: BillingKeyAdapter<'portone', unknown, unknown, any> | undefined
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

/** The provider a ref names, or the provider itself. */
type ProviderOf<T> = T extends { provider: infer P } ? P : T

/**
 * What `keys.charge(ref, …)` takes for a ref of `R`: the common fields, and in `extra` the
 * optional fields of that provider's own request, as its adapter types them.
 */
export type ChargeRequestOf<A extends ProviderAdapters, R> = R extends { provider: infer P }
  ? P extends keyof A & ProviderName
    ? // biome-ignore lint/suspicious/noExplicitAny: only the extra fields are read
      NonNullable<A[P]> extends BillingKeyAdapter<P, any, any, infer Extra>
      ? ChargeRequest<Extra>
      : never
    : never
  : never

/** A payment of provider `T` (or of the provider of ref `T`), `raw` typed by its adapter. */
export type PaymentOf<A extends ProviderAdapters, T> =
  ProviderOf<T> extends infer P
    ? P extends keyof A & ProviderName
      ? // biome-ignore lint/suspicious/noExplicitAny: only the payment's raw type is read
        NonNullable<A[P]> extends BillingKeyAdapter<P, any, infer Raw, any>
        ? Payment<P, Raw>
        : never
      : never
    : never

/** What a charge of a ref of `R` ends in: paid, declined or unknown, narrowed on `outcome`. */
export type ChargeResultOf<A extends ProviderAdapters, R> = R extends { provider: infer P }
  ? P extends keyof A & ProviderName
    ? // biome-ignore lint/suspicious/noExplicitAny: only the payment's raw type is read
      NonNullable<A[P]> extends BillingKeyAdapter<P, any, infer Raw, any>
      ? ChargeResult<P, Raw>
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
  /**
   * Per configured provider whose adapter reports it (the provider packages' adapters do): its
   * client's `requestsPerSecond` (Infinity: no limit), the `requests` it has started, and
   * `pausedUntil` while a 429 holds every request of that client back.
   */
  rateLimits?: Partial<Record<ProviderName, RateLimitState>>
}

export interface LookupManyOptions {
  /**
   * The most requests in flight at once, across providers (looked up at once, sharing this many
   * slots); an iamport chunk is one. Default 8.
   */
  concurrency?: number
  /**
   * Aborting stops new requests at once, aborts those in flight, and rejects the call with
   * `AbortError` (`TimeoutError` when the signal is an `AbortSignal.timeout()`).
   */
  signal?: AbortSignal
  /**
   * Called synchronously as refs settle, and, with `done` unchanged, the moment a 429 pauses a
   * provider's client (its `rateLimits` entry then has `pausedUntil`): `done` never decreases
   * and ends exactly at `total`. Should it throw, it is not called again, the lookups under way
   * are aborted (no further request starts), and the call rejects with that error.
   */
  onProgress?: (progress: Progress) => void
}

export interface AuditOptions extends LookupManyOptions {
  /** The instant to judge expiry against. Default: when the audit starts. */
  now?: Date
  /** An active key that expires within this many days counts as `expiring`. Default 30. */
  expiringWithinDays?: number
  /**
   * Look for charges scheduled after a key's expiry (`expiresBeforeCharge`). Default true: one
   * request per chargeable key with a known expiry whose provider lists schedules, none for any
   * other key (today no provider reports both, so none at all). `onProgress` has reached `total`
   * before these requests run.
   */
  schedules?: boolean
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
   * iamport refs go out in multi lookups, Bootpay and PortOne refs one request each; a ref given twice is
   * looked up once and its result shared by both positions. Each result's `ref` is the object
   * given at that position.
   */
  lookupMany<R extends RefOf<A>>(
    refs: readonly R[],
    options?: LookupManyOptions,
  ): Promise<LookupResult<KeyOf<A, R>>[]>
  /**
   * Charges the key of `ref` once, through its provider client's safe charge, and returns the
   * outcome as that client proved it, untouched: `paid`, `declined` or `unknown` (narrow on
   * `outcome`). `request.orderId` is your order key (iamport `merchant_uid`, Bootpay `order_id`,
   * PortOne `paymentId`): store it before calling; the facade never invents one and never
   * re-sends. Throws `ValidationError` before any request for a bad ref or request (no
   * `orderId`, an `amount` that is not a positive integer, a provider not configured), and what
   * the client throws when nothing can have been charged. `options` (signal, timeoutMs,
   * deadlineMs, pollIntervalMs) go to the client's charge as they are.
   */
  charge<R extends RefOf<A>>(
    ref: R,
    request: ChargeRequestOf<A, R>,
    options?: ChargeOptions,
  ): Promise<ChargeResultOf<A, R>>
  /**
   * The provider's record of an order (by your `orderId`), or null when it holds none. Give the
   * provider's name or any ref of that provider.
   */
  findPayment<T extends ConfiguredProvider<A> | RefOf<A>>(
    providerOrRef: T,
    orderId: string,
    options?: CallOptions,
  ): Promise<PaymentOf<A, T> | null>
  /** Looks every ref up and sorts it into exactly one count; lists the keys that need action. */
  audit<R extends RefOf<A>>(
    refs: readonly R[],
    options?: AuditOptions,
  ): Promise<AuditReport<KeyOf<A, R>>>
}
