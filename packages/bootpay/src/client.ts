import {
  ApiError,
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
  RejectedError,
  ResponseError,
  ServerError,
  settleCharge,
  type Transport,
  ValidationError,
} from '@billingkey/core'
import { classification } from './errors'
import type { paths } from './generated/schema'
import { toPayment } from './model'
import type {
  AccessToken,
  BankBillingKeyRequest,
  BillingKeyInfo,
  BootpayChargeResult,
  BootpayErrorCode,
  BootpayPayment,
  CancelledReservation,
  CancelRequest,
  CardBillingKeyRequest,
  ChargeRequest,
  DeletedBillingKey,
  Receipt,
  Reservation,
  ReservationInfo,
  ReserveRequest,
  SubscriptionBilling,
} from './types'

/** application_id + private_key: Bearer tokens from `POST /v2/request/token`, cached. */
export interface BootpayTokenCredentials {
  applicationId: string
  privateKey: string
}
/** client_key + secret_key (2025 onward): `Authorization: Basic …` on every call, no token call. */
export interface BootpayBasicCredentials {
  clientKey: string
  secretKey: string
}
export type BootpayClientOptions = (BootpayTokenCredentials | BootpayBasicCredentials) &
  ClientOptions

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

export interface DeleteBillingKeyOptions extends CallOptions {
  /**
   * Reservations of this key to cancel first: Bootpay keeps charging a deleted key's
   * reservations. Each is cancelled in turn, and the key is deleted only when all were; Bootpay
   * lists no key's reservations, so the client cannot refuse for ones you do not name.
   */
  cancelReservations?: readonly string[]
}

export interface BootpayClient {
  /** The API root every request goes to, without a trailing slash. */
  readonly baseUrl: string
  /**
   * `fetch` with this client's auth, retries, timeouts and logging, for any Bootpay endpoint:
   * `createBootpayApi(client)` (from `@billingkey/bootpay/api`) builds the typed openapi-fetch
   * client for the whole spec on it.
   */
  readonly fetch: Transport
  /** A fresh token (`POST /v2/request/token`); only for application_id/private_key clients. */
  getAccessToken(options?: CallOptions): Promise<AccessToken>
  /** `GET /v2/subscribe/billing_key/{receipt_id}`: the key issued on that receipt. */
  getBillingKeyByReceipt(receiptId: string, options?: CallOptions): Promise<SubscriptionBilling>
  /** `GET /v2/billing_key/{billing_key}`. */
  getBillingKey(billingKey: string, options?: CallOptions): Promise<BillingKeyInfo>
  /** `POST /v2/request/subscribe`; never retried. */
  issueCardBillingKey(
    request: CardBillingKeyRequest,
    options?: CallOptions,
  ): Promise<SubscriptionBilling>
  /** `POST /v2/request/subscribe/automatic-transfer`: step 1, answers `status` 41. */
  requestBankBillingKey(request: BankBillingKeyRequest, options?: CallOptions): Promise<Receipt>
  /** `POST /v2/request/subscribe/automatic-transfer/publish`: step 2, after consent. */
  publishBankBillingKey(receiptId: string, options?: CallOptions): Promise<SubscriptionBilling>
  /**
   * `DELETE /v2/subscribe/billing_key/{billing_key}`, after cancelling `cancelReservations`:
   * Bootpay does not cancel a deleted key's reservations itself.
   */
  deleteBillingKey(
    billingKey: string,
    options?: DeleteBillingKeyOptions,
  ): Promise<DeletedBillingKey>
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

const BLANK = /\S/
const BIRTH_OR_BUSINESS_NO = /^(\d{6}|\d{10})$/
const TWO_DIGITS = /^\d{2}$/
const CARD_RULES = {
  pg: BLANK,
  order_name: BLANK,
  subscription_id: BLANK,
  card_no: BLANK,
  card_pw: TWO_DIGITS,
  card_identity_no: BIRTH_OR_BUSINESS_NO,
  card_expire_year: TWO_DIGITS,
  card_expire_month: /^(0[1-9]|1[0-2])$/,
}
const BANK_RULES = {
  pg: BLANK,
  order_name: BLANK,
  subscription_id: BLANK,
  username: BLANK,
  bank_name: BLANK,
  bank_account: BLANK,
  identity_no: BIRTH_OR_BUSINESS_NO,
  phone: BLANK,
}

/**
 * A ValidationError naming the first field that is missing or malformed (never its value).
 */
function check(input: unknown, rules: Record<string, RegExp>, operation?: string) {
  for (const [field, rule] of Object.entries(rules)) {
    const value = (input as Record<string, unknown> | undefined)?.[field]
    if (typeof value !== 'string' || !rule.test(value))
      throw new ValidationError(`${field} is ${value ? 'malformed' : 'required'}`, {
        field,
        provider: 'bootpay',
        operation,
      })
  }
}

/** A path id: at most 128 characters (every recorded id has 24), no "." or ".." segment. */
const id = (value: unknown, field: string, operation: string) =>
  assertPathId(value, { field, maxLength: 128, provider: 'bootpay', operation })

const KEY_BY_RECEIPT = objectWith('receipt_id', 'billing_key', 'status')
const RECEIPT = objectWith('receipt_id', 'order_id', 'price', 'status')
const RESERVATION = objectWith('reserve_id')

const provider = 'bootpay'

const fail = (field: string, rule: string, operation: string): never => {
  throw new ValidationError(`${field} ${rule}`, { field, provider, operation })
}

/** A finite amount, positive unless `zero` is allowed. */
const amountOf = (value: unknown, field: string, operation: string, zero = false) =>
  typeof value === 'number' && Number.isFinite(value) && (zero ? value >= 0 : value > 0)
    ? value
    : fail(
        field,
        zero ? 'must be a finite number, 0 or more' : 'must be a positive finite number',
        operation,
      )

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
    price: amountOf(price, 'price', operation),
    order_name: textOf(orderName, 'orderName', operation),
  }
  for (const [field, value] of Object.entries(optional)) {
    if (typeof value === 'number' && !Number.isFinite(value))
      fail(field, 'must be a finite number', operation)
    if (typeof value === 'string')
      assertText(value, { field, maxLength: 10_000, provider, operation })
  }
  return { ...optional, ...body } as ChargeRequest
}

// Which receipt of an order speaks for it: a paid one is the proof, a pending one is polled.
const PRECEDENCE = ['paid', 'pending', 'partially_cancelled', 'cancelled', 'failed']

// R7: SDK defaults of 10 s, 30 s or none cut off charges that still go through.
// Bootpay's limit of pending reservations per billing key.
const MAX_RESERVATIONS = 10

/**
 * A Bootpay REST v2 client. Every failure is a typed error from `@billingkey/core`: a non-2xx
 * answer, and any answer whose body carries `error_code` (a 200 included).
 */
export function createBootpayClient(options: BootpayClientOptions): BootpayClient {
  const basic = 'clientKey' in options || 'secretKey' in options
  check(
    options,
    basic ? { clientKey: BLANK, secretKey: BLANK } : { applicationId: BLANK, privateKey: BLANK },
  )
  const clientTimeout = options.timeoutMs ?? 0
  const { applicationId, privateKey, clientKey, secretKey } = options as Partial<
    BootpayTokenCredentials & BootpayBasicCredentials
  >
  const tokenBody = { application_id: applicationId as string, private_key: privateKey as string }
  const { baseUrl, fetch, call } = createProviderClient<paths, PayloadIsBody, BootpayErrorCode>(
    {
      provider: 'bootpay',
      secrets: [privateKey, clientKey, secretKey] as string[],
      baseUrl: 'https://api.bootpay.co.kr',
      auth: basic
        ? {
            basic: `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${clientKey}:${secretKey}`)))}`,
          }
        : {
            token: {
              operation: 'getAccessToken',
              path: '/v2/request/token',
              body: tokenBody,
              // Bootpay hands back the same token for 25 minutes after issuing it, so one may have
              // only 5 minutes left whatever `expire_in` says: trusting it for at most 5 never
              // sends a dead one.
              read: ({ access_token, expire_in }: AccessToken) => ({
                accessToken: access_token,
                expiresAt: Date.now() + Math.min(expire_in, 300) * 1000,
              }),
            },
          },
      ...classification,
    },
    options,
  )

  return {
    baseUrl,
    fetch,
    async getAccessToken({ signal } = {}) {
      if (basic)
        throw new ValidationError('a clientKey/secretKey client has no token to get', {
          field: 'applicationId',
          provider: 'bootpay',
          operation: 'getAccessToken',
        })
      return call('getAccessToken', 'POST', '/v2/request/token', {
        body: tokenBody,
        signal,
        expect: objectWith('access_token'),
      })
    },
    getBillingKeyByReceipt: async (receiptId, { signal } = {}) =>
      call('getBillingKeyByReceipt', 'GET', '/v2/subscribe/billing_key/{id}', {
        params: { path: { id: id(receiptId, 'receiptId', 'getBillingKeyByReceipt') } },
        signal,
        expect: KEY_BY_RECEIPT,
      }),
    getBillingKey: async (billingKey, { signal } = {}) =>
      call('getBillingKey', 'GET', '/v2/billing_key/{billing_key}', {
        params: { path: { billing_key: id(billingKey, 'billingKey', 'getBillingKey') } },
        signal,
        expect: objectWith('billing_key', 'status'),
      }),
    async issueCardBillingKey(request, { signal } = {}) {
      check(request, CARD_RULES, 'issueCardBillingKey')
      return call('issueCardBillingKey', 'POST', '/v2/request/subscribe', {
        body: request,
        signal,
        expect: KEY_BY_RECEIPT,
      })
    },
    async requestBankBillingKey(request, { signal } = {}) {
      check(request, BANK_RULES, 'requestBankBillingKey')
      return call('requestBankBillingKey', 'POST', '/v2/request/subscribe/automatic-transfer', {
        body: request,
        signal,
        expect: objectWith('receipt_id'),
      })
    },
    publishBankBillingKey: async (receiptId, { signal } = {}) =>
      call('publishBankBillingKey', 'POST', '/v2/request/subscribe/automatic-transfer/publish', {
        body: { receipt_id: id(receiptId, 'receiptId', 'publishBankBillingKey') },
        signal,
        expect: KEY_BY_RECEIPT,
      }),
    async deleteBillingKey(billingKey, { cancelReservations = [], signal } = {}) {
      const operation = 'deleteBillingKey'
      const key = id(billingKey, 'billingKey', operation)
      if (!Array.isArray(cancelReservations))
        fail('cancelReservations', 'is not an array', operation)
      const reserveIds = cancelReservations.map((reserveId) =>
        id(reserveId, 'cancelReservations', operation),
      )
      // One at a time: a failure stops before the key is deleted, its reservations still listed.
      for (const reserveId of reserveIds) await cancelReservation(reserveId, signal)
      return call(operation, 'DELETE', '/v2/subscribe/billing_key/{id}', {
        params: { path: { id: key } },
        signal,
        expect: objectWith('billing_key'),
      })
    },

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
        cancel_price: price === undefined ? undefined : amountOf(price, 'price', operation),
        cancel_tax_free:
          taxFree === undefined ? undefined : amountOf(taxFree, 'taxFree', operation, true),
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
      cancelReservation(id(reserveId, 'reserveId', 'cancelReservation'), signal),
  }

  function cancelReservation(reserve_id: string, signal: AbortSignal | undefined) {
    return call('cancelReservation', 'DELETE', '/v2/subscribe/payment/reserve/{reserve_id}', {
      params: { path: { reserve_id } },
      signal,
      expect: RESERVATION,
    })
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
