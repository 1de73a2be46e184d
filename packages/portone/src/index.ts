// The public error list, from its one source: core's own classes (one hierarchy across
// providers), so a PortOne user can `instanceof` them without depending on @billingkey/core.

export type { ChargeOptions } from '@billingkey/core'
export * from '@billingkey/core/errors'
export { createPortoneAdapter } from './adapter'
export {
  createPortoneClient,
  type DeleteBillingKeyOptions,
  type PortoneClient,
  type PortoneClientOptions,
} from './client'
export type { PortoneApiError } from './errors'
export type { components, operations, paths } from './generated/schema'
export type { ListOptions } from './input'
export { toBillingKey } from './model'
export { type CancelOptions, type PortonePayments, type ScheduleInput, toPayment } from './payments'
export type * from './types'
