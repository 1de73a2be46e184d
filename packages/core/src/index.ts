export { type Call, type Caller, type CallInit, type CallResult, createCaller } from './caller'
export { type SettleChargeOptions, settleCharge } from './charge'
export { mapWithConcurrency } from './concurrency'
export {
  AbortError,
  ApiError,
  type ApiErrorClass,
  AuthenticationError,
  BillingKeyError,
  BillingKeyExpiredError,
  ConnectionError,
  type ErrorDetails,
  errorFromResponse,
  isBillingKeyError,
  NotFoundError,
  type ProviderName,
  parseRetryAfter,
  RateLimitError,
  RejectedError,
  ResponseError,
  requestIdOf,
  ServerError,
  TimeoutError,
  toBillingKeyError,
  ValidationError,
} from './errors'
export { createLog, type Log, type Logger, type LogLevel } from './logger'
export type {
  BillingKey,
  BillingKeyAdapter,
  BillingKeyRef,
  BillingKeyStatus,
  BootpayRef,
  CallOptions,
  ClientOptions,
  IamportRef,
  LookupResult,
  ProviderRef,
} from './model'
export type {
  ChargeDeclined,
  ChargePaid,
  ChargeResult,
  ChargeUnknown,
  Payment,
  PaymentStatus,
} from './payment'
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
export { type IssuedToken, TokenCache, type TokenCacheOptions } from './token-cache'
export { createTransport, type Transport, type TransportOptions } from './transport'
export { assertIdentifier, assertNonEmptyList, encodePathSegment, serializePath } from './validate'
