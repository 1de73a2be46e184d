import type { BillingKeyError } from './errors'
import type { Logger, LogLevel } from './logger'
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

/** What the facade knows of a provider: each provider package builds one, e.g. `createIamportAdapter(client)`. */
export interface BillingKeyAdapter<P extends ProviderName = ProviderName, Raw = unknown> {
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
   */
  lookupMany(
    refs: readonly ProviderRef<P>[],
    options?: { signal?: AbortSignal; concurrency?: number; onSettled?: (count: number) => void },
  ): Promise<LookupResult<BillingKey<P, Raw>>[]>
}

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
