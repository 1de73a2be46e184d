import {
  assertIdentifier,
  type CallOptions,
  type ClientOptions,
  createProviderClient,
  objectWith,
  type PayloadIsBody,
  type ProviderClientBase,
} from '@billingkey/core'
import { classification } from './errors'
import type { paths } from './generated/schema'
import { fail, id, identifier, type ListOptions, pageOf, pages, provider, text } from './input'
import { createPayments, IDEMPOTENT_POST, type PortonePayments } from './payments'
import type {
  BillingKeyInfo,
  DeleteBillingKeyResponse,
  GetBillingKeyInfosBody,
  GetBillingKeyInfosResponse,
  PortoneErrorCode,
} from './types'

export interface PortoneClientOptions extends ClientOptions {
  /** The V2 API secret, from the PortOne console: `Authorization: PortOne <apiSecret>`. */
  apiSecret: string
  /** A store the secret may access; the secret's own store when absent. */
  storeId?: string
}

export interface DeleteBillingKeyOptions extends CallOptions {
  /** Why the key is deleted; Naver Pay requires it. */
  reason?: string
  /** Who asked; Naver Pay requires it. */
  requester?: 'CUSTOMER' | 'ADMIN'
  skipWebhook?: boolean
}

/** A PortOne V2 client: its billing keys here, its payments and schedules in PortonePayments. */
export interface PortoneClient extends PortonePayments, ProviderClientBase {
  /** `GET /billing-keys/{billingKey}`: ISSUED, or DELETED with `deletedAt` (not a 404). */
  getBillingKey(billingKey: string, options?: CallOptions): Promise<BillingKeyInfo>
  /** One page of `GET /billing-keys` (`page.number` from 0), exactly as `body` asks. */
  getBillingKeyPage(
    body?: GetBillingKeyInfosBody,
    options?: CallOptions,
  ): Promise<GetBillingKeyInfosResponse>
  /** Every key matching `filter`, page after page (V1 keys issued through iamport too). */
  listBillingKeys(options?: ListOptions<GetBillingKeyInfosBody>): AsyncIterable<BillingKeyInfo>
  /**
   * `DELETE /billing-keys/{billingKey}`. While schedules are pending on the key PortOne refuses:
   * a RejectedError with code `PAYMENT_SCHEDULE_ALREADY_EXISTS` (revoke them first); a deleted
   * key is a BillingKeyExpiredError (`BILLING_KEY_ALREADY_DELETED`).
   */
  deleteBillingKey(
    billingKey: string,
    options?: DeleteBillingKeyOptions,
  ): Promise<DeleteBillingKeyResponse>
}

/**
 * A PortOne V2 client. Every failure is a typed error from `@billingkey/core`, its `code` the
 * answer's `type`; bad input is a ValidationError before any request.
 */
export function createPortoneClient(options: PortoneClientOptions): PortoneClient {
  const { apiSecret, storeId } = options
  assertIdentifier(apiSecret, { field: 'apiSecret', maxLength: 1000, provider })
  if (storeId !== undefined) identifier(storeId, 'storeId')
  const declaration = {
    provider,
    secrets: [apiSecret],
    baseUrl: 'https://api.portone.io',
    auth: { basic: `PortOne ${apiSecret}` },
    isIdempotentPost: ({ url }: { url: string }) => IDEMPOTENT_POST.test(new URL(url).pathname),
    ...classification,
  } as const
  const { baseUrl, fetch, call } = createProviderClient<paths, PayloadIsBody, PortoneErrorCode>(
    declaration,
    options,
  )
  const inStore = storeId === undefined ? {} : { storeId }
  // The lists take `storeId` in their filter, as JSON in the query `requestBody`.
  const listQuery = (body: { filter?: object } = {}) => ({
    query: {
      requestBody: JSON.stringify(
        storeId ? { ...body, filter: { storeId, ...body.filter } } : body,
      ),
    },
  })

  const getBillingKeyPage: PortoneClient['getBillingKeyPage'] = async (body, { signal } = {}) =>
    call('getBillingKeyInfos', 'GET', '/billing-keys', {
      params: listQuery(body),
      signal,
      expect: pageOf(objectWith('billingKey', 'status')),
    })

  return {
    baseUrl,
    fetch,

    getBillingKey: async (billingKey, { signal } = {}) =>
      call('getBillingKeyInfo', 'GET', '/billing-keys/{billingKey}', {
        params: {
          path: { billingKey: id(billingKey, 'billingKey', 'getBillingKey') },
          query: inStore,
        },
        signal,
        expect: objectWith('billingKey', 'status'),
      }),

    getBillingKeyPage,
    listBillingKeys: (listOptions = {}) => pages(getBillingKeyPage, listOptions, 'listBillingKeys'),

    async deleteBillingKey(billingKey, { reason, requester, skipWebhook, signal } = {}) {
      const operation = 'deleteBillingKey'
      const path = { billingKey: id(billingKey, 'billingKey', operation) }
      if (reason !== undefined) text(reason, 'reason', operation)
      if (requester !== undefined && requester !== 'CUSTOMER' && requester !== 'ADMIN')
        fail('requester', 'must be CUSTOMER or ADMIN', operation)
      return call(operation, 'DELETE', '/billing-keys/{billingKey}', {
        params: { path, query: { ...inStore, reason, requester, skipWebhook } },
        signal,
        expect: objectWith('deletedAt'),
      })
    },

    ...createPayments(call, inStore, listQuery, options),
  }
}
