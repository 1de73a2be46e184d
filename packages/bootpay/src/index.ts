export {
  type BootpayBasicCredentials,
  type BootpayClient,
  type BootpayClientOptions,
  type BootpayTokenCredentials,
  createBootpayClient,
} from './client'
export { NotBillingKeyReceiptError } from './errors'
export type { components, operations, paths } from './generated/schema'
export { toBillingKey } from './model'
export type * from './types'
