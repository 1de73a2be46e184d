export { formatBanner } from './banner'
export {
  DEMO_BOOTPAY_BASIC_CREDENTIALS,
  DEMO_BOOTPAY_CREDENTIALS,
  DEMO_CREDENTIALS,
  DEMO_IAMPORT_CREDENTIALS,
  type DemoCredentials,
} from './credentials'
export type { ProviderName } from './emulator'
export { FAULT_KINDS, type FaultKind, type FaultRule } from './faults'
export {
  createSandbox,
  type InProcessSandbox,
  type OperationCounts,
  type ResponseViolation,
  type Sandbox,
  type SandboxOptions,
  type SandboxStats,
  startSandbox,
} from './sandbox'
export {
  DATA_SET_SIZE,
  DEFAULT_SAMPLE_COUNTS,
  DEFAULT_SEED,
  type RefCategory,
  type SampleCounts,
  type SampleRef,
  type SandboxRef,
  sampleRefs,
} from './seed'
