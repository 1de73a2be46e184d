// Everything about payments: charging a key, a payment's lookup and cancel, and schedules, and the
// payment part of the facade's adapter (`paymentAdapter`, which adapter.ts spreads in).
import {
  type ApiError,
  type CallOptions,
  type ChargeOptions,
  type ClientOptions,
  chargeTiming,
  defined,
  NotFoundError,
  objectWith,
  type PaymentStatus,
  type ProviderClient,
  SCHEDULE_WINDOW_MS,
  settleCharge,
  sleep,
  TimeoutError,
} from '@billingkey/core'
import type { PortoneClient } from './client'
import type { paths } from './generated/schema'
import {
  amount,
  fail,
  id,
  identifier,
  type ListOptions,
  pageOf,
  pages,
  provider,
  text,
} from './input'
import { date } from './model'
import type {
  CancelPaymentBody,
  ChargeInput,
  CreatePaymentScheduleResponse,
  GetPaymentSchedulesBody,
  GetPaymentSchedulesResponse,
  PaymentCancellation,
  PaymentInfo,
  PaymentSchedule,
  PortoneBillingKeyAdapter,
  PortoneChargeResult,
  PortoneErrorCode,
  PortonePayment,
  PortonePaymentRaw,
  RevokePaymentSchedulesResponse,
} from './types'

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

export interface PortonePayments {
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

/** A charge or schedule: it carries an Idempotency-Key, so a repeat replays the first answer. */
export const IDEMPOTENT_POST = /\/payments\/[^/]+\/(billing-key|schedule)$/

/** A charge or schedule body, checked field by field; the caller's own object is sent. */
function checkCharge(input: ChargeInput, operation: string) {
  if (typeof input !== 'object' || input === null) fail('input', 'is required', operation)
  identifier(input.billingKey, 'billingKey', operation)
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

/** A payment lookup's PAYMENT_NOT_FOUND as null (PortOne holds none); any other failure rethrown. */
const noPayment = (error: unknown): null => {
  if (error instanceof NotFoundError && isType(error, 'PAYMENT_NOT_FOUND')) return null
  throw error
}

// The settled statuses. READY and PAY_PENDING are unsettled, and a virtual account waits for a
// deposit (never a billing-key charge, but the union has it): those, and any status PortOne
// adds, are pending, to be polled.
const STATUS: Partial<Record<PaymentInfo['status'], PaymentStatus>> = {
  PAID: 'paid',
  FAILED: 'failed',
  PARTIAL_CANCELLED: 'partially_cancelled',
  CANCELLED: 'cancelled',
}

/**
 * The shared model of `GET /payments/{paymentId}`: `orderId` is PortOne's `id` (the merchant's
 * paymentId), `paymentId` its `transactionId`; `amount` the total asked; a FAILED payment's
 * `failure` is the PG's `pgCode` and `pgMessage` (else PortOne's `reason`).
 */
export function toPayment(raw: PaymentInfo): PortonePayment {
  const failure = raw.status === 'FAILED' ? raw.failure : undefined
  return {
    provider,
    orderId: raw.id,
    paymentId: raw.transactionId,
    status: STATUS[raw.status] ?? 'pending',
    amount: raw.amount.total,
    cancelledAmount: raw.amount.cancelled ?? 0,
    currency: raw.currency,
    paidAt: date('paidAt' in raw ? raw.paidAt : undefined, 'paidAt'),
    failedAt: date('failedAt' in raw ? raw.failedAt : undefined, 'failedAt'),
    cancelledAt: date('cancelledAt' in raw ? raw.cancelledAt : undefined, 'cancelledAt'),
    failure: failure
      ? { code: failure.pgCode ?? null, reason: failure.pgMessage ?? failure.reason ?? null }
      : null,
    raw,
  }
}

type Call = ProviderClient<paths>['call']
/** A list's body as the query PortOne reads, with the client's store in its filter. */
type ListQuery = (body?: { filter?: object }) => { query: { requestBody: string } }

/**
 * The payment methods of a PortOne client, on its machinery: its typed call, `{ storeId }` when
 * it names a store (else empty), its list query, and its options (a charge's reconciling
 * deadline, 120 s unless set, and per-attempt timeout).
 */
export function createPayments(
  call: Call,
  inStore: { storeId?: string },
  listQuery: ListQuery,
  { deadlineMs = 120_000, timeoutMs: clientTimeoutMs }: ClientOptions,
): PortonePayments {
  const getPayment: PortonePayments['getPayment'] = async (paymentId, { signal } = {}) =>
    toPayment(
      await call('getPayment', 'GET', '/payments/{paymentId}', {
        params: { path: { paymentId: id(paymentId, 'paymentId', 'getPayment') }, query: inStore },
        signal,
        expect: objectWith('id', 'status', 'amount'),
      }),
    )

  const getPaymentSchedulePage: PortonePayments['getPaymentSchedulePage'] = async (
    body,
    { signal } = {},
  ) =>
    call('getPaymentSchedules', 'GET', '/payment-schedules', {
      params: listQuery(body),
      signal,
      expect: pageOf(objectWith('id', 'status')),
    })

  return {
    async chargeBillingKey(paymentId, input, chargeOptions = {}) {
      const operation = 'chargeBillingKey'
      const path = { paymentId: id(paymentId, 'paymentId', operation) }
      checkCharge(input, operation)
      const headers = idempotencyKey(paymentId, operation, 'charge')
      const { signal, pollIntervalMs } = chargeOptions
      // The client's deadline, unless the call sets its own; each attempt waits at least 60 s.
      const { timeoutMs, deadline } = chargeTiming(
        { deadlineMs, ...chargeOptions },
        clientTimeoutMs,
        {
          provider,
          operation,
        },
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
        findPayment: (signal) => getPayment(paymentId, { signal }).catch(noPayment),
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
          query: inStore,
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
      if (billingKey !== undefined) identifier(billingKey, 'billingKey', operation)
      if (scheduleIds !== undefined) {
        if (!Array.isArray(scheduleIds) || !scheduleIds.length)
          fail('scheduleIds', 'must be a non-empty array', operation)
        for (const scheduleId of scheduleIds) identifier(scheduleId, 'scheduleIds', operation)
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

/**
 * The payment part of `createPortoneAdapter`: `charge` is the client's `chargeBillingKey` with
 * `orderId` as `paymentId` (so its `Idempotency-Key` derives from it), `name` as `orderName`,
 * `amount` and `taxFree` as `amount.total`/`amount.taxFree`, `currency` (default KRW) and
 * `customer` (name as `name.full`, `email`, `phone` as `phoneNumber`); `extra` takes any other
 * field of PortOne's input. `findPayment` is `getPayment`, with PAYMENT_NOT_FOUND as null.
 * `scheduledChargeAfter` is one page (of one) of the key's SCHEDULED schedules, soonest first.
 */
export function paymentAdapter(
  client: PortoneClient,
): Pick<PortoneBillingKeyAdapter, 'charge' | 'findPayment' | 'scheduledChargeAfter'> {
  return {
    charge: (ref, { orderId, amount, name, currency, taxFree, customer, extra }, options) => {
      const buyer = defined({
        ...extra?.customer,
        name: customer?.name === undefined ? undefined : { full: customer.name },
        email: customer?.email,
        phoneNumber: customer?.phone,
      })
      return client.chargeBillingKey(
        orderId,
        defined({
          ...extra,
          billingKey: ref.billingKey,
          orderName: name,
          amount: defined({ total: amount, taxFree }),
          currency: currency ?? 'KRW',
          customer: Object.keys(buyer).length > 0 ? buyer : undefined,
        }) as ChargeInput,
        options,
      )
    },

    findPayment: (orderId, options) => client.getPayment(orderId, options).catch(noPayment),

    async scheduledChargeAfter(ref, from, { signal } = {}) {
      const { items } = await client.getPaymentSchedulePage(
        {
          page: { number: 0, size: 1 },
          sort: { by: 'TIME_TO_PAY', order: 'ASC' },
          filter: {
            billingKey: ref.billingKey,
            status: ['SCHEDULED'],
            from: from.toISOString(),
            until: new Date(from.getTime() + SCHEDULE_WINDOW_MS).toISOString(),
          },
        },
        { signal },
      )
      const next = items[0]?.timeToPay
      return next === undefined ? null : new Date(next)
    },
  }
}
