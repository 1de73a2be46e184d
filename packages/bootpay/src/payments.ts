import {
  ApiError,
  assertAmount,
  assertFields,
  assertText,
  type CallOptions,
  type ChargeOptions,
  chargeTiming,
  defined,
  listOf,
  NotFoundError,
  objectWith,
  RejectedError,
  ResponseError,
  ServerError,
  settleCharge,
  type TypedCall,
  ValidationError,
} from '@billingkey/core'
import type { BootpayClient } from './client'
import type { paths } from './generated/schema'
import { fail, id, provider } from './input'
import type {
  BootpayBillingKeyAdapter,
  BootpayChargeResult,
  BootpayPayment,
  CancelledReservation,
  CancelRequest,
  ChargeRequest,
  Receipt,
  Reservation,
  ReservationInfo,
  ReserveRequest,
} from './types'

/**
 * One charge: the key, the caller's `orderId` (persisted before calling, reused for a retry of the
 * same attempt), `price` and `orderName`, and any optional field of Bootpay's request, as Bootpay
 * names it (`tax_free`, `card_quota`, `items`, `user`, `extra`, `feedback_url`, `metadata`, ...).
 */
export interface ChargeBillingKeyRequest
  extends Partial<Omit<ChargeRequest, 'billing_key' | 'order_id' | 'price' | 'order_name'>> {
  billingKey: string
  /** The caller's order key (`order_id`): never reused after a paid or declined charge. */
  orderId: string
  /** What to charge; a paid answer for any other amount is no proof. */
  price: number
  orderName: string
}

export type { ChargeOptions }

/** A charge to run at `executeAt`, on a key that may hold at most 10 pending reservations. */
export interface ReservePaymentRequest extends ChargeBillingKeyRequest {
  /** When Bootpay charges: a Date, or ISO 8601 with offset. */
  executeAt: Date | string
  /**
   * The ids of this key's reservations that have not run, from your records. Bootpay lists no
   * key's reservations, so this is the count the 10-per-key limit is checked against: 10 or more
   * refuses before sending. Required, so the limit is never skipped by omission.
   */
  pendingReservations: readonly string[]
}

/** Which payment to cancel, with the caller's `cancelId` guard. */
export interface CancelPaymentRequest {
  receiptId: string
  /**
   * Your id of this cancellation, chosen and stored before sending: Bootpay refuses a repeat with
   * the same id, so a retry cannot cancel twice. Never derive it from the clock. Required.
   */
  cancelId: string
  /** How much to refund; omitted refunds the whole payment. */
  price?: number
  /** The tax-free part of `price`. */
  taxFree?: number
  reason: string
  /** Who cancels. */
  username?: string
  /** The account to refund a bank payment to. */
  refund?: CancelRequest['refund']
}

export interface GetReceiptOptions extends CallOptions {
  /** Include the buyer's data. */
  lookupUserData?: boolean
}

/** The client's methods about payments: charges, receipts, cancels and reservations. */
export interface BootpayPayments {
  /**
   * Charges a stored key once (`POST /v2/subscribe/payment`), and proves the outcome: `paid`
   * (status 1, the price asked), `declined` (any `error_code`: Bootpay documents no decline code,
   * so every code is a refusal; final), or `unknown` (the answer was lost and lookups by
   * `orderId` until the deadline did not settle it). Never re-sent. Throws a ValidationError for
   * bad input, and an AuthenticationError or RateLimitError when Bootpay refused to process it:
   * nothing was charged then, and a retry may reuse `orderId`.
   */
  chargeBillingKey(
    request: ChargeBillingKeyRequest,
    options?: ChargeOptions,
  ): Promise<BootpayChargeResult>
  /**
   * The payment of an order (`GET /v2/lookup/order/{order_id}`): its paid receipt, else a pending
   * one, else a cancelled or failed one; null when Bootpay holds none (an empty list, or RC_NOT_FOUND).
   */
  findPayment(orderId: string, options?: CallOptions): Promise<BootpayPayment | null>
  /** `GET /v2/receipt/{receipt_id}`; NotFoundError (RC_NOT_FOUND) when there is none. */
  getReceipt(receiptId: string, options?: GetReceiptOptions): Promise<BootpayPayment>
  /**
   * Refunds a payment (`POST /v2/cancel`) guarded by `cancelId`, and returns it as it stands.
   * RC_ALREADY_CANCELLED counts as done: the receipt is looked up and returned. Bootpay's refusal
   * of a repeated `cancelId` has no documented code: it is thrown; `getReceipt` tells the rest.
   */
  cancelPayment(request: CancelPaymentRequest, options?: CallOptions): Promise<BootpayPayment>
  /**
   * Reserves a charge (`POST /v2/subscribe/payment/reserve`); never retried. Refused before
   * sending when `pendingReservations` already holds 10 ids.
   */
  reservePayment(request: ReservePaymentRequest, options?: CallOptions): Promise<Reservation>
  /** `GET /v2/subscribe/payment/reserve/{reserve_id}`; `receipt_id` once it has run. */
  getReservation(reserveId: string, options?: CallOptions): Promise<ReservationInfo>
  /** `DELETE /v2/subscribe/payment/reserve/{reserve_id}`: cancels a reservation not yet run. */
  cancelReservation(reserveId: string, options?: CallOptions): Promise<CancelledReservation>
}

/** What the payment methods take from the client. */
export interface PaymentsKit {
  /** The client's typed call: its auth, retries, timeouts and error classification. */
  call: TypedCall<paths>
  /** The client's `timeoutMs`: a charge's attempt waits at least this long. */
  timeoutMs: number | undefined
}

/** An ISO 8601 time as a Date; absent or unreadable is null. */
const timeOf = (value: string | undefined) => {
  const parsed = value ? new Date(value) : null
  return parsed && !Number.isNaN(parsed.getTime()) ? parsed : null
}

/**
 * A receipt as the shared model sees it (status table in the spec): 1 paid; 20 cancelled, in
 * full or in part, which only `cancelled_price` tells apart; -1 and -2 (failed mid-payment,
 * approval failed) failed; -20 and -30 (a cancel that failed or is in progress) leave the payment
 * as its amounts say; any other status (0, 2 awaiting confirmation, 3 approving, ...) is pending:
 * polled, never re-sent. Bootpay gives a failed receipt no code or reason, so `failure` holds
 * nulls, and
 * no failure time, so `failedAt` is null; `currency` defaults to KRW, Bootpay's own default.
 */
export function toPayment(raw: Receipt): BootpayPayment {
  const { status, price, cancelled_price: cancelled = 0 } = raw
  const failed = status === -1 || status === -2
  const settled = status === 1 || status === 20 || status === -20 || status === -30
  return {
    provider: 'bootpay',
    orderId: raw.order_id,
    paymentId: raw.receipt_id ?? null,
    status: failed
      ? 'failed'
      : !settled
        ? 'pending'
        : cancelled > 0
          ? cancelled >= price
            ? 'cancelled'
            : 'partially_cancelled'
          : status === 20
            ? 'cancelled'
            : 'paid',
    amount: price,
    cancelledAmount: cancelled,
    currency: raw.currency ?? 'KRW',
    paidAt: timeOf(raw.purchased_at),
    failedAt: null,
    cancelledAt: timeOf(raw.cancelled_at),
    failure: failed ? { code: null, reason: raw.status_locale ?? null } : null,
    raw,
  }
}

const RECEIPT = objectWith('receipt_id', 'order_id', 'price', 'status')

/** Non-empty text of at most `maxLength`. */
const textOf = (value: unknown, field: string, operation: string, maxLength = 1000) =>
  assertText(value, { field, maxLength, provider, operation }) === ''
    ? fail(field, 'is empty', operation)
    : (value as string)

/** A charge's body from the caller's request, every field checked before any request. */
function chargeBody(request: ChargeBillingKeyRequest, operation: string): ChargeRequest {
  if (typeof request !== 'object' || request === null) fail('request', 'is required', operation)
  const { billingKey, orderId, price, orderName, ...optional } = request
  const body = {
    billing_key: id(billingKey, 'billingKey', operation),
    // A path id: the lookup that settles an unknown outcome puts it in the path.
    order_id: id(orderId, 'orderId', operation),
    price: assertAmount(price, { field: 'price', provider, operation }),
    order_name: textOf(orderName, 'orderName', operation),
  }
  assertFields(optional, { provider, operation })
  return { ...optional, ...body } as ChargeRequest
}

// Which receipt of an order speaks for it: a paid one is the proof, a pending one is polled.
const PRECEDENCE = ['paid', 'pending', 'partially_cancelled', 'cancelled', 'failed']

// R7: SDK defaults of 10 s, 30 s or none cut off charges that still go through.
// Bootpay's limit of pending reservations per billing key.
const MAX_RESERVATIONS = 10

/** The payment methods of a Bootpay client, on its `call`. */
export function createPayments({ call, timeoutMs: clientTimeout }: PaymentsKit): BootpayPayments {
  return {
    async chargeBillingKey(request, chargeOptions = {}) {
      const operation = 'chargeBillingKey'
      const body = chargeBody(request, operation)
      const { signal, pollIntervalMs } = chargeOptions
      const { timeoutMs, deadline } = chargeTiming(chargeOptions, clientTimeout, {
        provider,
        operation,
      })
      const { order_id } = body
      return settleCharge({
        provider,
        operation,
        orderId: order_id,
        amount: body.price,
        deadline,
        signal,
        pollIntervalMs,
        async sendCharge(signal) {
          let receipt: Receipt
          try {
            receipt = await call(operation, 'POST', '/v2/subscribe/payment', {
              body,
              signal,
              timeoutMs,
              expect: RECEIPT,
            })
          } catch (error) {
            // Any error_code is Bootpay's refusal, a 5xx's too (the spec documents no decline
            // code): the answer came, so the outcome is not lost. The settling lookup still runs.
            if (error instanceof ServerError && error.code !== undefined)
              throw new RejectedError(error.message, {
                provider,
                operation,
                status: error.status,
                code: error.code,
                body: error.body,
                cause: error,
              })
            throw error
          }
          const payment = toPayment(receipt)
          if (payment.orderId !== order_id)
            throw new ResponseError(`bootpay ${operation} answered with another order's receipt`, {
              provider,
              operation,
            })
          return payment
        },
        findPayment: (signal) => findByOrder(order_id, signal),
      })
    },

    findPayment: async (orderId, { signal } = {}) =>
      findByOrder(id(orderId, 'orderId', 'findPayment'), signal),

    getReceipt: async (receiptId, { lookupUserData, signal } = {}) =>
      receiptOf(id(receiptId, 'receiptId', 'getReceipt'), lookupUserData, signal),

    async cancelPayment(request, { signal } = {}) {
      const operation = 'cancelPayment'
      if (typeof request !== 'object' || request === null) fail('request', 'is required', operation)
      const { receiptId, cancelId, price, taxFree, reason, username, refund } = request
      const receipt_id = id(receiptId, 'receiptId', operation)
      const body: CancelRequest = {
        receipt_id,
        cancel_id: textOf(cancelId, 'cancelId', operation, 200),
        cancel_price:
          price === undefined
            ? undefined
            : assertAmount(price, { field: 'price', provider, operation }),
        cancel_tax_free:
          taxFree === undefined
            ? undefined
            : assertAmount(taxFree, { field: 'taxFree', provider, operation, zero: true }),
        cancel_username:
          username === undefined ? undefined : textOf(username, 'username', operation),
        cancel_message: textOf(reason, 'reason', operation),
        refund,
      }
      try {
        return toPayment(
          await call(operation, 'POST', '/v2/cancel', { body, signal, expect: RECEIPT }),
        )
      } catch (error) {
        // Already cancelled is done (R9): the receipt as it stands. Branch on the code (R8).
        if (!(error instanceof ApiError && error.code === 'RC_ALREADY_CANCELLED')) throw error
        return receiptOf(receipt_id, undefined, signal)
      }
    },

    async reservePayment(request, { signal } = {}) {
      const operation = 'reservePayment'
      const body = chargeBody(request, operation) as ReserveRequest & {
        executeAt?: unknown
        pendingReservations?: unknown
      }
      const { executeAt, pendingReservations } = body
      delete body.executeAt
      delete body.pendingReservations
      if (!Array.isArray(pendingReservations))
        fail(
          'pendingReservations',
          "is required: the ids of the key's reservations not yet run",
          operation,
        )
      const pending = new Set(
        (pendingReservations as unknown[]).map((reserveId) =>
          id(reserveId, 'pendingReservations', operation),
        ),
      )
      if (pending.size >= MAX_RESERVATIONS)
        fail(
          'pendingReservations',
          `holds ${pending.size}: a key takes at most ${MAX_RESERVATIONS} reservations`,
          operation,
        )
      const at = executeAt instanceof Date ? executeAt : new Date(executeAt as string)
      if (
        (typeof executeAt !== 'string' && !(executeAt instanceof Date)) ||
        Number.isNaN(at.getTime())
      )
        fail('executeAt', 'must be a Date or an ISO 8601 time', operation)
      body.reserve_execute_at =
        executeAt instanceof Date ? executeAt.toISOString() : (executeAt as string)
      return call(operation, 'POST', '/v2/subscribe/payment/reserve', {
        body,
        signal,
        expect: objectWith('reserve_id', 'reserve_execute_at'),
      })
    },

    getReservation: async (reserveId, { signal } = {}) =>
      call('getReservation', 'GET', '/v2/subscribe/payment/reserve/{reserve_id}', {
        params: { path: { reserve_id: id(reserveId, 'reserveId', 'getReservation') } },
        signal,
        expect: objectWith('reserve_id', 'status'),
      }),

    cancelReservation: async (reserveId, { signal } = {}) =>
      call('cancelReservation', 'DELETE', '/v2/subscribe/payment/reserve/{reserve_id}', {
        params: { path: { reserve_id: id(reserveId, 'reserveId', 'cancelReservation') } },
        signal,
        expect: objectWith('reserve_id'),
      }),
  }

  async function receiptOf(
    receipt_id: string,
    lookupUserData: boolean | undefined,
    signal?: AbortSignal,
  ) {
    return toPayment(
      await call('getReceipt', 'GET', '/v2/receipt/{receipt_id}', {
        params: { path: { receipt_id }, query: { lookup_user_data: lookupUserData } },
        signal,
        expect: RECEIPT,
      }),
    )
  }

  /** The receipt that speaks for an order (PRECEDENCE), or null when Bootpay holds none. */
  async function findByOrder(order_id: string, signal: AbortSignal | undefined) {
    const receipts = await call('findReceiptsByOrderId', 'GET', '/v2/lookup/order/{order_id}', {
      params: { path: { order_id } },
      signal,
      expect: listOf(RECEIPT),
    }).catch((error) => {
      // Bootpay's own not-found answer (with its error_code) means no receipt; anything else is thrown.
      if (error instanceof NotFoundError && error.code !== undefined) return []
      throw error
    })
    const payments = receipts.map(toPayment).filter((payment) => payment.orderId === order_id)
    const rank = (payment: BootpayPayment) => PRECEDENCE.indexOf(payment.status)
    return payments.reduce<BootpayPayment | null>(
      (best, payment) => (best && rank(best) <= rank(payment) ? best : payment),
      null,
    )
  }
}

/**
 * The payment part of `createBootpayAdapter`: `charge` is the client's `chargeBillingKey` with
 * `orderId` as `order_id`, `amount` as `price`, `name` as `order_name` (`taxFree` as `tax_free`,
 * `customer` as `user`; `extra` takes any other field of Bootpay's request). A ref by `receiptId`
 * first looks its billing key up (one GET; a failure there charges nothing). Bootpay charges only
 * KRW. `findPayment` is the client's lookup by `order_id`.
 */
export function paymentAdapter(
  client: BootpayClient,
): Pick<BootpayBillingKeyAdapter, 'charge' | 'findPayment'> {
  return {
    async charge(ref, { orderId, amount, name, currency, taxFree, customer, extra }, options) {
      if (currency !== undefined && currency !== 'KRW')
        throw new ValidationError('currency must be KRW: Bootpay charges no other currency', {
          field: 'currency',
          provider: 'bootpay',
          operation: 'chargeBillingKey',
        })
      const billingKey =
        'receiptId' in ref
          ? (await client.getBillingKeyByReceipt(ref.receiptId, options)).billing_key
          : ref.billingKey
      const user = defined({
        ...extra?.user,
        username: customer?.name,
        email: customer?.email,
        phone: customer?.phone,
      })
      return client.chargeBillingKey(
        defined({
          ...extra,
          billingKey,
          orderId,
          price: amount,
          orderName: name,
          tax_free: taxFree,
          user: Object.keys(user).length > 0 ? user : undefined,
        }),
        options,
      )
    },

    findPayment: (orderId, options) => client.findPayment(orderId, options),
  }
}
