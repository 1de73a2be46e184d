import {
  type ApiError,
  assertIdentifier,
  assertPathId,
  assertText,
  type CallOptions,
  type ChargeOptions,
  type ClientOptions,
  chargeTiming,
  createProviderClient,
  listOf,
  NotFoundError,
  objectWith,
  type PayloadIsBody,
  type Shape,
  settleCharge,
  sleep,
  TimeoutError,
  type Transport,
  ValidationError,
} from '@billingkey/core'
import { classification } from './errors'
import type { paths } from './generated/schema'
import { toPayment } from './model'
import type {
  BillingKeyInfo,
  CancelPaymentBody,
  ChargeInput,
  CreatePaymentScheduleResponse,
  DeleteBillingKeyResponse,
  GetBillingKeyInfosBody,
  GetBillingKeyInfosResponse,
  GetPaymentSchedulesBody,
  GetPaymentSchedulesResponse,
  PaymentCancellation,
  PaymentSchedule,
  PortoneChargeResult,
  PortoneErrorCode,
  PortonePayment,
  PortonePaymentRaw,
  RevokePaymentSchedulesResponse,
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

/** A list's sort and filter, and the page size the iterator asks for (PortOne's default 10). */
export type ListOptions<Body extends { page?: unknown }> = Omit<Body, 'page'> &
  CallOptions & { pageSize?: number }

export interface CancelOptions
  extends Omit<CancelPaymentBody, 'storeId' | 'currentCancellableAmount'> {
  /**
   * The balance before this cancel, as you last saw it: when PortOne's differs, nothing is
   * cancelled (409 CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN), so a repeated cancel cannot cancel twice.
   */
  currentCancellableAmount: number
}

export interface ScheduleInput {
  payment: ChargeInput
  /** When to charge: a Date, or an ISO 8601 timestamp sent as written. */
  timeToPay: Date | string
}

export interface PortoneClient {
  /** The API root every request goes to, without a trailing slash. */
  readonly baseUrl: string
  /**
   * `fetch` with this client's auth, retries, timeouts and logging, for any PortOne endpoint:
   * `createPortoneApi(client)` (from `@billingkey/portone/api`) builds the typed openapi-fetch
   * client for the whole spec on it.
   */
  readonly fetch: Transport
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
  /**
   * Charges `input.billingKey` under your `paymentId` (store it before calling; reuse it for any
   * retry of the same charge) and proves the outcome: paid (for `amount.total`), declined (the PG
   * refused: `code` and `reason` are its pgCode and pgMessage), or unknown (look it up later with
   * `getPayment`, never charge under a new id). Sent with an `Idempotency-Key` derived from
   * `paymentId`, which PortOne keeps 3 hours: this client retries the charge on a lost answer, a
   * 5xx or a request still in flight, and within those 3 hours so may you. 409 ALREADY_PAID is
   * looked up: paid for the same amount is paid. Each attempt waits at least 60 s.
   */
  chargeBillingKey(
    paymentId: string,
    input: ChargeInput,
    options?: ChargeOptions,
  ): Promise<PortoneChargeResult>
  /** `GET /payments/{paymentId}` in the shared model; NotFoundError (PAYMENT_NOT_FOUND) if none. */
  getPayment(paymentId: string, options?: CallOptions): Promise<PortonePayment>
  /**
   * `POST /payments/{paymentId}/cancel`, guarded by `currentCancellableAmount`. Resolves to the
   * cancellation, or null when PortOne says the payment is already cancelled (done).
   */
  cancelPayment(
    paymentId: string,
    cancel: CancelOptions,
    options?: CallOptions,
  ): Promise<PaymentCancellation | null>
  /** `POST /payments/{paymentId}/schedule`, with an `Idempotency-Key` derived from `paymentId`. */
  schedulePayment(
    paymentId: string,
    schedule: ScheduleInput,
    options?: CallOptions,
  ): Promise<CreatePaymentScheduleResponse>
  getPaymentSchedule(scheduleId: string, options?: CallOptions): Promise<PaymentSchedule>
  /** One page of `GET /payment-schedules`: without `filter.from`/`until`, the past 90 days only. */
  getPaymentSchedulePage(
    body?: GetPaymentSchedulesBody,
    options?: CallOptions,
  ): Promise<GetPaymentSchedulesResponse>
  /** Every schedule matching `filter`, page after page. Set `from`/`until` to see future ones. */
  listPaymentSchedules(
    options?: ListOptions<GetPaymentSchedulesBody>,
  ): AsyncIterable<PaymentSchedule>
  /**
   * `DELETE /payment-schedules`: every pending schedule of `billingKey`, or the `scheduleIds`
   * given (one is required). All or nothing.
   */
  revokePaymentSchedules(
    target: { billingKey?: string; scheduleIds?: string[] },
    options?: CallOptions,
  ): Promise<RevokePaymentSchedulesResponse>
}

const provider = 'portone'
// PortOne keeps an idempotency key 3 hours and reads a charge for up to a minute.
const CHARGE = /\/payments\/[^/]+\/(billing-key|schedule)$/

const fail = (field: string, rule: string, operation: string): never => {
  throw new ValidationError(`${field} ${rule}`, { field, provider, operation })
}
const id = (value: unknown, field: string, operation: string) =>
  assertPathId(value, { field, maxLength: 200, provider, operation })
const text = (value: unknown, field: string, operation: string) => {
  if (!/\S/.test(assertText(value, { field, maxLength: 2000, provider, operation })))
    fail(field, 'is blank', operation)
}
const amount = (value: unknown, field: string, operation: string, min = 1) => {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= min))
    fail(field, `must be an integer of at least ${min}`, operation)
}

/** A charge or schedule body, checked field by field; the caller's own object is sent. */
function checkCharge(input: ChargeInput, operation: string) {
  if (typeof input !== 'object' || input === null) fail('input', 'is required', operation)
  assertIdentifier(input.billingKey, { field: 'billingKey', maxLength: 200, provider, operation })
  text(input.orderName, 'orderName', operation)
  amount(input.amount?.total ?? 0, 'amount.total', operation)
  amount(input.amount.taxFree, 'amount.taxFree', operation, 0)
  amount(input.amount.vat, 'amount.vat', operation, 0)
  if (typeof input.currency !== 'string' || !/^[A-Z]{3}$/.test(input.currency))
    fail('currency', 'must be an ISO 4217 code such as KRW', operation)
}

/**
 * The quoted `Idempotency-Key` of one operation on `paymentId`: the same on every retry, by this
 * client or by the caller. Percent-encoding makes it ASCII; `=` (never in the encoding) pads it
 * to PortOne's 16-character minimum, so two ids never share a key.
 */
function idempotencyKey(paymentId: string, operation: string, suffix: string) {
  const key = `${encodeURIComponent(paymentId)}-${suffix}`.padStart(16, '=')
  if (key.length > 256) fail('paymentId', 'is too long for an Idempotency-Key', operation)
  return { 'idempotency-key': `"${key}"` }
}

/** An ApiError of `type` (PortOne's `type` is the error's `code`). */
const isType = (e: unknown, type: PortoneErrorCode): e is ApiError =>
  (e as ApiError | undefined)?.code === type

/** A page whose every item fits `item` and whose `page` says how many there are. */
const pageOf =
  (item: Shape): Shape =>
  (value) => {
    const wrong = objectWith('items', 'page')(value)
    if (wrong) return wrong
    const { items, page } = value as { items: unknown; page: { totalCount?: unknown } }
    const bad = listOf(item)(items)
    if (bad) return `has items that ${bad.replace(/^is not/, 'are not')}`
    if (typeof page.totalCount !== 'number') return 'has a page without a totalCount'
  }

/**
 * A PortOne V2 client. Every failure is a typed error from `@billingkey/core`, its `code` the
 * answer's `type`; bad input is a ValidationError before any request.
 */
export function createPortoneClient(options: PortoneClientOptions): PortoneClient {
  const { apiSecret, storeId } = options
  assertIdentifier(apiSecret, { field: 'apiSecret', maxLength: 1000, provider })
  if (storeId !== undefined)
    assertIdentifier(storeId, { field: 'storeId', maxLength: 200, provider })
  const declaration = {
    provider,
    secrets: [apiSecret],
    baseUrl: 'https://api.portone.io',
    auth: { basic: `PortOne ${apiSecret}` },
    // A charge or schedule carries an Idempotency-Key: a repeat replays the first answer.
    isIdempotentPost: ({ url }: { url: string }) => CHARGE.test(new URL(url).pathname),
    ...classification,
  } as const
  const { baseUrl, fetch, call } = createProviderClient<paths, PayloadIsBody, PortoneErrorCode>(
    declaration,
    options,
  )
  const deadlineMs = options.deadlineMs ?? 120_000
  const inStore = storeId === undefined ? {} : { storeId }
  const storeQuery = { query: inStore }
  // The lists take `storeId` in their filter, as JSON in the query `requestBody`.
  const listQuery = (body: { filter?: object } = {}) => ({
    query: {
      requestBody: JSON.stringify(
        storeId ? { ...body, filter: { storeId, ...body.filter } } : body,
      ),
    },
  })

  const getPayment: PortoneClient['getPayment'] = async (paymentId, { signal } = {}) =>
    toPayment(
      await call('getPayment', 'GET', '/payments/{paymentId}', {
        params: { path: { paymentId: id(paymentId, 'paymentId', 'getPayment') }, ...storeQuery },
        signal,
        expect: objectWith('id', 'status', 'amount'),
      }),
    )

  const getBillingKeyPage: PortoneClient['getBillingKeyPage'] = async (body, { signal } = {}) =>
    call('getBillingKeyInfos', 'GET', '/billing-keys', {
      params: listQuery(body),
      signal,
      expect: pageOf(objectWith('billingKey', 'status')),
    })

  const getPaymentSchedulePage: PortoneClient['getPaymentSchedulePage'] = async (
    body,
    { signal } = {},
  ) =>
    call('getPaymentSchedules', 'GET', '/payment-schedules', {
      params: listQuery(body),
      signal,
      expect: pageOf(objectWith('id', 'status')),
    })

  /** Every item of a paged list: pages from 0 until `(number + 1) × size ≥ totalCount`. */
  async function* pages<Body, Item>(
    getPage: (
      body: Body,
      options: CallOptions,
    ) => Promise<{ items: Item[]; page: { totalCount: number } }>,
    { pageSize = 10, signal, ...body }: ListOptions<{ page?: unknown }>,
    operation: string,
  ) {
    amount(pageSize, 'pageSize', operation)
    for (let number = 0; ; number++) {
      const { items, page } = await getPage({ ...body, page: { number, size: pageSize } } as Body, {
        signal,
      })
      yield* items
      if (!items.length || (number + 1) * pageSize >= page.totalCount) return
    }
  }

  return {
    baseUrl,
    fetch,

    getBillingKey: async (billingKey, { signal } = {}) =>
      call('getBillingKeyInfo', 'GET', '/billing-keys/{billingKey}', {
        params: {
          path: { billingKey: id(billingKey, 'billingKey', 'getBillingKey') },
          ...storeQuery,
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

    async chargeBillingKey(paymentId, input, chargeOptions = {}) {
      const operation = 'chargeBillingKey'
      const path = { paymentId: id(paymentId, 'paymentId', operation) }
      checkCharge(input, operation)
      const headers = idempotencyKey(paymentId, operation, 'charge')
      const { signal, pollIntervalMs } = chargeOptions
      // The client's deadline, unless the call sets its own; each attempt waits at least 60 s.
      const { timeoutMs, deadline } = chargeTiming(
        { deadlineMs, ...chargeOptions },
        options.timeoutMs,
        { provider, operation },
      )
      return settleCharge<'portone', PortonePaymentRaw>({
        provider,
        operation,
        orderId: paymentId,
        amount: input.amount.total,
        deadline,
        signal,
        pollIntervalMs,
        async sendCharge(signal) {
          for (let wait = 1_000; ; wait = Math.min(wait * 2, 8_000)) {
            try {
              const { payment } = await call(
                operation,
                'POST',
                '/payments/{paymentId}/billing-key',
                {
                  params: { path },
                  body: { ...inStore, ...input },
                  headers,
                  signal,
                  // PortOne may take a minute to answer a charge.
                  timeoutMs,
                  expect: objectWith('payment'),
                },
              )
              return {
                provider,
                orderId: paymentId,
                paymentId: null,
                status: 'paid',
                amount: input.amount.total,
                cancelledAmount: 0,
                currency: input.currency,
                paidAt: new Date(payment.paidAt),
                failedAt: null,
                cancelledAt: null,
                failure: null,
                raw: { payment },
              }
            } catch (e) {
              // Paid before, under this paymentId: what PortOne holds is the answer.
              if (isType(e, 'ALREADY_PAID'))
                return getPayment(paymentId, { signal }).catch(() => {
                  throw e // the lookups of settleCharge take it from here
                })
              if (!isType(e, 'IDEMPOTENCY_OUTSTANDING_REQUEST')) throw e
              // The first request with this key is still running: ask again, with the same key.
              const delay = (e as { retryAfterMs?: number }).retryAfterMs ?? wait
              if (Date.now() + delay >= deadline || signal?.aborted)
                throw new TimeoutError(
                  `portone ${operation}: payment ${paymentId} was still in flight at the deadline`,
                  { provider, operation, cause: e },
                )
              // The caller's abort cuts the wait short; the next attempt then throws AbortError.
              await sleep(delay, signal).catch(() => {})
            }
          }
        },
        findPayment: (signal) =>
          getPayment(paymentId, { signal }).catch((e) => {
            if (e instanceof NotFoundError && isType(e, 'PAYMENT_NOT_FOUND')) return null
            throw e
          }),
      })
    },

    getPayment,

    async cancelPayment(paymentId, cancel, { signal } = {}) {
      const operation = 'cancelPayment'
      const path = { paymentId: id(paymentId, 'paymentId', operation) }
      if (typeof cancel !== 'object' || cancel === null) fail('cancel', 'is required', operation)
      text(cancel.reason, 'reason', operation)
      amount(cancel.amount, 'amount', operation)
      amount(cancel.taxFreeAmount, 'taxFreeAmount', operation, 0)
      amount(cancel.vatAmount, 'vatAmount', operation, 0)
      amount(cancel.currentCancellableAmount ?? -1, 'currentCancellableAmount', operation, 0)
      try {
        const { cancellation } = await call(operation, 'POST', '/payments/{paymentId}/cancel', {
          params: { path },
          body: { ...inStore, ...cancel },
          signal,
          expect: objectWith('cancellation'),
        })
        return cancellation
      } catch (e) {
        if (isType(e, 'PAYMENT_ALREADY_CANCELLED')) return null
        throw e
      }
    },

    async schedulePayment(
      paymentId,
      { payment, timeToPay } = {} as ScheduleInput,
      { signal } = {},
    ) {
      const operation = 'schedulePayment'
      const path = { paymentId: id(paymentId, 'paymentId', operation) }
      checkCharge(payment, operation)
      const time = timeToPay instanceof Date ? timeToPay.toISOString() : timeToPay
      if (typeof time !== 'string' || Number.isNaN(Date.parse(time)))
        fail('timeToPay', 'must be a Date or an ISO 8601 timestamp', operation)
      return call(operation, 'POST', '/payments/{paymentId}/schedule', {
        params: { path },
        body: { payment: { ...inStore, ...payment }, timeToPay: time },
        headers: idempotencyKey(paymentId, operation, 'schedule'),
        signal,
        expect: objectWith('schedule'),
      })
    },

    getPaymentSchedule: async (scheduleId, { signal } = {}) =>
      call('getPaymentSchedule', 'GET', '/payment-schedules/{paymentScheduleId}', {
        params: {
          path: { paymentScheduleId: id(scheduleId, 'scheduleId', 'getPaymentSchedule') },
          ...storeQuery,
        },
        signal,
        expect: objectWith('id', 'status'),
      }),

    getPaymentSchedulePage,
    listPaymentSchedules: (listOptions = {}) =>
      pages(getPaymentSchedulePage, listOptions, 'listPaymentSchedules'),

    async revokePaymentSchedules({ billingKey, scheduleIds } = {}, { signal } = {}) {
      const operation = 'revokePaymentSchedules'
      if (billingKey === undefined && scheduleIds === undefined)
        fail('billingKey', 'or scheduleIds is required', operation)
      if (billingKey !== undefined)
        assertIdentifier(billingKey, { field: 'billingKey', maxLength: 200, provider, operation })
      if (scheduleIds !== undefined) {
        if (!Array.isArray(scheduleIds) || !scheduleIds.length)
          fail('scheduleIds', 'must be a non-empty array', operation)
        for (const scheduleId of scheduleIds)
          assertIdentifier(scheduleId, {
            field: 'scheduleIds',
            maxLength: 200,
            provider,
            operation,
          })
      }
      return call(operation, 'DELETE', '/payment-schedules', {
        params: {
          query: { requestBody: JSON.stringify({ ...inStore, billingKey, scheduleIds }) },
        },
        signal,
        expect: objectWith('revokedScheduleIds'),
      })
    },
  }
}
