import {
  ApiError,
  AuthenticationError,
  assertIdentifier,
  assertNonEmptyList,
  assertPathId,
  assertText,
  type BillingKeyError,
  type CallOptions,
  type ChargeOptions,
  type ClientOptions,
  chargeTiming,
  createProviderClient,
  listOf,
  mapWithConcurrency,
  NotFoundError,
  objectWith,
  RateLimitError,
  ResponseError,
  ServerError,
  type Shape,
  settleCharge,
  type Transport,
  type Unwrap,
  ValidationError,
} from '@billingkey/core'
import { planChunks, UIDS } from './chunks'
import { classification, type IamportCode } from './errors'
import { toPayment } from './model'
import type {
  BillingKeyAnnotation,
  CancelRequest,
  ChargeRequest,
  IamportChargeResult,
  IamportPayment,
  IamportPaymentStatus,
  IssueBillingKeyRequest,
  PagedPaymentAnnotation,
  PagedScheduleAnnotation,
  paths,
  ScheduleEntry,
  ScheduleResultAnnotation,
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
  /** 삭제사유: why the key is deleted; at most 500 characters. */
  reason?: string
  /** 삭제 요청자 (naverpay only; iamport's default is `admin`); at most 100 characters. */
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

/**
 * One charge: the caller's `merchantUid` (persisted before calling, reused for a retry of the same
 * attempt), `amount` and `name`, and any optional field of iamport's request, as iamport names it.
 */
export interface ChargeBillingKeyRequest
  extends Partial<Omit<ChargeRequest, 'customer_uid' | 'merchant_uid' | 'amount' | 'name'>> {
  /** The caller's order key, at most 40 characters: never reused after a paid or declined charge. */
  merchantUid: string
  /** What to charge; a paid answer for any other amount is no proof. */
  amount: number
  /** The product name, at most 40 characters. */
  name: string
}

export type { ChargeOptions }

export interface FindPaymentOptions extends CallOptions {
  /** Only a payment in this state. */
  status?: IamportPaymentStatus
}

export interface FindAllPaymentsOptions extends FindPaymentOptions {
  /** From 1. Default 1. */
  page?: number
  /** Payments per page, 1 to 1 000. Default 20. */
  limit?: number
}

export interface GetPaymentOptions extends CallOptions {
  /** Also find test-channel payments (R11: a sandbox lookup must set it). Default false, as iamport's. */
  includeSandbox?: boolean
}

/** A page of payments, mapped to the shared model. */
export interface PaymentPage {
  total: number
  previous: number
  next: number
  list: IamportPayment[]
}

/** Which payments to cancel: one of `impUid` or `merchantUid`, and the checksum guard. */
export interface CancelPaymentRequest {
  impUid?: string
  merchantUid?: string
  /** How much to refund; omitted (or 0) refunds the whole balance. */
  amount?: number
  /**
   * The cancellable balance you expect before this cancellation: iamport refunds nothing when its
   * own differs, so a repeated cancel cannot refund twice. Required.
   */
  checksum: number
  reason: string
  /** The tax-free part of `amount`. */
  taxFree?: number
  /** The VAT part of `amount`. */
  vatAmount?: number
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
  /** The payments made with a key, newest first. */
  listPayments(customerUid: string, options?: ListPaymentsOptions): Promise<PagedPaymentAnnotation>
  /** The payments scheduled with a key in `[from, to)`, newest first. */
  listSchedules(
    customerUid: string,
    options: ListSchedulesOptions,
  ): Promise<PagedScheduleAnnotation>
  /**
   * Charges a stored key once, and proves the outcome: `paid` (code 0, status paid, the amount
   * asked), `declined` (the issuer's failed payment or iamport's refusal; final), or `unknown`
   * (the answer was lost and lookups by `merchantUid` until the deadline did not settle it). The
   * charge is never re-sent, except once after a 401 with a new token. Throws a ValidationError
   * for bad input, and an AuthenticationError or RateLimitError when iamport refused to process
   * it: nothing was charged then, and a retry may reuse `merchantUid`.
   */
  chargeBillingKey(
    customerUid: string,
    request: ChargeBillingKeyRequest,
    options?: ChargeOptions,
  ): Promise<IamportChargeResult>
  /** The payment of an order (the newest, or the one in `status`), or null when there is none. */
  findPayment(merchantUid: string, options?: FindPaymentOptions): Promise<IamportPayment | null>
  /** Every payment under an order key, paged; an empty page when there is none. */
  findAllPayments(merchantUid: string, options?: FindAllPaymentsOptions): Promise<PaymentPage>
  /** One payment by iamport's id; NotFoundError when there is none. */
  getPayment(impUid: string, options?: GetPaymentOptions): Promise<IamportPayment>
  /**
   * Up to 100 payments by iamport's ids and order keys in one call: the ones found (a 207 or 404
   * answer means some or none); compare `paymentId` and `orderId` for the missing.
   */
  getPayments(
    ids: { impUids?: readonly string[]; merchantUids?: readonly string[] },
    options?: CallOptions,
  ): Promise<IamportPayment[]>
  /** Schedules charges with a stored key; every `merchant_uid` must be new and distinct. */
  schedulePayments(
    customerUid: string,
    schedules: readonly ScheduleEntry[],
    options?: CallOptions,
  ): Promise<ScheduleResultAnnotation[]>
  /**
   * Revokes the key's schedules: all of them, or those of `merchantUids`. Revoke them before
   * deleting the key (R10). Nothing left to revoke is an empty list.
   */
  unschedulePayments(
    customerUid: string,
    options?: CallOptions & { merchantUids?: readonly string[] },
  ): Promise<ScheduleResultAnnotation[]>
  /** One schedule by its order key; NotFoundError when there is none. */
  getSchedule(merchantUid: string, options?: CallOptions): Promise<ScheduleResultAnnotation>
  /**
   * Refunds a payment, guarded by `checksum`, and returns it as it stands. A cancel iamport
   * refuses that has already taken effect (a repeat after a lost answer, an already cancelled
   * payment) counts as done: the payment is looked up, and returned if its balance is what this
   * cancel leaves.
   */
  cancelPayment(request: CancelPaymentRequest, options?: CallOptions): Promise<IamportPayment>
}

/** The keys a multi-lookup request found, by customer_uid. */
export type Found = Map<string, BillingKeyAnnotation>

/** What a typed call returns: the `response` of a code-0 envelope. */
interface Payload extends Unwrap {
  payload: Extract<this['body'], { code: 0 }> extends { response: infer R } ? R : never
}

const provider = 'iamport'

const fail = (field: string, rule: string, operation: string): never => {
  throw new ValidationError(`${field} ${rule}`, { field, provider, operation })
}

const customerUid = (value: unknown, operation: string) =>
  assertPathId(value, { field: 'customerUid', maxLength: 80, provider, operation })

const seconds = (time: Date | number) =>
  time instanceof Date ? Math.floor(time.getTime() / 1000) : time

const merchantUidOf = (value: unknown, operation: string, field = 'merchantUid') =>
  assertPathId(value, { field, maxLength: 40, provider, operation })

const impUidOf = (value: unknown, operation: string, field = 'impUid') =>
  assertPathId(value, { field, maxLength: 32, provider, operation })

/** A finite amount, positive unless `zero` is allowed. */
const amountOf = (value: unknown, field: string, operation: string, zero = false) =>
  typeof value === 'number' && Number.isFinite(value) && (zero ? value >= 0 : value > 0)
    ? value
    : fail(
        field,
        zero ? 'must be a finite number, 0 or more' : 'must be a positive finite number',
        operation,
      )

/** The distinct ids of a non-empty list, each checked by `check`; a repeat is an error. */
const distinct = (
  values: unknown,
  field: string,
  operation: string,
  check: (value: unknown) => string,
) => {
  const list = assertNonEmptyList<unknown>(values, { field, provider, operation }).map(check)
  if (new Set(list).size !== list.length) fail(field, 'must not repeat an id', operation)
  return list
}

const STATUSES: readonly IamportPaymentStatus[] = ['ready', 'paid', 'cancelled', 'failed']

const statusOf = (status: unknown, operation: string) =>
  status === undefined || STATUSES.includes(status as IamportPaymentStatus)
    ? (status as IamportPaymentStatus | undefined)
    : fail('status', `must be one of ${STATUSES.join(', ')}`, operation)

/** iamport's not-found answer (with its envelope) as null; any other failure rethrown. */
const orNull = (error: unknown): null => {
  if (error instanceof NotFoundError && error.code !== undefined) return null
  throw error
}

/** iamport answered and refused (not a 401, 429 or 5xx): it may have refused a repeat. */
const isRefusal = (error: unknown) =>
  error instanceof ApiError &&
  !(
    error instanceof AuthenticationError ||
    error instanceof RateLimitError ||
    error instanceof ServerError
  )

// R7: SDK defaults of 10 s, 30 s or none cut off charges that still go through.

const KEY = objectWith('customer_uid')
const PAYMENT = objectWith('imp_uid', 'merchant_uid', 'status', 'amount', 'currency')
const SCHEDULE = objectWith('customer_uid', 'merchant_uid')
/** A page whose every `list` item fits `item`: `{ list: [null] }` is no page of payments. */
const pageOf =
  (item: Shape): Shape =>
  (value) => {
    const list = !objectWith('list')(value) && listOf(item)((value as { list: unknown }).list)
    return objectWith('list')(value) || (list && `has a list that ${list}`)
  }
const PAYMENTS = pageOf(PAYMENT)

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
          const keys = await call('getBillingKeys', 'GET', '/subscribe/customers', {
            params: { query: { [UIDS]: chunk } },
            signal,
            expect: listOf(KEY),
          }).catch((error) => {
            // An unknown-uid answer (with iamport's code) means none exists: all missing.
            if (error instanceof NotFoundError && error.code !== undefined) return []
            throw error
          })
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

  /** The payment of an order (in `status`), or null on iamport's not-found answer. */
  const findOne = async (
    merchant_uid: string,
    status: IamportPaymentStatus | undefined,
    signal: AbortSignal | undefined,
  ): Promise<IamportPayment | null> => {
    const payment = await (status === undefined
      ? call('findPayment', 'GET', '/payments/find/{merchant_uid}', {
          params: { path: { merchant_uid } },
          signal,
          expect: PAYMENT,
        })
      : call('findPaymentByStatus', 'GET', '/payments/find/{merchant_uid}/{payment_status}', {
          params: { path: { merchant_uid, payment_status: status } },
          signal,
          expect: PAYMENT,
        })
    ).catch(orNull)
    return payment && toPayment(payment)
  }

  /** One payment by imp_uid; `include_sandbox` as given (iamport's default is false). */
  const byImpUid = async (
    imp_uid: string,
    include_sandbox: boolean | undefined,
    signal: AbortSignal | undefined,
  ) =>
    toPayment(
      await call('getPayment', 'GET', '/payments/{imp_uid}', {
        params: { path: { imp_uid }, query: { include_sandbox } },
        signal,
        expect: PAYMENT,
      }),
    )

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

    listPayments: async (uid, { page, signal } = {}) =>
      call('listPayments', 'GET', '/subscribe/customers/{customer_uid}/payments', {
        params: { path: { customer_uid: customerUid(uid, 'listPayments') }, query: { page } },
        signal,
        expect: PAYMENTS,
      }),

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
      const schedules = await call(
        operation,
        'GET',
        '/subscribe/customers/{customer_uid}/schedules',
        {
          params: { path: { customer_uid }, query },
          signal,
          // The bare array is checked item by item too: `[null]` is no list of schedules.
          expect: (value) =>
            Array.isArray(value) ? listOf(SCHEDULE)(value) : pageOf(SCHEDULE)(value),
        },
      )
      // The Swagger's schema says a bare array, which carries no paging: one complete page.
      return Array.isArray(schedules)
        ? { total: schedules.length, previous: 0, next: 0, list: schedules }
        : schedules
    },

    async chargeBillingKey(uid, request, chargeOptions = {}) {
      const operation = 'chargeBillingKey'
      const customer_uid = customerUid(uid, operation)
      if (typeof request !== 'object' || request === null) fail('request', 'is required', operation)
      const { merchantUid, amount, name, ...optional } = request
      // A path id: the lookups that settle an unknown outcome put it in the path.
      const merchant_uid = merchantUidOf(merchantUid, operation)
      amountOf(amount, 'amount', operation)
      if (assertText(name, { field: 'name', maxLength: 40, provider, operation }) === '')
        fail('name', 'is empty', operation)
      for (const [field, value] of Object.entries(optional)) {
        if (typeof value === 'number' && !Number.isFinite(value))
          fail(field, 'must be a finite number', operation)
        if (typeof value === 'string')
          assertText(value, { field, maxLength: 10_000, provider, operation })
      }
      const { signal, pollIntervalMs } = chargeOptions
      const { timeoutMs, deadline } = chargeTiming(chargeOptions, clientTimeout, {
        provider,
        operation,
      })
      const body = { ...optional, customer_uid, merchant_uid, amount, name } as ChargeRequest
      return settleCharge({
        provider,
        operation,
        orderId: merchant_uid,
        amount,
        deadline,
        signal,
        pollIntervalMs,
        async sendCharge(signal) {
          const payment = toPayment(
            await call(operation, 'POST', '/subscribe/payments/again', {
              body,
              signal,
              timeoutMs,
              expect: PAYMENT,
            }),
          )
          if (payment.orderId !== merchant_uid)
            throw new ResponseError(`iamport ${operation} answered with another order's payment`, {
              provider,
              operation,
            })
          return payment
        },
        // Several payments may share an order key (failed attempts): a paid one is the proof.
        findPayment: async (signal) =>
          (await findOne(merchant_uid, 'paid', signal)) ?? findOne(merchant_uid, undefined, signal),
      })
    },

    async findPayment(mu, { status, signal } = {}) {
      return findOne(merchantUidOf(mu, 'findPayment'), statusOf(status, 'findPayment'), signal)
    },

    async findAllPayments(mu, { status, page, limit, signal } = {}) {
      const operation = status === undefined ? 'findAllPayments' : 'findAllPaymentsByStatus'
      const merchant_uid = merchantUidOf(mu, operation)
      const query = { page, limit }
      const init = { signal, expect: PAYMENTS }
      const payment_status = statusOf(status, operation)
      const result = await (payment_status === undefined
        ? call(operation, 'GET', '/payments/findAll/{merchant_uid}', {
            ...init,
            params: { path: { merchant_uid }, query },
          })
        : call(operation, 'GET', '/payments/findAll/{merchant_uid}/{payment_status}', {
            ...init,
            params: { path: { merchant_uid, payment_status }, query },
          })
      ).catch(orNull)
      return result
        ? { ...result, list: result.list.map(toPayment) }
        : { total: 0, previous: 0, next: 0, list: [] }
    },

    getPayment: async (id, { includeSandbox, signal } = {}) =>
      byImpUid(impUidOf(id, 'getPayment'), includeSandbox, signal),

    async getPayments({ impUids = [], merchantUids = [] } = {}, { signal } = {}) {
      const operation = 'getPayments'
      const imp_uid = Array.from(impUids, (id) => impUidOf(id, operation, 'impUids'))
      const merchant_uid = Array.from(merchantUids, (id) =>
        merchantUidOf(id, operation, 'merchantUids'),
      )
      const count = imp_uid.length + merchant_uid.length
      if (!count || count > 100) fail('impUids/merchantUids', 'must hold 1 to 100 ids', operation)
      const found = await call(operation, 'GET', '/payments', {
        params: { query: { 'imp_uid[]': imp_uid, 'merchant_uid[]': merchant_uid } },
        signal,
        expect: listOf(PAYMENT),
      }).catch(orNull)
      return (found ?? []).map(toPayment)
    },

    async schedulePayments(uid, schedules, { signal } = {}) {
      const operation = 'schedulePayments'
      const customer_uid = customerUid(uid, operation)
      const entries = assertNonEmptyList<ScheduleEntry>(schedules, {
        field: 'schedules',
        provider,
        operation,
      })
      distinct(
        entries.map((entry) => entry?.merchant_uid),
        'schedules[].merchant_uid',
        operation,
        (mu) => merchantUidOf(mu, operation, 'schedules[].merchant_uid'),
      )
      for (const entry of entries) {
        if (!Number.isSafeInteger(entry.schedule_at) || entry.schedule_at <= 0)
          fail('schedules[].schedule_at', 'must be UNIX seconds', operation)
        amountOf(entry.amount, 'schedules[].amount', operation)
      }
      return call(operation, 'POST', '/subscribe/payments/schedule', {
        body: { customer_uid, schedules: entries },
        signal,
        expect: listOf(SCHEDULE),
      })
    },

    async unschedulePayments(uid, { merchantUids, signal } = {}) {
      const operation = 'unschedulePayments'
      const customer_uid = customerUid(uid, operation)
      const merchant_uid =
        merchantUids &&
        distinct(merchantUids, 'merchantUids', operation, (mu) =>
          merchantUidOf(mu, operation, 'merchantUids'),
        )
      const revoked = await call(operation, 'POST', '/subscribe/payments/unschedule', {
        body: { customer_uid, merchant_uid },
        signal,
        expect: listOf(SCHEDULE),
      }).catch(orNull)
      return revoked ?? []
    },

    getSchedule: async (mu, { signal } = {}) =>
      call('getSchedule', 'GET', '/subscribe/payments/schedule/{merchant_uid}', {
        params: { path: { merchant_uid: merchantUidOf(mu, 'getSchedule') } },
        signal,
        expect: SCHEDULE,
      }),

    async cancelPayment(request, { signal } = {}) {
      const operation = 'cancelPayment'
      if (typeof request !== 'object' || request === null) fail('request', 'is required', operation)
      const { impUid, merchantUid, amount, checksum, reason, taxFree, vatAmount } = request
      if ((impUid === undefined) === (merchantUid === undefined))
        fail('impUid/merchantUid', 'must be exactly one', operation)
      const imp_uid = impUid === undefined ? undefined : impUidOf(impUid, operation)
      const merchant_uid =
        merchantUid === undefined ? undefined : merchantUidOf(merchantUid, operation)
      amountOf(checksum, 'checksum', operation, true)
      const refund = amount === undefined ? 0 : amountOf(amount, 'amount', operation, true)
      if (refund > checksum) fail('amount', 'must not exceed checksum', operation)
      for (const [field, value] of [
        ['taxFree', taxFree],
        ['vatAmount', vatAmount],
      ] as const)
        if (value !== undefined) amountOf(value, field, operation, true)
      assertText(reason, { field: 'reason', maxLength: 1000, provider, operation })
      const body = {
        imp_uid,
        merchant_uid,
        amount,
        checksum,
        reason,
        tax_free: taxFree,
        vat_amount: vatAmount,
      } as CancelRequest
      try {
        return toPayment(
          await call(operation, 'POST', '/payments/cancel', { body, signal, expect: PAYMENT }),
        )
      } catch (error) {
        // iamport refuses a cancel that has taken effect already (code != 0, or code 0 with no
        // payment): it is done when the balance is what this cancel leaves. Branch on amounts,
        // never on the message (R8).
        if (!(isRefusal(error) || (error instanceof ResponseError && error.status === 200)))
          throw error
        const payment = await (imp_uid
          ? byImpUid(imp_uid, true, signal)
          : findOne(merchant_uid as string, undefined, signal)
        ).catch(() => null)
        if (
          !payment ||
          payment.amount - payment.cancelledAmount !== checksum - (refund || checksum)
        )
          throw error
        return payment
      }
    },
  }
}
