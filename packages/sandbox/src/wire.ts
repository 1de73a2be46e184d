// The providers' wire shapes as @billingkey/iamport and @billingkey/bootpay generate them from the
// specs: type-only, so the emulators are checked against the contract and bundle none of it.
import type { components as BootpayComponents } from '@billingkey/bootpay'
import type { components as IamportComponents } from '@billingkey/iamport'
import type { components as PortoneComponents } from '@billingkey/portone'

export type IamportSchemas = IamportComponents['schemas']
export type BootpaySchemas = BootpayComponents['schemas']
export type PortoneSchemas = PortoneComponents['schemas']

/** An ordinary or a super billing key, as iamport sends it. */
export type IamportKey = IamportSchemas['BillingKeyAnnotation']
export type IamportCustomer = IamportSchemas['CustomerAnnotation']
export type IamportChannel = IamportSchemas['SucceededChannelAnnotation']

/** The card fields iamport reports for a key (or for one channel of a super billing key). */
export type CardFields = Pick<
  IamportCustomer,
  | 'card_name'
  | 'card_code'
  | 'card_number'
  | 'card_type'
  | 'card_issuer_code'
  | 'card_issuer_name'
  | 'card_publisher_code'
  | 'card_publisher_name'
>

/** The customer fields an iamport key carries. */
export type CustomerFields = Pick<
  IamportCustomer,
  | 'customer_uid'
  | 'customer_id'
  | 'customer_name'
  | 'customer_tel'
  | 'customer_email'
  | 'customer_addr'
  | 'customer_postcode'
>

export type BootpayBillingData = BootpaySchemas['BillingData']
