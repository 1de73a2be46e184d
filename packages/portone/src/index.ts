// The public error list, from its one source: core's own classes (one hierarchy across
// providers), so a PortOne user can `instanceof` them without depending on @billingkey/core.

export type { ChargeOptions } from '@billingkey/core'
export * from '@billingkey/core/errors'
export { createPortoneAdapter } from './adapter'
export {
  type CancelOptions,
  createPortoneClient,
  type DeleteBillingKeyOptions,
  type ListOptions,
  type PortoneClient,
  type PortoneClientOptions,
  type ScheduleInput,
} from './client'
export type { PortoneApiError } from './errors'
export type { components, operations, paths } from './generated/schema'
export { toBillingKey, toPayment } from './model'
export type * from './types'
