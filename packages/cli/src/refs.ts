import type { AuditReport, KeyOf, ProviderAdapters, RefOf } from '@billingkey/client'

/** The types of the facade over every provider: core's BillingKeyRef, the keys, the report. */
export type BillingKeyRef = RefOf<ProviderAdapters>
export type Key = KeyOf<ProviderAdapters, BillingKeyRef>
export type Report = AuditReport<Key>
export type Failure = NonNullable<Report['needsAction'][number]['error']>
export type Provider = BillingKeyRef['provider']
export const PROVIDERS: readonly Provider[] = ['iamport', 'bootpay', 'portone']

/** `iamport, bootpay or portone`, for the messages that list them. */
export const PROVIDER_LIST = `${PROVIDERS.slice(0, -1).join(', ')} or ${PROVIDERS.at(-1)}`

export const isProvider = (value: string | undefined): value is Provider =>
  (PROVIDERS as readonly (string | undefined)[]).includes(value)

/** The id columns of the input and output files, in the order they are written. */
export const ID_FIELDS = ['customer_uid', 'receipt_id', 'billing_key'] as const
export type IdField = (typeof ID_FIELDS)[number]

/** Which id a ref carries, under its file column name. */
export function refId(ref: BillingKeyRef): { field: IdField; value: string } {
  if (ref.provider === 'iamport') return { field: 'customer_uid', value: ref.customerUid }
  return 'receiptId' in ref
    ? { field: 'receipt_id', value: ref.receiptId }
    : { field: 'billing_key', value: ref.billingKey }
}

/** e.g. `iamport customer_uid=cust_0001` */
export function describeRef(ref: BillingKeyRef): string {
  const { field, value } = refId(ref)
  return `${ref.provider} ${field}=${value}`
}
