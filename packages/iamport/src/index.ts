export { isSuperBillingKey, toBillingKey } from './billing-key'
export {
  createIamportClient,
  type DeleteBillingKeyOptions,
  type GetBillingKeysOptions,
  type IamportClient,
  type IamportClientOptions,
  type ListPaymentsOptions,
  type ListSchedulesOptions,
} from './client'
export type * from './types'
