export type {
  AuditCounts,
  AuditEntry,
  AuditReason,
  AuditReport,
  AuditStatus,
} from './audit'
export {
  type AuditOptions,
  type BillingKeys,
  type ConfiguredProvider,
  createBillingKeys,
  type KeyOf,
  type LookupManyOptions,
  type Progress,
  type ProviderClient,
  type ProviderClients,
  type RefOf,
} from './facade'
