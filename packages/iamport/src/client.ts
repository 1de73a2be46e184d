import {
  assertIdentifier,
  assertNonEmptyList,
  assertText,
  type BillingKeyError,
  type CallOptions,
  type ClientOptions,
  createProviderClient,
  listOf,
  mapWithConcurrency,
  objectWith,
  type ProviderClientBase,
  type Slots,
} from '@billingkey/core'
import { planChunks, UIDS } from './chunks'
import { classification, type IamportCode, type Payload } from './errors'
import { customerUid, fail, orNull, provider } from './input'
import { createPayments, type IamportPayments } from './payments'
import type { BillingKeyAnnotation, IssueBillingKeyRequest, paths } from './types'

// The client: its options, its declaration (token auth, iamport's envelope) and the key calls;
// the payment calls are in payments.ts.

export interface IamportClientOptions extends ClientOptions {
  /** REST API key (imp_key), from the PortOne console. */
  apiKey: string
  /** REST API secret (imp_secret). */
  apiSecret: string
  /**
   * The longest request URL `getBillingKeys` builds; longer lists are split. Default 8 000,
   * under the 8 KB request-line limit common to proxies and servers.
   */
  maxUrlLength?: number
}

export interface GetBillingKeysOptions extends CallOptions {
  /**
   * Requests in flight at once when the list is split: a number (default 4), or `Slots` shared
   * with other lookups (`createSlots` from `@billingkey/core`).
   */
  concurrency?: number | Slots
}

export interface DeleteBillingKeyOptions extends CallOptions {
  /** 삭제사유: why the key is deleted; at most 500 characters. */
  reason?: string
  /** 삭제 요청자 (naverpay only; iamport's default is `admin`); at most 100 characters. */
  requester?: string
}

export interface IamportClient extends IamportPayments, ProviderClientBase {
  /** A valid access token: the cached one, or a new one when it is about to expire. */
  getToken(options?: CallOptions): Promise<string>
  /** One key; NotFoundError when no key is registered under `customerUid`. */
  getBillingKey(customerUid: string, options?: CallOptions): Promise<BillingKeyAnnotation>
  /**
   * Several keys: `found` and `missing` in the order of `customerUids`, without duplicates. Long
   * lists are split into requests of at most `maxUrlLength`.
   */
  getBillingKeys(
    customerUids: readonly string[],
    options?: GetBillingKeysOptions,
  ): Promise<{ found: BillingKeyAnnotation[]; missing: string[] }>
  /**
   * The multi lookup for the iamport adapter's `lookupMany`: each uid validated on its own, the
   * valid ones in requests of at most `maxUrlLength`, at most `concurrency` at once. `settle` gets
   * each request's uids and the keys found (a Map by uid), or why there are none: that request's
   * failure, or a uid's ValidationError. Rejects only on an abort, bad options, or when `settle`
   * throws (then no further request starts).
   */
  getBillingKeysInChunks(
    customerUids: readonly unknown[],
    settle: (customerUids: unknown[], found: Found | BillingKeyError) => void,
    options?: GetBillingKeysOptions,
  ): Promise<void>
  /** Issues a key from card data; a refusal by the PG or card company is a RejectedError. */
  issueBillingKey(
    customerUid: string,
    request: IssueBillingKeyRequest,
    options?: CallOptions,
  ): Promise<BillingKeyAnnotation>
  /** Deletes a key and returns it. Scheduled payments are not cancelled. */
  deleteBillingKey(
    customerUid: string,
    options?: DeleteBillingKeyOptions,
  ): Promise<BillingKeyAnnotation>
}

/** The keys a multi-lookup request found, by customer_uid. */
export type Found = Map<string, BillingKeyAnnotation>

const KEY = objectWith('customer_uid')

export function createIamportClient(options: IamportClientOptions): IamportClient {
  const { apiKey, apiSecret, maxUrlLength = 8_000, timeoutMs: clientTimeout = 0 } = options
  for (const field of ['apiKey', 'apiSecret'] as const) {
    assertIdentifier(options[field], { field, maxLength: 1000, provider })
  }
  const { baseUrl, fetch, call, getToken } = createProviderClient<paths, Payload, IamportCode>(
    {
      provider,
      secrets: [apiKey, apiSecret],
      baseUrl: 'https://api.iamport.kr',
      auth: {
        token: {
          operation: 'getToken',
          path: '/users/getToken',
          body: { imp_key: apiKey, imp_secret: apiSecret },
          read: ({
            access_token,
            now,
            expired_at,
          }: {
            access_token: string
            now: number
            expired_at: number
          }) => ({
            accessToken: access_token,
            expiresAt: expired_at * 1000,
            serverNow: now * 1000,
          }),
        },
      },
      ...classification,
    },
    options,
  )

  /** The multi lookup over valid, distinct `uids`. */
  async function lookupInChunks(
    uids: string[],
    settle: (uids: string[], found: Found | BillingKeyError) => void,
    { signal, concurrency = 4 }: GetBillingKeysOptions,
  ) {
    const chunks = planChunks(uids, `${baseUrl}/subscribe/customers`, maxUrlLength)
    await mapWithConcurrency(
      chunks,
      concurrency,
      async (chunk) => {
        const found: Found = new Map()
        try {
          // An unknown-uid answer (with iamport's code) means none exists: all missing.
          const keys =
            (await call('getBillingKeys', 'GET', '/subscribe/customers', {
              params: { query: { [UIDS]: chunk } },
              signal,
              expect: listOf(KEY),
            }).catch(orNull)) ?? []
          // On 207 only the keys that were found come back; the missing ones are the difference.
          for (const key of keys) found.set(key.customer_uid, key)
        } catch (error) {
          if (signal?.aborted) throw error
          return settle(chunk, error as BillingKeyError)
        }
        settle(chunk, found)
      },
      signal,
    )
  }

  return {
    baseUrl,
    fetch,
    getToken,

    getBillingKey: async (uid, { signal } = {}) =>
      call('getBillingKey', 'GET', '/subscribe/customers/{customer_uid}', {
        params: { path: { customer_uid: customerUid(uid, 'getBillingKey') } },
        signal,
        expect: KEY,
      }),

    async getBillingKeys(uids, callOptions = {}) {
      const operation = 'getBillingKeys'
      const list = assertNonEmptyList<unknown>(uids, { field: 'customerUids', provider, operation })
      const unique = [...new Set(list.map((uid) => customerUid(uid, operation)))]
      const found: Found = new Map()
      await lookupInChunks(
        unique,
        (_, keys) => {
          if (keys instanceof Error) throw keys
          for (const [uid, key] of keys) found.set(uid, key)
        },
        callOptions,
      )
      return {
        found: unique.flatMap((uid) => found.get(uid) ?? []),
        missing: unique.filter((uid) => !found.has(uid)),
      }
    },

    async getBillingKeysInChunks(uids, settle, callOptions = {}) {
      const valid = new Set<string>()
      const invalid = new Set<unknown>()
      for (const uid of Array.from(uids)) {
        try {
          valid.add(customerUid(uid, 'getBillingKeys'))
        } catch (error) {
          if (!invalid.has(uid)) settle([uid], error as BillingKeyError)
          invalid.add(uid)
        }
      }
      await lookupInChunks([...valid], settle, callOptions)
    },

    async issueBillingKey(uid, request, { signal } = {}) {
      const operation = 'issueBillingKey'
      const customer_uid = customerUid(uid, operation)
      for (const field of ['card_number', 'expiry'] as const) {
        if (typeof request?.[field] !== 'string' || !request[field])
          fail(field, 'is required', operation)
      }
      return call(operation, 'POST', '/subscribe/customers/{customer_uid}', {
        params: { path: { customer_uid } },
        body: request,
        signal,
        expect: KEY,
      })
    },

    async deleteBillingKey(uid, { reason, requester, signal } = {}) {
      const operation = 'deleteBillingKey'
      const customer_uid = customerUid(uid, operation)
      if (reason !== undefined)
        assertText(reason, { field: 'reason', maxLength: 500, provider, operation })
      if (requester !== undefined)
        assertText(requester, { field: 'requester', maxLength: 100, provider, operation })
      return call(operation, 'DELETE', '/subscribe/customers/{customer_uid}', {
        params: { path: { customer_uid }, query: { reason, 'extra[requester]': requester } },
        signal,
        expect: KEY,
      })
    },

    ...createPayments({ call, timeoutMs: clientTimeout }),
  }
}
