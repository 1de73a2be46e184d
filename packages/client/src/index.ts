// The model, the adapter contract and the errors a facade user handles, so `@billingkey/client`
// is the only import.
export type {
  BillingKey,
  BillingKeyAdapter,
  BillingKeyRef,
  BillingKeyStatus,
  BootpayRef,
  ChargeDeclined,
  ChargeOptions,
  ChargePaid,
  ChargeRequest,
  ChargeResult,
  ChargeUnknown,
  IamportRef,
  LookupResult,
  Payment,
  PaymentStatus,
  PortoneRef,
  ProviderName,
} from '@billingkey/core'
export * from '@billingkey/core/errors'
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
  ChargeRequestOf,
  ChargeResultOf,
  ConfiguredProvider,
  KeyOf,
  LookupManyOptions,
  PaymentOf,
  Progress,
  ProviderAdapters,
  RefOf,
} from './types'
