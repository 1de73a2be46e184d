export {
  buildRequest,
  type CallInit,
  type InitOf,
  type Method,
  type Operation,
  type PathsWith,
  type SuccessBody,
} from './caller'
export {
  type ChargeOptions,
  chargeTiming,
  MIN_CHARGE_TIMEOUT_MS,
  type SettleChargeOptions,
  settleCharge,
} from './charge'
export { errorFromResponse, parseRetryAfter, requestIdOf, toBillingKeyError } from './classify'
export { createSlots, defined, mapWithConcurrency, type Slots } from './concurrency'
export * from './errors'
export { createLog, type Log, type Logger, type LogLevel } from './logger'
export type {
  BillingKey,
  BillingKeyAdapter,
  BillingKeyRef,
  BillingKeyStatus,
  BootpayRef,
  CallOptions,
  ChargeRequest,
  ClientOptions,
  IamportRef,
  LookupResult,
  PortoneRef,
  ProviderRef,
} from './model'
export { lookupEach, SCHEDULE_WINDOW_MS } from './model'
export type {
  ChargeDeclined,
  ChargePaid,
  ChargeResult,
  ChargeUnknown,
  Payment,
  PaymentStatus,
} from './payment'
export {
  type Authentication,
  createProviderClient,
  type Failure,
  listOf,
  objectWith,
  type PayloadIsBody,
  type ProviderClient,
  type ProviderClientBase,
  type ProviderDeclaration,
  type Shape,
  type TypedCall,
  type Unwrap,
} from './provider'
export { PROVIDERS, type ProviderName } from './providers'
export {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  type RateLimitState,
  type RateLimitView,
} from './rate-limit'
export {
  hideValues,
  isSecretKey,
  REDACTED,
  redact,
  redactCause,
  redactHeaders,
  redactText,
  withSecretsOf,
} from './redact'
export { abortError, sleep } from './signal'
export { type IssuedToken, TokenCache, type TokenCacheOptions } from './token-cache'
export {
  createTransport,
  type Endpoint,
  type PlainRequest,
  type Reply,
  type Transport,
  type TransportOptions,
} from './transport'
export {
  assertAmount,
  assertFields,
  assertIdentifier,
  assertNonEmptyList,
  assertPathId,
  assertText,
  encodePathSegment,
  failFor,
  openapiOptions,
  serializePath,
} from './validate'
