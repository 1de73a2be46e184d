import type { Exchange, Reply } from './emulator'
import type { Decline, Ledger, LedgerEntry } from './ledger'
import { deriveRandom, digits, type Random } from './random'
import { unixSeconds } from './time'
import type { IamportChannel, IamportKey, IamportSchemas } from './wire'

type Payment = IamportSchemas['PaymentAnnotation']
type Schedule = IamportSchemas['ScheduleResultAnnotation']

/**
 * Amounts that the issuer declines (HTTP 200, `code: 0`, `status: "failed"`), and the one the PG
 * refuses before charging (HTTP 200, `code: -1`, nothing recorded). Any other amount is paid.
 */
export const IAMPORT_TEST_AMOUNTS: Readonly<Record<number, Decline | 'pg-refusal'>> = {
  4001: { code: 'F001', reason: '잔액이 부족합니다.' },
  4002: { code: 'F002', reason: '한도가 초과되었습니다.' },
  4003: { code: 'F003', reason: '분실 또는 도난 신고된 카드입니다.' },
  4009: 'pg-refusal',
}

/** What a payment carries besides the ledger's facts: the key charged and the request's extras. */
interface PaymentDetails {
  key: IamportKey
  channel: IamportChannel
  customData: string | null
  buyer: Pick<Payment, 'buyer_name' | 'buyer_email' | 'buyer_tel'>
  usage: 'payment' | 'payment.scheduled'
}

interface ScheduleRecord {
  customerUid: string
  merchantUid: string
  scheduleAt: number
  amount: number
  currency: string
  name: string | null
  customData: string | null
  noticeUrl: string | null
  buyer: Pick<
    Schedule,
    'buyer_name' | 'buyer_email' | 'buyer_tel' | 'buyer_addr' | 'buyer_postcode'
  >
  channel: IamportChannel
  customerId: string | null
  revokedAt: number
  executedAt: number
  impUid: string | null
}

/** What a webhook to `notice_url` carries (iamport V1 posts no signature). */
export interface IamportWebhook {
  imp_uid: string
  merchant_uid: string
  status: string
}

const PAYMENT_NOT_FOUND = '존재하지 않는 결제정보입니다.'

/**
 * Charges, lookups, cancels and schedules of the iamport emulator, on the sandbox ledger. Every
 * payment made here is on a test channel (`sandbox: true`).
 */
export function createIamportPayments(options: {
  seed: number
  now: () => number
  ledger: Ledger
  keyOf: (customerUid: string) => IamportKey | undefined
  channelOf: (key: IamportKey) => IamportChannel
  envelope: (response: unknown, status?: number) => Reply
  failure: (status: number, message: string, code?: number) => Reply
  /** Posts a schedule's outcome to its notice_url. */
  notify: (url: string, webhook: IamportWebhook) => void
}) {
  const { now, ledger, keyOf, channelOf, envelope, failure, notify } = options
  const random: Random = deriveRandom(options.seed, 'iamport:payments')
  const details = new Map<string, PaymentDetails>()
  const byCustomer = new Map<string, LedgerEntry[]>()
  const schedules = new Map<string, ScheduleRecord>()
  const paymentNotFound = () => failure(404, PAYMENT_NOT_FOUND, 1)

  function wireStatus(entry: LedgerEntry): Payment['status'] {
    const status = ledger.statusOf(entry)
    // iamport has no partially_cancelled: such a payment stays paid with a cancel_amount.
    return status === 'partially_cancelled' ? 'paid' : status
  }

  function toWire(entry: LedgerEntry): Payment {
    const detail = details.get(entry.paymentId) as PaymentDetails
    const { channel, key } = detail
    const status = wireStatus(entry)
    const settledAt = unixSeconds(entry.settlesAt)
    const paid = status !== 'ready' && !entry.decline
    const cancelled = entry.cancellations.reduce((sum, c) => sum + c.amount, 0)
    const last = entry.cancellations.at(-1)
    const pgTid = paid ? `${channel.pg_id ?? 'pg'}${entry.paymentId.slice(5)}` : null
    return {
      imp_uid: entry.paymentId,
      merchant_uid: entry.orderId,
      amount: entry.amount,
      cancel_amount: cancelled,
      currency: entry.currency,
      status,
      // Every payment here is a test payment: lookups by imp_uid need include_sandbox=true.
      sandbox: true,
      pay_method: 'card',
      channel: 'api',
      pg_provider: channel.pg_provider,
      pg_id: channel.pg_id,
      pg_tid: pgTid,
      apply_num: paid ? entry.paymentId.slice(-8) : null,
      card_code: channel.card_code,
      card_name: channel.card_name,
      card_number: channel.card_number,
      card_type: channel.card_type,
      card_quota: 0,
      name: entry.name,
      ...detail.buyer,
      custom_data: detail.customData,
      started_at: unixSeconds(entry.requestedAt),
      paid_at: paid ? settledAt : 0,
      failed_at: status === 'failed' ? settledAt : 0,
      cancelled_at: last ? unixSeconds(last.at) : 0,
      fail_reason: status === 'failed' ? (entry.decline?.reason ?? null) : null,
      cancel_reason: last?.reason ?? null,
      receipt_url: null,
      cancel_history: entry.cancellations.map((c, i) => ({
        pg_tid: pgTid ?? '',
        amount: c.amount,
        cancelled_at: unixSeconds(c.at),
        reason: c.reason ?? '',
        cancellation_id: `${entry.paymentId}_c${i + 1}`,
        receipt_url: null,
      })),
      customer_uid: key.customer_uid,
      customer_uid_usage: detail.usage,
    }
  }

  /** Charges `key` once for an order, or answers why not. */
  function charge(
    key: IamportKey,
    request: {
      merchantUid: string
      amount: number
      name: string
      currency?: string
      customData?: string | null
      buyer?: Partial<PaymentDetails['buyer']>
      commitDelayMs?: number
      scheduleId?: string
    },
  ): { entry: LedgerEntry } | { refusal: Reply } {
    const rule = IAMPORT_TEST_AMOUNTS[request.amount]
    if (rule === 'pg-refusal') {
      return { refusal: failure(200, '카드사 승인거절: 거래가 거절되었습니다. (sandbox)') }
    }
    const paymentId = `imps_${digits(random, 12)}`
    const result = ledger.charge({
      provider: 'iamport',
      paymentId,
      orderId: request.merchantUid,
      billingKey: key.customer_uid,
      amount: request.amount,
      currency: request.currency ?? 'KRW',
      name: request.name,
      decline: rule ?? null,
      commitDelayMs: request.commitDelayMs,
      scheduleId: request.scheduleId ?? null,
    })
    if ('refused' in result) return { refusal: failure(200, '이미 주문이 이루어진 건입니다.', 1) }
    details.set(paymentId, {
      key,
      channel: channelOf(key),
      customData: request.customData ?? null,
      buyer: {
        buyer_name: request.buyer?.buyer_name ?? key.customer_name,
        buyer_email: request.buyer?.buyer_email ?? key.customer_email,
        buyer_tel: request.buyer?.buyer_tel ?? key.customer_tel,
      },
      usage: request.scheduleId ? 'payment.scheduled' : 'payment',
    })
    const list = byCustomer.get(key.customer_uid) ?? []
    list.unshift(result)
    byCustomer.set(key.customer_uid, list)
    return { entry: result }
  }

  /** An order's payments, newest first (iamport's default sorting, `-started`). */
  const ofOrder = (merchantUid: string, status?: string) =>
    [...ledger.byOrder('iamport', merchantUid)]
      .reverse()
      .filter((entry) => !status || wireStatus(entry) === status)

  function scheduleWire(record: ScheduleRecord): Schedule {
    const entry = record.impUid ? ledger.byPaymentId('iamport', record.impUid) : undefined
    const status = entry && wireStatus(entry)
    return {
      customer_uid: record.customerUid,
      merchant_uid: record.merchantUid,
      imp_uid: record.impUid,
      pg_provider: record.channel.pg_provider,
      pg_id: record.channel.pg_id,
      customer_id: record.customerId,
      schedule_at: record.scheduleAt,
      executed_at: record.executedAt,
      revoked_at: record.revokedAt,
      amount: record.amount,
      currency: record.currency,
      name: record.name,
      ...record.buyer,
      custom_data: record.customData,
      schedule_status: record.revokedAt ? 'revoked' : record.executedAt ? 'executed' : 'scheduled',
      payment_status:
        status === 'paid' || status === 'failed' || status === 'cancelled' ? status : null,
      fail_reason: status === 'failed' ? (entry?.decline?.reason ?? null) : null,
      promotion_id: null,
    }
  }

  /** Runs every schedule whose time has come on the sandbox clock, oldest first. */
  function runDue() {
    const at = unixSeconds(now())
    const due = [...schedules.values()]
      .filter((s) => !s.revokedAt && !s.executedAt && s.scheduleAt <= at)
      .sort((a, b) => a.scheduleAt - b.scheduleAt)
    for (const record of due) {
      record.executedAt = at
      const key = keyOf(record.customerUid)
      const outcome = key
        ? charge(key, {
            merchantUid: record.merchantUid,
            amount: record.amount,
            name: record.name ?? '',
            currency: record.currency,
            customData: record.customData,
            buyer: record.buyer,
            scheduleId: record.merchantUid,
          })
        : undefined
      if (!outcome || !('entry' in outcome)) continue
      record.impUid = outcome.entry.paymentId
      if (record.noticeUrl) {
        notify(record.noticeUrl, {
          imp_uid: outcome.entry.paymentId,
          merchant_uid: record.merchantUid,
          status: wireStatus(outcome.entry),
        })
      }
    }
  }

  const handlers: Record<string, (exchange: Exchange) => Reply> = {
    chargeBillingKey({ body, commitDelayMs }) {
      const request = body as IamportSchemas['ChargeRequest']
      const key = keyOf(request.customer_uid)
      if (!key) return failure(200, '등록되지 않은 구매자입니다.', 1)
      const outcome = charge(key, {
        merchantUid: request.merchant_uid,
        amount: Number(request.amount),
        name: request.name,
        currency: request.currency,
        customData: request.custom_data ?? null,
        buyer: request,
        commitDelayMs,
      })
      return 'refusal' in outcome ? outcome.refusal : envelope(toWire(outcome.entry))
    },

    findPayment({ params }) {
      const [entry] = ofOrder(params.merchant_uid as string)
      return entry ? envelope(toWire(entry)) : paymentNotFound()
    },

    findPaymentByStatus({ params }) {
      const [entry] = ofOrder(params.merchant_uid as string, params.payment_status)
      return entry ? envelope(toWire(entry)) : paymentNotFound()
    },

    findAllPayments: (exchange) => findAll(exchange),
    findAllPaymentsByStatus: (exchange) => findAll(exchange, exchange.params.payment_status),

    getPayment({ params, query }) {
      const entry = ledger.byPaymentId('iamport', params.imp_uid as string)
      // Test-channel payments are left out unless include_sandbox=true (spec: getPayment).
      if (!entry || query.get('include_sandbox') !== 'true') {
        return paymentNotFound()
      }
      return envelope(toWire(entry))
    },

    getPayments({ query }) {
      const impUids = listParam(query, 'imp_uid')
      const merchantUids = listParam(query, 'merchant_uid')
      const found = [
        ...impUids.map((id) => ledger.byPaymentId('iamport', id)),
        ...merchantUids.map((id) => ofOrder(id)[0]),
      ]
      const payments = found.flatMap((entry) => (entry ? [toWire(entry)] : []))
      if (payments.length === 0) return paymentNotFound()
      return envelope(payments, payments.length < found.length ? 207 : 200)
    },

    cancelPayment({ body }) {
      const request = body as IamportSchemas['CancelRequest']
      const entry = request.imp_uid
        ? ledger.byPaymentId('iamport', request.imp_uid)
        : request.merchant_uid
          ? (ofOrder(request.merchant_uid).find((e) => !e.decline) ??
            ofOrder(request.merchant_uid)[0])
          : undefined
      if (!entry) return failure(200, '취소할 결제건이 존재하지 않습니다.', 1)
      const result = ledger.cancel('iamport', entry.paymentId, {
        amount: request.amount ?? undefined,
        checksum: request.checksum ?? undefined,
        reason: request.reason ?? null,
      })
      if (result.ok) return envelope(toWire(result.entry))
      const messages = {
        'not-found': '취소할 결제건이 존재하지 않습니다.',
        'already-cancelled': '이미 전액취소된 주문입니다.',
        'not-paid': '결제완료 상태가 아닌 주문은 취소할 수 없습니다.',
        'checksum-mismatch': '취소가능잔액(checksum)이 일치하지 않습니다.',
        'too-much': '취소요청금액이 취소가능잔액보다 큽니다.',
      }
      return failure(200, messages[result.reason], 1)
    },

    schedulePayments({ body }) {
      const request = body as IamportSchemas['ScheduleRequest']
      const key = keyOf(request.customer_uid)
      if (!key) return failure(200, '등록된 고객정보가 없습니다.', 1)
      const used = request.schedules.find(
        (s) => schedules.has(s.merchant_uid) || ledger.byOrder('iamport', s.merchant_uid).length,
      )
      const repeated = new Set(request.schedules.map((s) => s.merchant_uid)).size
      if (used || repeated < request.schedules.length) {
        return failure(200, `이미 사용된 merchant_uid입니다. (${used?.merchant_uid ?? ''})`, 1)
      }
      const channel = channelOf(key)
      const records = request.schedules.map((s) => {
        const record: ScheduleRecord = {
          customerUid: key.customer_uid,
          merchantUid: s.merchant_uid,
          scheduleAt: s.schedule_at,
          amount: s.amount,
          currency: s.currency ?? 'KRW',
          name: s.name ?? null,
          customData: s.custom_data ?? null,
          noticeUrl: s.notice_url ?? null,
          buyer: {
            buyer_name: s.buyer_name ?? key.customer_name,
            buyer_email: s.buyer_email ?? key.customer_email,
            buyer_tel: s.buyer_tel ?? key.customer_tel,
            buyer_addr: s.buyer_addr ?? key.customer_addr,
            buyer_postcode: s.buyer_postcode ?? key.customer_postcode,
          },
          channel,
          customerId: request.customer_id ?? key.customer_id ?? null,
          revokedAt: 0,
          executedAt: 0,
          impUid: null,
        }
        schedules.set(s.merchant_uid, record)
        return record
      })
      return envelope(records.map(scheduleWire))
    },

    unschedulePayments({ body }) {
      const request = body as IamportSchemas['UnscheduleRequest']
      const wanted = request.merchant_uid && new Set(request.merchant_uid)
      const revoked = [...schedules.values()].filter(
        (s) =>
          !s.revokedAt &&
          !s.executedAt &&
          (!request.customer_uid || s.customerUid === request.customer_uid) &&
          (!wanted || wanted.has(s.merchantUid)),
      )
      if (revoked.length === 0) return failure(200, '취소할 예약결제 기록이 존재하지 않습니다.', 1)
      const at = unixSeconds(now())
      for (const record of revoked) record.revokedAt = at
      return envelope(revoked.map(scheduleWire))
    },

    getSchedule({ params }) {
      const record = schedules.get(params.merchant_uid as string)
      return record
        ? envelope(scheduleWire(record))
        : failure(404, '결제예약 정보가 존재하지 않습니다.', 1)
    },
  }

  function findAll({ params, query }: Exchange, status?: string) {
    const all = ofOrder(params.merchant_uid as string, status)
    if (all.length === 0) return paymentNotFound()
    const page = Number(query.get('page') ?? 1)
    const limit = Number(query.get('limit') ?? 20)
    const start = (page - 1) * limit
    return envelope({
      total: all.length,
      previous: page > 1 ? page - 1 : 0,
      next: start + limit < all.length ? page + 1 : 0,
      list: all.slice(start, start + limit).map(toWire),
    })
  }

  return {
    handlers,
    runDue,
    /** The payments made through the API with a key, newest first. */
    paymentsOf: (customerUid: string) => (byCustomer.get(customerUid) ?? []).map(toWire),
    /** The schedules registered through the API for a key. */
    schedulesOf: (customerUid: string) =>
      [...schedules.values()].filter((s) => s.customerUid === customerUid).map(scheduleWire),
  }
}

/** `name[]` in the forms SDKs send: literal, percent-encoded (decoded by URLSearchParams), indexed. */
export function listParam(query: URLSearchParams, name: string): string[] {
  const pattern = new RegExp(`^${name}\\[\\d*\\]$`)
  const values: string[] = []
  for (const [key, value] of query) if (pattern.test(key)) values.push(value)
  return values
}
