import type { ChargeOptions } from './charge'
import { toBillingKeyError } from './classify'
import { mapWithConcurrency, type Slots } from './concurrency'
import type { BillingKeyError } from './errors'
import type { Logger, LogLevel } from './logger'
import type { ChargeResult, Payment } from './payment'
import type { ProviderName } from './providers'
import type { RateLimitView } from './rate-limit'

export type IamportRef = { provider: 'iamport'; customerUid: string }
export type BootpayRef =
  | { provider: 'bootpay'; receiptId: string }
  | { provider: 'bootpay'; billingKey: string }
export type PortoneRef = { provider: 'portone'; billingKey: string }
export type BillingKeyRef = IamportRef | BootpayRef | PortoneRef
/**
 * The ref type of provider `P`. An indexed map rather than `Extract<…>`, so `BillingKey<'iamport'>`
 * stays assignable to `BillingKey` (TypeScript cannot relate a deferred `Extract` to the union).
 */
export type ProviderRef<P extends ProviderName> = {
  iamport: IamportRef
  bootpay: BootpayRef
  portone: PortoneRef
}[P]

export type BillingKeyStatus = 'active' | 'expired' | 'deleted'

/** One stored billing key, the same shape whichever provider holds it. */
export interface BillingKey<P extends ProviderName = ProviderName, Raw = unknown> {
  provider: P
  ref: ProviderRef<P>
  status: BillingKeyStatus
  method: 'card' | 'bank' | 'unknown'
  card?: {
    issuer: string | null
    issuerCode: string | null
    maskedNumber: string | null
    kind: 'credit' | 'check' | null
  }
  bank?: {
    name: string | null
    code: string | null
    maskedAccount: string | null
    holder: string | null
  }
  customer?: {
    name: string | null
    phone: string | null
    email: string | null
    address: string | null
    postcode: string | null
  }
  pg: { provider: string; merchantId: string | null }
  sandbox: boolean
  issuedAt: Date
  updatedAt: Date | null
  expiresAt: Date | null
  /** The provider's own payload, its generated type. */
  raw: Raw
}

export type LookupResult<K extends { ref: BillingKeyRef } = BillingKey> =
  | { ref: K['ref']; ok: true; key: K }
  | { ref: K['ref']; ok: false; error: BillingKeyError }

/**
 * One charge as the facade takes it, the same for every provider; each adapter maps it onto its
 * provider's request (`orderId` is iamport `merchant_uid`, Bootpay `order_id`, PortOne
 * `paymentId`). `extra` carries the provider's own optional fields, as the provider names them.
 */
export interface ChargeRequest<Extra = Record<string, unknown>> {
  /** Your order key, stored before the call and reused for any retry of the same charge. */
  orderId: string
  /** What to charge, a positive integer in the currency's unit. */
  amount: number
  /** The product name the customer sees. */
  name: string
  /** ISO 4217. Default `KRW` (the only currency Bootpay's charge takes). */
  currency?: string
  /** The tax-free part of `amount`. */
  taxFree?: number
  /** The buyer, as far as you know them. */
  customer?: { name?: string; email?: string; phone?: string }
  /** The provider's own optional fields; the fields above win over any of the same meaning. */
  extra?: Extra
}

/** What the facade knows of a provider: each provider package builds one, e.g. `createIamportAdapter(client)`. */
export interface BillingKeyAdapter<
  P extends ProviderName = ProviderName,
  Raw = unknown,
  PaymentRaw = unknown,
  Extra = Record<string, unknown>,
> {
  readonly provider: P
  /**
   * The rate limit of the client the adapter is built on (`client.fetch.rateLimit`), so that
   * `@billingkey/client` can report the rate and any 429 pause in its progress.
   */
  readonly rateLimit?: RateLimitView
  lookup(ref: ProviderRef<P>, options?: { signal?: AbortSignal }): Promise<BillingKey<P, Raw>>
  /**
   * One result per ref, in order. May batch. A failure of one ref (or one chunk) is that ref's
   * `{ ok: false }`; only an abort rejects (AbortError), and then no further request starts.
   * `onSettled(count)` reports how many of `refs` just settled (a delta, not a running total).
   * `concurrency` bounds the requests in flight: a number, or `Slots` the facade shares between
   * the providers it looks up at once.
   */
  lookupMany(
    refs: readonly ProviderRef<P>[],
    options?: {
      signal?: AbortSignal
      concurrency?: number | Slots
      onSettled?: (count: number) => void
    },
  ): Promise<LookupResult<BillingKey<P, Raw>>[]>
  /**
   * Charges the key once through the provider client's safe charge, its outcome as the client
   * proved it. Absent on adapters built before charging came to the facade.
   */
  charge?(
    ref: ProviderRef<P>,
    request: ChargeRequest<Extra>,
    options?: ChargeOptions,
  ): Promise<ChargeResult<P, PaymentRaw>>
  /** The provider's record of an order, or null when it holds none. */
  findPayment?(orderId: string, options?: CallOptions): Promise<Payment<P, PaymentRaw> | null>
  /**
   * When the key's earliest pending scheduled charge at or after `from` (and within 90 days of
   * it, `SCHEDULE_WINDOW_MS`) is due, or null when there is none: one request. Absent where the
   * provider lists no schedules of a key (Bootpay).
   */
  scheduledChargeAfter?(
    ref: ProviderRef<P>,
    from: Date,
    options?: CallOptions,
  ): Promise<Date | null>
}

/**
 * An adapter's `lookupMany` for a provider with no batch lookup: `lookup` once per ref, at most
 * `concurrency` (default 8) at a time, results in the refs' order. A ref's failure is its
 * `{ ok: false }`, the error typed (`toBillingKeyError`, operation `lookup`); only the caller's
 * abort rejects the batch, and then no further lookup starts. `onSettled(1)` as each ref settles.
 */
export const lookupEach =
  <P extends ProviderName, Raw>(
    provider: P,
    lookup: BillingKeyAdapter<P, Raw>['lookup'],
  ): BillingKeyAdapter<P, Raw>['lookupMany'] =>
  (refs, { signal, concurrency = 8, onSettled } = {}) =>
    mapWithConcurrency(
      refs,
      concurrency,
      async (ref) => {
        let result: LookupResult<BillingKey<P, Raw>>
        try {
          result = { ref, ok: true, key: await lookup(ref, { signal }) }
        } catch (e) {
          if (signal?.aborted) throw e
          result = {
            ref,
            ok: false,
            error: toBillingKeyError(e, { provider, operation: 'lookup' }),
          }
        }
        onSettled?.(1)
        return result
      },
      signal,
    )

/**
 * How far past `from` an adapter's `scheduledChargeAfter` looks: 90 days (iamport lists at most
 * 3 months of schedules at once). A literal (90 × 86 400 000 ms): a bundle that does not use it
 * drops it, which it would not do with the product.
 */
export const SCHEDULE_WINDOW_MS = 7_776_000_000

/** The options every provider client factory takes after its credentials. */
export interface ClientOptions {
  /** Default: the provider's production API. */
  baseUrl?: string
  /** Default: `globalThis.fetch`, looked up at call time. */
  fetch?: typeof fetch
  /** Per attempt, headers and body. Default 30 000. */
  timeoutMs?: number
  /** All attempts and backoff sleeps together. Default 120 000. */
  deadlineMs?: number
  /** Retries of idempotent calls; 0 disables. Default 2. */
  maxRetries?: number
  /**
   * Requests per second over every call of this client (token calls included), evenly spaced.
   * Default: no limit, as none of the providers documents one. Whatever the rate, a 429 pauses
   * the whole client for its Retry-After.
   */
  requestsPerSecond?: number
  logger?: Logger
  /** Default `info` when a logger is given. */
  logLevel?: LogLevel
}

/** Per-call options, the optional last argument of every client method. */
export interface CallOptions {
  signal?: AbortSignal
}
