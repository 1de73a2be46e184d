import {
  assertIdentifier,
  assertNonEmptyList,
  type BillingKeyError,
  type CallOptions,
  type ClientOptions,
  createCaller,
  createTransport,
  errorFromResponse,
  hideValues,
  mapWithConcurrency,
  NotFoundError,
  ResponseError,
  TokenCache,
  type Transport,
  toBillingKeyError,
  ValidationError,
  withSecretsOf,
} from '@billingkey/core'
import type { Client } from 'openapi-fetch'
import type {
  BillingKeyAnnotation,
  Envelope,
  IssueBillingKeyRequest,
  PagedPaymentAnnotation,
  PagedScheduleAnnotation,
  paths,
  ScheduleStatus,
} from './types'

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
  /** Requests in flight at once when the list is split. Default 4. */
  concurrency?: number
}

export interface DeleteBillingKeyOptions extends CallOptions {
  /** 삭제사유: why the key is deleted. */
  reason?: string
  /** 삭제 요청자 (naverpay only; iamport's default is `admin`). */
  requester?: string
}

export interface ListPaymentsOptions extends CallOptions {
  /** From 1; 20 payments per page. Default 1. */
  page?: number
}

export interface ListSchedulesOptions extends CallOptions {
  /** Start of the window, inclusive: a Date or UNIX seconds. */
  from: Date | number
  /** End of the window, exclusive: a Date or UNIX seconds. At most 3 months after `from`. */
  to: Date | number
  /** Only schedules in this state; all states when omitted. */
  status?: ScheduleStatus
  /** From 1. Default 1. */
  page?: number
}

export interface IamportClient {
  /** The API root every request goes to, without a trailing slash. */
  readonly baseUrl: string
  /**
   * `fetch` with this client's auth, retries, timeouts and logging, for any iamport endpoint:
   * `createIamportApi(client)` (from `@billingkey/iamport/api`) builds the typed openapi-fetch
   * client for the whole spec on it.
   */
  readonly fetch: Transport
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
  /** The payments made with a key, newest first. */
  listPayments(customerUid: string, options?: ListPaymentsOptions): Promise<PagedPaymentAnnotation>
  /** The payments scheduled with a key in `[from, to)`, newest first. */
  listSchedules(
    customerUid: string,
    options: ListSchedulesOptions,
  ): Promise<PagedScheduleAnnotation>
}

type Exchange<D> = Promise<{ data?: D; error?: unknown; response: Response }>
type Payload<D> = Extract<D, { code: 0 }> extends { response: infer R } ? R : never
export type Found = Map<string, BillingKeyAnnotation>

/**
 * The multi lookup over `uids`, in requests whose URL stays within maxUrlLength, at most
 * `concurrency` at once. `settle` gets each request's keys, or its failure. Rejects only on an
 * abort, bad options, or when `settle` throws (then no further request starts).
 */
export type LookupInChunks = (
  uids: string[],
  options: GetBillingKeysOptions,
  settle: (uids: string[], found: Found | BillingKeyError) => void,
) => Promise<void>

/** Each client's chunked multi lookup, for its adapter (`createIamportAdapter`). */
export const lookups = new WeakMap<IamportClient, LookupInChunks>()

const provider = 'iamport'
const UIDS = 'customer_uid[]'

const isEnvelope = (body: unknown): body is Envelope =>
  typeof (body as Envelope | null)?.code === 'number'

/**
 * An unknown customer_uid comes in two shapes: the documented 404, and HTTP 200 with code 1 and
 * "요청하신 customer_uid(…)로 등록된 정보를 찾을 수 없습니다." seen in the official SDKs' live tests.
 * No source says code 1 means "not found", so a 2xx counts only with the message as well.
 */
const isUnknownUid = (status: number, body: Envelope) =>
  status === 404 || (body.code === 1 && /찾을 수 없|존재하지 않/.test(body.message ?? ''))

async function send<D>(operation: string, exchange: Exchange<D>) {
  try {
    const { data, error, response } = await exchange
    return { response, body: response.ok ? data : error }
  } catch (e) {
    throw toBillingKeyError(e, { provider, operation })
  }
}

/** The payload of a code-0 body; anything else as the typed error it is. */
async function unwrap<D>(operation: string, exchange: Exchange<D>): Promise<Payload<D>> {
  const { response, body } = await send(operation, exchange)
  if (response.ok && isEnvelope(body) && body.code === 0) return body.response as Payload<D>
  throw failure(operation, response, body)
}

function failure(operation: string, response: Response, body: unknown) {
  const envelope = isEnvelope(body) ? body : undefined
  if (response.ok && !envelope?.code) {
    return new ResponseError(`iamport ${operation} failed: a body off the contract`, {
      provider,
      operation,
      status: response.status,
      body,
    })
  }
  return errorFromResponse({
    provider,
    operation,
    response,
    body,
    code: envelope?.code,
    message: envelope?.message ?? undefined,
    as: envelope && isUnknownUid(response.status, envelope) ? NotFoundError : undefined,
  })
}

const fail = (field: string, rule: string, operation: string): never => {
  throw new ValidationError(`${field} ${rule}`, { field, provider, operation })
}

export function customerUid(value: unknown, operation: string): string {
  const uid = assertIdentifier(value, { field: 'customerUid', maxLength: 80, provider, operation })
  // Encoding keeps any uid inside its path segment, but "." and ".." segments are resolved by
  // every URL parser even when percent-encoded: such a uid can only be a mistake or an attack.
  return /(^|\/)\.\.?(\/|$)/.test(uid)
    ? fail('customerUid', 'must not contain "." or ".." segments', operation)
    : uid
}

const seconds = (time: Date | number) =>
  time instanceof Date ? Math.floor(time.getTime() / 1000) : time

export function createIamportClient(options: IamportClientOptions): IamportClient {
  const { apiKey, apiSecret, maxUrlLength = 8_000 } = options
  for (const field of ['apiKey', 'apiSecret'] as const) {
    assertIdentifier(options[field], { field, maxLength: 1000, provider })
  }
  // Hidden by value wherever a server or a runtime error quotes them.
  hideValues([apiKey, apiSecret])
  const baseUrl = (options.baseUrl ?? 'https://api.iamport.kr').replace(/\/+$/, '')
  const isTokenCall = ({ url }: Request) => url.endsWith('/users/getToken')

  const tokens = new TokenCache({
    // The cache's signal aborts once every caller waiting on the token has given up.
    fetchToken: async (signal) => {
      const token = await unwrap(
        'getToken',
        api.POST('/users/getToken', { body: { imp_key: apiKey, imp_secret: apiSecret }, signal }),
      )
      // A missing token or expiry goes through as it is: TokenCache refuses or defaults it.
      return {
        accessToken: token?.access_token,
        expiresAt: token?.expired_at * 1000,
        serverNow: token?.now * 1000,
      }
    },
  })

  const transport = createTransport({
    ...options,
    provider,
    headers: { accept: 'application/json' },
    authorize: async (request, signal) =>
      isTokenCall(request) ? undefined : `Bearer ${await tokens.get(signal)}`,
    onUnauthorized: (_request, authorization) => {
      tokens.invalidate(authorization.slice('Bearer '.length))
      return true
    },
    // getToken is safe to repeat (it returns the same token until expiry); issuing is not.
    isIdempotent: (request) => request.method !== 'POST' || isTokenCall(request),
  })
  // `customer_uid[]=a&customer_uid[]=b`: the key repeated with raw brackets, as the Swagger shows.
  const api = createCaller<Pick<Client<paths>, 'GET' | 'POST' | 'DELETE'>>(baseUrl, transport)

  const lookupInChunks: LookupInChunks = async (uids, { signal, concurrency = 4 }, settle) => {
    const operation = 'getBillingKeys'
    const chunks: string[][] = []
    const empty = `${baseUrl}/subscribe/customers`.length
    let length = maxUrlLength
    for (const uid of uids) {
      // `?customer_uid[]=<uid>` or `&customer_uid[]=<uid>`
      const added = UIDS.length + 2 + encodeURIComponent(uid).length
      if (empty + added > maxUrlLength) fail('maxUrlLength', 'is too small for one uid', operation)
      if (length + added > maxUrlLength) {
        chunks.push([])
        length = empty
      }
      chunks.at(-1)?.push(uid)
      length += added
    }

    await mapWithConcurrency(
      chunks,
      concurrency,
      async (chunk) => {
        const exchange = api.GET('/subscribe/customers', {
          params: { query: { [UIDS]: chunk } },
          signal,
        })
        const found: Found = new Map()
        try {
          const { response, body } = await send(operation, exchange)
          // On 207 only the keys that were found come back; the missing ones are the difference.
          // An unknown-uid answer means none exists: all missing, not a failure. It must carry
          // iamport's envelope, though: a proxy's 404 page is no proof that every key is gone.
          if (response.ok && isEnvelope(body) && body.code === 0 && Array.isArray(body.response)) {
            for (const key of body.response) found.set(key.customer_uid, key)
          } else if (!(isEnvelope(body) && isUnknownUid(response.status, body))) {
            throw failure(operation, response, body)
          }
        } catch (error) {
          if (signal?.aborted) throw error
          return settle(chunk, error as BillingKeyError)
        }
        settle(chunk, found)
      },
      signal,
    )
  }

  const client: IamportClient = {
    baseUrl,
    fetch: transport,

    getToken: (callOptions) =>
      tokens.get(callOptions?.signal).catch((e) => {
        throw toBillingKeyError(e, { provider, operation: 'getToken' })
      }),

    getBillingKey: async (uid, callOptions) =>
      unwrap(
        'getBillingKey',
        api.GET('/subscribe/customers/{customer_uid}', {
          params: { path: { customer_uid: customerUid(uid, 'getBillingKey') } },
          signal: callOptions?.signal,
        }),
      ),

    async getBillingKeys(uids, callOptions = {}) {
      const operation = 'getBillingKeys'
      const list = assertNonEmptyList<unknown>(uids, { field: 'customerUids', provider, operation })
      const unique = [...new Set(list.map((uid) => customerUid(uid, operation)))]
      const found: Found = new Map()
      await lookupInChunks(unique, callOptions, (_, keys) => {
        if (keys instanceof Error) throw keys
        for (const [uid, key] of keys) found.set(uid, key)
      })
      return {
        found: unique.flatMap((uid) => found.get(uid) ?? []),
        missing: unique.filter((uid) => !found.has(uid)),
      }
    },

    async issueBillingKey(uid, request, callOptions) {
      const operation = 'issueBillingKey'
      const customer_uid = customerUid(uid, operation)
      for (const field of ['card_number', 'expiry'] as const) {
        if (typeof request?.[field] !== 'string' || !request[field])
          fail(field, 'is required', operation)
      }
      // The card data sent is hidden by value in the errors and log lines of this call.
      return withSecretsOf(request, () =>
        unwrap(
          operation,
          api.POST('/subscribe/customers/{customer_uid}', {
            params: { path: { customer_uid } },
            body: request,
            signal: callOptions?.signal,
          }),
        ),
      )
    },

    deleteBillingKey: async (uid, { reason, requester, signal } = {}) =>
      unwrap(
        'deleteBillingKey',
        api.DELETE('/subscribe/customers/{customer_uid}', {
          params: {
            path: { customer_uid: customerUid(uid, 'deleteBillingKey') },
            query: { reason, 'extra[requester]': requester },
          },
          signal,
        }),
      ),

    listPayments: async (uid, { page, signal } = {}) =>
      unwrap(
        'listPayments',
        api.GET('/subscribe/customers/{customer_uid}/payments', {
          params: { path: { customer_uid: customerUid(uid, 'listPayments') }, query: { page } },
          signal,
        }),
      ),

    async listSchedules(uid, { from, to, status, page, signal }) {
      const operation = 'listSchedules'
      const customer_uid = customerUid(uid, operation)
      const query = { from: seconds(from), to: seconds(to), page, 'schedule-status': status }
      if (
        !(
          Number.isSafeInteger(query.from) &&
          Number.isSafeInteger(query.to) &&
          query.from < query.to
        )
      ) {
        fail('from/to', 'must be Dates or UNIX seconds, from before to', operation)
      }
      const schedules = await unwrap(
        operation,
        api.GET('/subscribe/customers/{customer_uid}/schedules', {
          params: { path: { customer_uid }, query },
          signal,
        }),
      )
      // The Swagger's schema says a bare array, which carries no paging: one complete page.
      return Array.isArray(schedules)
        ? { total: schedules.length, previous: 0, next: 0, list: schedules }
        : schedules
    },
  }
  lookups.set(client, lookupInChunks)
  return client
}
