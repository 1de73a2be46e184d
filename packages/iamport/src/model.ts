import { ResponseError } from '@billingkey/core'
import type { BillingKeyAnnotation, IamportBillingKey, SuperBillingKeyAnnotation } from './types'

export const isSuperBillingKey = (key: BillingKeyAnnotation): key is SuperBillingKeyAnnotation =>
  'channelGroupId' in key

/** UNIX seconds as a Date. */
export const date = (seconds: number) => new Date(seconds * 1000)

/**
 * A key as the shared model sees it. iamport reports no expiry, and a deleted key is not found,
 * so every key it returns is `active`. A super billing key holds one key per smart-routing
 * channel: the model describes the first channel that issued one (`raw` keeps them all), and it
 * reports no `sandbox` flag, so it counts as not sandbox.
 */
export function toBillingKey(raw: BillingKeyAnnotation): IamportBillingKey {
  const key = isSuperBillingKey(raw) ? raw.succeededChannels?.[0] : raw
  if (!key) {
    throw new ResponseError(
      `iamport super billing key ${raw.customer_uid} has no channel that issued a key`,
      { provider: 'iamport' },
    )
  }
  const { card_name = null, card_code = null, card_number = null, card_type = null } = key
  const hasCard = [card_name, card_code, card_number, card_type].some((value) => value !== null)
  return {
    provider: 'iamport',
    ref: { provider: 'iamport', customerUid: raw.customer_uid },
    status: 'active',
    method: hasCard ? 'card' : 'unknown',
    card: hasCard
      ? {
          issuer: card_name,
          issuerCode: card_code,
          maskedNumber: card_number,
          kind: card_type === 0 ? 'credit' : card_type === 1 ? 'check' : null,
        }
      : undefined,
    customer: {
      name: raw.customer_name ?? null,
      phone: raw.customer_tel ?? null,
      email: raw.customer_email ?? null,
      address: raw.customer_addr ?? null,
      postcode: raw.customer_postcode ?? null,
    },
    pg: { provider: key.pg_provider, merchantId: key.pg_id },
    sandbox: 'sandbox' in raw && raw.sandbox,
    issuedAt: date(key.inserted),
    updatedAt: date(key.updated),
    expiresAt: null,
    raw,
  }
}
