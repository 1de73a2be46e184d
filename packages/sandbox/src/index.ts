export { formatBanner } from './banner'
export {
  BOOTPAY_RESERVATION_STATUS,
  BOOTPAY_SANDBOX_CODES,
  BOOTPAY_TEST_AMOUNTS,
  type BootpayFeedback,
} from './bootpay-payments'
export {
  DEMO_BOOTPAY_BASIC_CREDENTIALS,
  DEMO_BOOTPAY_CREDENTIALS,
  DEMO_CREDENTIALS,
  DEMO_IAMPORT_CREDENTIALS,
  DEMO_PORTONE_CREDENTIALS,
  type DemoCredentials,
} from './credentials'
export type { ProviderName } from './emulator'
export { FAULT_KINDS, type FaultKind, type FaultRule } from './faults'
export { IAMPORT_TEST_AMOUNTS, type IamportWebhook } from './iamport-payments'
export type { Cancellation, Decline, LedgerAudit, LedgerEntry, LedgerStatus } from './ledger'
export { PORTONE_TEST_AMOUNTS } from './portone-payments'
export {
  createSandbox,
  type GatewayOptions,
  type InProcessSandbox,
  type LatencyOptions,
  type OperationCounts,
  type ProviderLimit,
  type ResponseViolation,
  type Sandbox,
  type SandboxLedger,
  type SandboxOptions,
  type SandboxStats,
  startSandbox,
} from './sandbox'
export {
  DATA_SET_SIZE,
  type DataSetCounts,
  DEFAULT_SAMPLE_COUNTS,
  DEFAULT_SEED,
  dataSetCounts,
  type RefCategory,
  type SampleCounts,
  type SampleRef,
  type SandboxRef,
  sampleRefs,
} from './seed'
