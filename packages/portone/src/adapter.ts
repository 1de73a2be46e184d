import { lookupEach } from '@billingkey/core'
import type { PortoneClient } from './client'
import { toBillingKey } from './model'
import { paymentAdapter } from './payments'
import type { PortoneBillingKeyAdapter } from './types'

/**
 * The adapter `@billingkey/client` takes for PortOne V2: `createBillingKeys({ portone:
 * createPortoneAdapter(portone) })`. A ref is one `GET /billing-keys/{billingKey}` (the list has
 * no filter by key), mapped to the shared model (`toBillingKey`). A separate export, so programs
 * that use the client alone do not bundle the model mapping.
 *
 * Its `charge`, `findPayment` and `scheduledChargeAfter` are the client's `chargeBillingKey`,
 * `getPayment` and `getPaymentSchedulePage`, mapped in payments.ts (`paymentAdapter`).
 */
export function createPortoneAdapter(client: PortoneClient): PortoneBillingKeyAdapter {
  const lookup: PortoneBillingKeyAdapter['lookup'] = async (ref, options) =>
    toBillingKey(ref, await client.getBillingKey(ref.billingKey, options))
  return {
    provider: 'portone',
    rateLimit: client.fetch.rateLimit,
    lookup,
    ...paymentAdapter(client),
    lookupMany: lookupEach('portone', lookup),
  }
}
