// The model, the adapter contract and the errors a facade user handles, so `@billingkey/client`
// is the only import.
export {
  AbortError,
  ApiError,
  AuthenticationError,
  type BillingKey,
  type BillingKeyAdapter,
  BillingKeyError,
  BillingKeyExpiredError,
  type BillingKeyRef,
  type BillingKeyStatus,
  type BootpayRef,
  ConnectionError,
  type IamportRef,
  isBillingKeyError,
  type LookupResult,
  NotFoundError,
  type ProviderName,
  RateLimitError,
  RejectedError,
  ResponseError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '@billingkey/core'
export type {
  AuditCounts,
  AuditEntry,
  AuditReason,
  AuditReport,
  AuditStatus,
} from './audit'
export { createBillingKeys } from './facade'
export type {
  AuditOptions,
  BillingKeys,
  ConfiguredProvider,
  KeyOf,
  LookupManyOptions,
  Progress,
  ProviderAdapters,
  RefOf,
} from './types'
