import type { Exchange, Reply } from './emulator'
import type { Decline, Ledger, LedgerEntry } from './ledger'
import { deriveRandom, digits, hex, type Random } from './random'
import type { BootpayKey } from './seed'
import { kstIso } from './time'
import type { BootpaySchemas } from './wire'

type Receipt = BootpaySchemas['Receipt']
type ChargeRequest = BootpaySchemas['ChargeRequest']
type ReserveRequest = BootpaySchemas['ReserveRequest']
type ReservationInfo = BootpaySchemas['ReservationInfo']
type CancelRequest = BootpaySchemas['CancelRequest']

/**
 * Amounts that the issuer declines: non-2xx (400) `{ error_code, message }`, as Bootpay answers a
 * decline. Bootpay documents no decline code, so these `error_code`s are the sandbox's own
 * (`SANDBOX_…`): a client must treat any `error_code` on a charge as "not charged". The attempt is
 * recorded: its receipt has `status: -2` (결제승인실패) and the order may be charged again. Any
 * other amount is paid.
 */
export const BOOTPAY_TEST_AMOUNTS: Readonly<Record<number, Decline>> = {
  4001: { code: 'SANDBOX_CARD_INSUFFICIENT_FUNDS', reason: '잔액이 부족합니다.' },
  4002: { code: 'SANDBOX_CARD_LIMIT_EXCEEDED', reason: '한도가 초과되었습니다.' },
  4003: { code: 'SANDBOX_CARD_LOST_OR_STOLEN', reason: '분실 또는 도난 신고된 카드입니다.' },
}

/**
 * The sandbox's own codes where Bootpay documents none (the spec: any `error_code` is a refusal).
 * The documented ones (`SUBSCRIBE_BK_EXPIRED`, `RC_NOT_FOUND`, `RC_ALREADY_CANCELLED`) are real.
 */
export const BOOTPAY_SANDBOX_CODES = {
  duplicateOrder: 'SANDBOX_DUPLICATE_ORDER_ID',
  repeatedCancel: 'SANDBOX_DUPLICATE_CANCEL_ID',
  notCancellable: 'SANDBOX_NOT_CANCELLABLE',
  cancelTooMuch: 'SANDBOX_CANCEL_PRICE_EXCEEDED',
  reserveLimit: 'SANDBOX_RESERVE_LIMIT_EXCEEDED',
  reserveNotFound: 'SANDBOX_RESERVE_NOT_FOUND',
  reserveDone: 'SANDBOX_RESERVE_NOT_CANCELLABLE',
} as const

/**
 * What a reservation posts to its `feedback_url` when it runs: the payment's receipt, as
 * `GET /v2/receipt/{receipt_id}` answers it.
 */
export interface BootpayFeedback {
  receipt_id: string
  order_id: string
  price: number
  /** 1 paid, -2 declined. */
  status: number
  [field: string]: unknown
}

/** At most this many reservations wait on one key (spec: reservePayment). */
const MAX_RESERVATIONS = 10

/**
 * Reservation `status` values: Bootpay's are undocumented, so these are the sandbox's: 1 waiting
 * (as the spec's example), 2 executed, 3 cancelled.
 */
export const BOOTPAY_RESERVATION_STATUS = { waiting: 1, executed: 2, cancelled: 3 } as const

interface PaymentDetails {
  key: BootpayKey
  taxFree: number
  metadata: Record<string, unknown>
  cardQuota: string
  approveNo: string
}

interface ReservationRecord {
  reserveId: string
  billingKey: string
  orderId: string
  price: number
  taxFree: number
  orderName: string
  feedbackUrl: string | null
  contentType: string | null
  metadata: Record<string, unknown>
  user: ReserveRequest['user']
  extra: ReserveRequest['extra']
  requestedAt: number
  executeAt: number
  startedAt: number
  revokedAt: number
  receiptId: string | null
}

/** A receipt's status and its label, from the ledger's status (spec: the status table). */
const WIRE_STATUS = {
  ready: [2, '결제승인전'],
  paid: [1, '결제완료'],
  failed: [-2, '결제승인실패'],
  cancelled: [20, '결제취소완료'],
  partially_cancelled: [20, '결제취소완료'],
} as const

const METHODS = {
  card: {
    method: '카드',
    method_symbol: 'card',
    method_origin: '카드자동결제',
    method_origin_symbol: 'card_rebill_rest',
  },
  bank: {
    method: '계좌이체',
    method_symbol: 'bank',
    method_origin: '계좌자동이체',
    method_origin_symbol: 'automatic_transfer_rest',
  },
} as const

/**
 * Charges, receipts, cancels and reservations of the Bootpay emulator, on the sandbox ledger. Every
 * payment made here is a test payment (`sandbox: true`).
 */
export function createBootpayPayments(options: {
  seed: number
  now: () => number
  ledger: Ledger
  keyOf: (billingKey: string) => BootpayKey | undefined
  /** Posts a reservation's receipt to its loopback feedback_url. */
  notify: (url: string, receipt: BootpayFeedback, orderId: string) => void
}) {
  const { now, ledger, keyOf, notify } = options
  const random: Random = deriveRandom(options.seed, 'bootpay:payments')
  const details = new Map<string, PaymentDetails>()
  const reservations = new Map<string, ReservationRecord>()
  const newId = () => {
    let id: string
    do id = hex(random, 24)
    while (details.has(id) || reservations.has(id))
    return id
  }

  const refuse = (error_code: string, message: string): Reply => ({
    status: 400,
    body: { error_code, message } satisfies BootpaySchemas['ErrorBody'],
  })
  const ok = (body: unknown): Reply => ({ status: 200, body })
  const usable = (key: BootpayKey | undefined) =>
    key && !key.destroyed && key.expireAt > now() ? key : undefined
  const keyExpired = () => refuse('SUBSCRIBE_BK_EXPIRED', '빌링키가 만료되었거나 삭제되었습니다.')
  const unknownKey = (billingKey: string) =>
    refuse('RC_NOT_FOUND', `${billingKey}: 빌링키 정보를 찾을 수 없습니다.`)
  const receiptNotFound = (receiptId: string) =>
    refuse('RC_NOT_FOUND', `${receiptId}: 영수증 정보를 찾을 수 없습니다.`)

  function toWire(entry: LedgerEntry): Receipt {
    const { key, taxFree, metadata, cardQuota, approveNo } = details.get(
      entry.paymentId,
    ) as PaymentDetails
    const status = ledger.statusOf(entry)
    const [code, locale] = WIRE_STATUS[status]
    const cancelled = entry.cancellations.reduce((sum, c) => sum + c.amount, 0)
    const last = entry.cancellations.at(-1)
    const paid = status !== 'ready' && !entry.decline
    const tid = entry.paymentId.slice(-10)
    const data = key.billing_data
    return {
      receipt_id: entry.paymentId,
      order_id: entry.orderId,
      price: entry.amount,
      tax_free: taxFree,
      cancelled_price: cancelled,
      cancelled_tax_free: 0,
      order_name: entry.name,
      company_name: '빌링키 샌드박스',
      gateway_url: 'https://gw.bootpay.co.kr',
      metadata,
      sandbox: true,
      pg: key.pg,
      ...METHODS[key.method],
      ...(paid ? { purchased_at: kstIso(entry.settlesAt) } : {}),
      requested_at: kstIso(entry.requestedAt),
      ...(last ? { cancelled_at: kstIso(last.at) } : {}),
      status: code,
      status_locale: locale,
      receipt_url: `https://door.bootpay.co.kr/receipt/${entry.paymentId}`,
      currency: entry.currency,
      ...('card_no' in data
        ? {
            card_data: {
              tid,
              card_approve_no: paid ? approveNo : '',
              card_no: data.card_no,
              card_quota: cardQuota,
              card_company_code: data.card_company_code,
              card_company: data.card_company,
              card_interest: '0',
              card_type: String(data.card_type),
            },
          }
        : {
            bank_data: {
              tid,
              bank_code: data.bank_code,
              bank_name: data.bank_name,
              bank_account: data.bank_account,
              bank_username: data.username,
            },
          }),
    }
  }

  /** Charges `key` once for an order, or answers why not. */
  function charge(
    key: BootpayKey,
    request: {
      orderId: string
      price: number
      orderName: string
      taxFree?: number
      metadata?: Record<string, unknown>
      cardQuota?: string
      commitDelayMs?: number
      scheduleId?: string
    },
  ): { entry: LedgerEntry } | { refusal: Reply } {
    const paymentId = newId()
    const result = ledger.charge({
      provider: 'bootpay',
      paymentId,
      orderId: request.orderId,
      billingKey: key.billing_key,
      amount: request.price,
      currency: 'KRW',
      name: request.orderName,
      decline: BOOTPAY_TEST_AMOUNTS[request.price] ?? null,
      commitDelayMs: request.commitDelayMs,
      scheduleId: request.scheduleId ?? null,
    })
    if ('refused' in result) {
      return {
        refusal: refuse(
          BOOTPAY_SANDBOX_CODES.duplicateOrder,
          `${request.orderId}: 이미 결제된 주문번호(order_id)입니다. 같은 order_id로 중복 결제할 수 없습니다.`,
        ),
      }
    }
    details.set(paymentId, {
      key,
      taxFree: request.taxFree ?? 0,
      metadata: request.metadata ?? {},
      cardQuota: request.cardQuota ?? '00',
      approveNo: digits(random, 8),
    })
    return { entry: result }
  }

  /** A charge's answer as it stands: the receipt, or the decline's error body once it settled. */
  function chargeReply(entry: LedgerEntry): Reply {
    if (ledger.statusOf(entry) === 'failed' && entry.decline) {
      return refuse(entry.decline.code, entry.decline.reason)
    }
    return ok(toWire(entry))
  }

  function reservationWire(record: ReservationRecord): ReservationInfo {
    return {
      reserve_id: record.reserveId,
      ...(record.receiptId ? { receipt_id: record.receiptId } : {}),
      order_id: record.orderId,
      price: record.price,
      tax_free: record.taxFree,
      order_name: record.orderName,
      ...(record.user ? { user: record.user } : {}),
      ...(record.extra ? { extra: record.extra } : {}),
      ...(record.feedbackUrl ? { feedback_url: record.feedbackUrl } : {}),
      ...(record.contentType ? { content_type: record.contentType } : {}),
      metadata: record.metadata,
      reserve_requested_at: kstIso(record.requestedAt),
      reserve_execute_at: kstIso(record.executeAt),
      ...(record.startedAt
        ? {
            reserve_started_at: kstIso(record.startedAt),
            reserve_finished_at: kstIso(record.startedAt),
          }
        : {}),
      ...(record.revokedAt ? { reserve_revoked_at: kstIso(record.revokedAt) } : {}),
      status: record.revokedAt
        ? BOOTPAY_RESERVATION_STATUS.cancelled
        : record.startedAt
          ? BOOTPAY_RESERVATION_STATUS.executed
          : BOOTPAY_RESERVATION_STATUS.waiting,
    }
  }

  const waiting = (record: ReservationRecord) => !record.revokedAt && !record.startedAt

  /**
   * Runs every reservation whose time has come on the sandbox clock, oldest first. A destroyed key
   * is still charged: Bootpay does not cancel a key's reservations when it is destroyed (spec:
   * reservePayment). An expired card is not.
   */
  function runDue() {
    const at = now()
    const due = [...reservations.values()]
      .filter((r) => waiting(r) && r.executeAt <= at)
      .sort((a, b) => a.executeAt - b.executeAt)
    for (const record of due) {
      record.startedAt = at
      const key = keyOf(record.billingKey)
      if (!key || key.expireAt <= at) continue
      const outcome = charge(key, {
        orderId: record.orderId,
        price: record.price,
        orderName: record.orderName,
        taxFree: record.taxFree,
        metadata: record.metadata,
        scheduleId: record.reserveId,
      })
      if (!('entry' in outcome)) continue
      record.receiptId = outcome.entry.paymentId
      if (record.feedbackUrl) notify(record.feedbackUrl, toWire(outcome.entry), record.orderId)
    }
  }

  const handlers: Record<string, (exchange: Exchange) => Reply> = {
    chargeBillingKey({ body, commitDelayMs }) {
      const request = body as ChargeRequest
      const found = keyOf(request.billing_key)
      if (!found) return unknownKey(request.billing_key)
      const key = usable(found)
      if (!key) return keyExpired()
      const outcome = charge(key, {
        orderId: request.order_id,
        price: request.price,
        orderName: request.order_name,
        taxFree: request.tax_free,
        metadata: request.metadata,
        cardQuota: request.card_quota,
        commitDelayMs,
      })
      return 'refusal' in outcome ? outcome.refusal : chargeReply(outcome.entry)
    },

    getReceipt({ params }) {
      const entry = ledger.byPaymentId('bootpay', params.receipt_id as string)
      return entry ? ok(toWire(entry)) : receiptNotFound(params.receipt_id as string)
    },

    findReceiptsByOrderId({ params }) {
      // Every attempt under the order, oldest first; none is an empty array (spec: undocumented).
      return ok(ledger.byOrder('bootpay', params.order_id as string).map(toWire))
    },

    cancelPayment({ body }) {
      const request = body as CancelRequest
      const entry = ledger.byPaymentId('bootpay', request.receipt_id)
      if (!entry) return receiptNotFound(request.receipt_id)
      const status = ledger.statusOf(entry)
      // Already cancelled comes first: a lost answer to a full cancel, retried, is done.
      if (status === 'cancelled') {
        return refuse('RC_ALREADY_CANCELLED', '이미 취소된 결제입니다.')
      }
      // The spec: a repeat with the same cancel_id is refused, so a retry cannot refund twice.
      if (request.cancel_id && entry.cancellations.some((c) => c.cancelId === request.cancel_id)) {
        return refuse(
          BOOTPAY_SANDBOX_CODES.repeatedCancel,
          `${request.cancel_id}: 이미 처리된 취소 요청(cancel_id)입니다.`,
        )
      }
      const result = ledger.cancel('bootpay', entry.paymentId, {
        amount: request.cancel_price,
        reason: request.cancel_message ?? null,
        cancelId: request.cancel_id ?? null,
      })
      if (result.ok) return ok(toWire(result.entry))
      return result.reason === 'too-much'
        ? refuse(BOOTPAY_SANDBOX_CODES.cancelTooMuch, '취소 금액이 취소 가능 금액보다 큽니다.')
        : refuse(
            BOOTPAY_SANDBOX_CODES.notCancellable,
            '결제완료 상태가 아닌 결제는 취소할 수 없습니다.',
          )
    },

    reservePayment({ body }) {
      const request = body as ReserveRequest
      const found = keyOf(request.billing_key)
      if (!found) return unknownKey(request.billing_key)
      if (!usable(found)) return keyExpired()
      const pending = [...reservations.values()].filter(
        (r) => waiting(r) && r.billingKey === request.billing_key,
      )
      if (pending.length >= MAX_RESERVATIONS) {
        return refuse(
          BOOTPAY_SANDBOX_CODES.reserveLimit,
          `빌링키당 예약은 최대 ${MAX_RESERVATIONS}건입니다.`,
        )
      }
      const taken =
        ledger.byOrder('bootpay', request.order_id).some((e) => ledger.statusOf(e) !== 'failed') ||
        [...reservations.values()].some((r) => waiting(r) && r.orderId === request.order_id)
      if (taken) {
        return refuse(
          BOOTPAY_SANDBOX_CODES.duplicateOrder,
          `${request.order_id}: 이미 사용된 주문번호(order_id)입니다.`,
        )
      }
      const record: ReservationRecord = {
        reserveId: newId(),
        billingKey: request.billing_key,
        orderId: request.order_id,
        price: request.price,
        taxFree: request.tax_free ?? 0,
        orderName: request.order_name,
        feedbackUrl: request.feedback_url ?? null,
        contentType: request.content_type ?? null,
        metadata: request.metadata ?? {},
        user: request.user,
        extra: request.extra,
        requestedAt: now(),
        executeAt: Date.parse(request.reserve_execute_at),
        startedAt: 0,
        revokedAt: 0,
        receiptId: null,
      }
      reservations.set(record.reserveId, record)
      return ok({
        reserve_id: record.reserveId,
        reserve_execute_at: kstIso(record.executeAt),
      } satisfies BootpaySchemas['Reservation'])
    },

    getReservation({ params }) {
      const record = reservations.get(params.reserve_id as string)
      return record
        ? ok(reservationWire(record))
        : refuse(BOOTPAY_SANDBOX_CODES.reserveNotFound, '예약 정보를 찾을 수 없습니다.')
    },

    cancelReservation({ params }) {
      const record = reservations.get(params.reserve_id as string)
      if (!record) {
        return refuse(BOOTPAY_SANDBOX_CODES.reserveNotFound, '예약 정보를 찾을 수 없습니다.')
      }
      // The audit saw SUBSCRIBE_BK_EXPIRED here for a destroyed or expired key: cancel first.
      if (!usable(keyOf(record.billingKey))) return keyExpired()
      if (!waiting(record)) {
        return refuse(BOOTPAY_SANDBOX_CODES.reserveDone, '이미 실행되었거나 취소된 예약입니다.')
      }
      record.revokedAt = now()
      return ok({
        reserve_id: record.reserveId,
        success: true,
      } satisfies BootpaySchemas['CancelledReservation'])
    },
  }

  return { handlers, runDue }
}
