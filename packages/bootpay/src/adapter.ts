import { lookupEach } from '@billingkey/core'
import type { BootpayClient } from './client'
import { toBillingKey } from './model'
import { paymentAdapter } from './payments'
import type { BootpayBillingKeyAdapter } from './types'

/**
 * The adapter `@billingkey/client` takes for Bootpay: `createBillingKeys({ bootpay:
 * createBootpayAdapter(bootpay) })`. A ref by `receiptId` or by `billingKey` is one request each
 * (Bootpay has no multi lookup), mapped to the shared model (`toBillingKey`). A separate export,
 * so programs that use the client alone do not bundle the model mapping.
 *
 * Its `charge` and `findPayment` are the client's `chargeBillingKey` and lookup by `order_id`,
 * mapped in payments.ts (`paymentAdapter`). Bootpay lists no key's reservations, so this adapter
 * has no `scheduledChargeAfter`.
 */
export function createBootpayAdapter(client: BootpayClient): BootpayBillingKeyAdapter {
  const lookup: BootpayBillingKeyAdapter['lookup'] = async (ref, options) =>
    toBillingKey(
      ref,
      'receiptId' in ref
        ? await client.getBillingKeyByReceipt(ref.receiptId, options)
        : await client.getBillingKey(ref.billingKey, options),
    )
  return {
    provider: 'bootpay',
    rateLimit: client.fetch.rateLimit,
    lookup,
    ...paymentAdapter(client),
    lookupMany: lookupEach('bootpay', lookup),
  }
}
