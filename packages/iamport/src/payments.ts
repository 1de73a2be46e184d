import {
  ApiError,
  AuthenticationError,
  assertAmount,
  assertFields,
  assertNonEmptyList,
  assertText,
  type CallOptions,
  type ChargeOptions,
  chargeTiming,
  defined,
  listOf,
  objectWith,
  RateLimitError,
  ResponseError,
  SCHEDULE_WINDOW_MS,
  ServerError,
  type Shape,
  settleCharge,
  type TypedCall,
} from '@billingkey/core'
import type { IamportClient } from './client'
import type { Payload } from './errors'
import { customerUid, fail, orNull, pathId, provider } from './input'
import { date } from './model'
import type {
  CancelRequest,
  ChargeRequest,
  IamportBillingKeyAdapter,
  IamportChargeResult,
  IamportPayment,
  IamportPaymentStatus,
  PagedPaymentAnnotation,
  PagedScheduleAnnotation,
  PaymentAnnotation,
  paths,
  ScheduleEntry,
  ScheduleResultAnnotation,
  ScheduleStatus,
} from './types'

// Everything about payments: charging a key, schedules, lookups by order key or iamport's id,
// cancels, and the payment model. client.ts holds the key calls and spreads these in; the facade's
// adapter (adapter.ts) spreads in its payment part, `paymentAdapter`.

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

/** The payment calls of an iamport client (`IamportClient` has them all). */
export interface IamportPayments {
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

/** What the payment calls take from the client. */
export interface PaymentsKit {
  /** The client's typed call. */
  call: TypedCall<paths, Payload>
  /**
   * The client's `timeoutMs` (0: none): a charge's own timeout is checked against it. R7: SDK
   * defaults of 10 s, 30 s or none cut off charges that still go through.
   */
  timeoutMs: number
}

const seconds = (time: Date | number) =>
  time instanceof Date ? Math.floor(time.getTime() / 1000) : time

const merchantUidOf = pathId('merchantUid', 40)

const impUidOf = pathId('impUid', 32)

/** A request object: anything else is a ValidationError. */
const requestOf = (request: unknown, operation: string) =>
  (typeof request === 'object' && request !== null) || fail('request', 'is required', operation)

/** The distinct order keys of a non-empty list, each checked; a repeat is an error. */
const distinct = (values: unknown, field: string, operation: string) => {
  const list = assertNonEmptyList<unknown>(values, { field, provider, operation }).map((mu) =>
    merchantUidOf(mu, operation, field),
  )
  if (new Set(list).size !== list.length) fail(field, 'must not repeat an id', operation)
  return list
}

const STATUSES: readonly IamportPaymentStatus[] = ['ready', 'paid', 'cancelled', 'failed']

const statusOf = (status: unknown, operation: string) =>
  status === undefined || STATUSES.includes(status as IamportPaymentStatus)
    ? (status as IamportPaymentStatus | undefined)
    : fail('status', `must be one of ${STATUSES.join(', ')}`, operation)

/** iamport answered and refused (not a 401, 429 or 5xx): it may have refused a repeat. */
const isRefusal = (error: unknown) =>
  error instanceof ApiError &&
  !(
    error instanceof AuthenticationError ||
    error instanceof RateLimitError ||
    error instanceof ServerError
  )

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

/** UNIX seconds as a Date; iamport's 0 (or nothing) means "never". */
const timeOf = (seconds: number | null | undefined) => (seconds ? date(seconds) : null)

/**
 * A payment as the shared model sees it. `ready` is `pending`. A cancellation shows in `status`
 * only as `cancelled` (the Swagger's enum has no partial state), and some PGs keep `paid` after a
 * partial one: the amounts decide, so a payment with 0 < cancel_amount < amount is
 * `partially_cancelled` whatever its status says. iamport's `fail_reason` is free text with no
 * code in any source, so `failure.code` is null.
 */
export function toPayment(raw: PaymentAnnotation): IamportPayment {
  const { status, amount, cancel_amount: cancelled = 0 } = raw
  return {
    provider,
    orderId: raw.merchant_uid,
    paymentId: raw.imp_uid ?? null,
    status:
      status === 'ready'
        ? 'pending'
        : status === 'failed'
          ? 'failed'
          : cancelled > 0
            ? cancelled >= amount
              ? 'cancelled'
              : 'partially_cancelled'
            : status === 'cancelled'
              ? 'cancelled'
              : 'paid',
    amount,
    cancelledAmount: cancelled,
    currency: raw.currency,
    paidAt: timeOf(raw.paid_at),
    failedAt: timeOf(raw.failed_at),
    cancelledAt: timeOf(raw.cancelled_at),
    failure: status === 'failed' ? { code: null, reason: raw.fail_reason ?? null } : null,
    raw,
  }
}

/** The payment calls over `kit`: the implementation of `IamportPayments`. */
export function createPayments({ call, timeoutMs: clientTimeout }: PaymentsKit): IamportPayments {
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
      requestOf(request, operation)
      const { merchantUid, amount, name, ...optional } = request
      // A path id: the lookups that settle an unknown outcome put it in the path.
      const merchant_uid = merchantUidOf(merchantUid, operation)
      assertAmount(amount, { field: 'amount', provider, operation })
      if (assertText(name, { field: 'name', maxLength: 40, provider, operation }) === '')
        fail('name', 'is empty', operation)
      assertFields(optional, { provider, operation })
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
      )
      for (const entry of entries) {
        if (!Number.isSafeInteger(entry.schedule_at) || entry.schedule_at <= 0)
          fail('schedules[].schedule_at', 'must be UNIX seconds', operation)
        assertAmount(entry.amount, { field: 'schedules[].amount', provider, operation })
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
      const merchant_uid = merchantUids && distinct(merchantUids, 'merchantUids', operation)
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
      requestOf(request, operation)
      const { impUid, merchantUid, amount, checksum, reason, taxFree, vatAmount } = request
      if ((impUid === undefined) === (merchantUid === undefined))
        fail('impUid/merchantUid', 'must be exactly one', operation)
      const imp_uid = impUid === undefined ? undefined : impUidOf(impUid, operation)
      const merchant_uid =
        merchantUid === undefined ? undefined : merchantUidOf(merchantUid, operation)
      assertAmount(checksum, { field: 'checksum', provider, operation, zero: true })
      const refund =
        amount === undefined
          ? 0
          : assertAmount(amount, { field: 'amount', provider, operation, zero: true })
      if (refund > checksum) fail('amount', 'must not exceed checksum', operation)
      for (const [field, value] of [
        ['taxFree', taxFree],
        ['vatAmount', vatAmount],
      ] as const)
        if (value !== undefined) assertAmount(value, { field, provider, operation, zero: true })
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

/**
 * The payment part of `createIamportAdapter`: `charge` is the client's `chargeBillingKey` with
 * `orderId` as `merchant_uid` (the common fields as `currency`, `tax_free`, `buyer_name`,
 * `buyer_email`, `buyer_tel`; `extra` takes any other field of iamport's request); `findPayment`
 * its `findPayment`; `scheduledChargeAfter` one `listSchedules` of the key's pending schedules.
 */
export function paymentAdapter(
  client: IamportClient,
): Pick<IamportBillingKeyAdapter, 'charge' | 'findPayment' | 'scheduledChargeAfter'> {
  return {
    charge: (ref, { orderId, amount, name, currency, taxFree, customer, extra }, options) =>
      client.chargeBillingKey(
        ref.customerUid,
        defined({
          ...extra,
          merchantUid: orderId,
          amount,
          name,
          currency,
          tax_free: taxFree,
          buyer_name: customer?.name,
          buyer_email: customer?.email,
          buyer_tel: customer?.phone,
        }),
        options,
      ),

    findPayment: (orderId, options) => client.findPayment(orderId, options),

    async scheduledChargeAfter(ref, from, { signal } = {}) {
      const { list } = await client.listSchedules(ref.customerUid, {
        from,
        to: new Date(from.getTime() + SCHEDULE_WINDOW_MS),
        status: 'scheduled',
        signal,
      })
      const first = Math.min(
        ...list.flatMap(({ schedule_at }) =>
          typeof schedule_at === 'number' ? [schedule_at] : [],
        ),
      )
      return Number.isFinite(first) ? new Date(first * 1000) : null
    },
  }
}
