import { DEMO_PORTONE_CREDENTIALS } from './credentials'
import type { Exchange, Reply } from './emulator'
import { IAMPORT_TEST_AMOUNTS } from './iamport-payments'
import type { Decline, Ledger, LedgerEntry } from './ledger'
import type { PortoneKey } from './portone'
import { PORTONE_MERCHANT_ID } from './portone-seed'
import { deriveRandom, hex, type Random } from './random'
import { DAY } from './time'
import type { PortoneSchemas } from './wire'

type Payment = PortoneSchemas['Payment']
type Schedule = PortoneSchemas['PaymentSchedule']
type ChargeInput = PortoneSchemas['BillingKeyPaymentInput']

/** The key's customer with what the request sent over it; a name is sent as `{ full }`. */
function customerOf(
  stored: PortoneSchemas['Customer'] | undefined,
  sent: PortoneSchemas['CustomerInput'] | undefined,
): PortoneSchemas['Customer'] {
  const { name, ...rest } = sent ?? {}
  return { ...stored, ...rest, ...(name?.full !== undefined && { name: name.full }) }
}

/**
 * Amounts the issuer declines: the charge answers 502 PG_PROVIDER with the PG's `pgCode` and
 * `pgMessage`, and the payment is FAILED. The same amounts decline at iamport; any other is paid.
 */
export const PORTONE_TEST_AMOUNTS: Readonly<Record<number, Decline>> = Object.fromEntries(
  Object.entries(IAMPORT_TEST_AMOUNTS).filter(
    (entry): entry is [string, Decline] => typeof entry[1] === 'object',
  ),
)

/** What a payment carries besides the ledger's facts. */
interface PaymentDetails {
  key: PortoneKey
  input: ChargeInput
  transactionId: string
}

interface ScheduleRecord {
  id: string
  paymentId: string
  input: ChargeInput
  createdAt: number
  timeToPay: number
  startedAt?: number
  completedAt?: number
  revokedAt?: number
  /** The ledger entry of the charge it ran, if it got that far. */
  entry?: LedgerEntry
}

const NINETY_DAYS = 90 * DAY

/**
 * Charges, lookups, cancels and schedules of the PortOne V2 emulator, on the sandbox ledger. The
 * ledger's `paymentId` is PortOne's `transactionId`, its `orderId` the merchant's `paymentId`.
 */
export function createPortonePayments(options: {
  seed: number
  now: () => number
  ledger: Ledger
  keyOf: (billingKey: string) => PortoneKey | undefined
  keyNotFound: () => Reply
  keyDeleted: () => Reply
}) {
  const { now, ledger, keyOf, keyNotFound, keyDeleted } = options
  const random: Random = deriveRandom(options.seed, 'portone:payments')
  const details = new Map<string, PaymentDetails>()
  const schedules = new Map<string, ScheduleRecord>()
  const paymentNotFound = () =>
    portoneError(404, 'PAYMENT_NOT_FOUND', '결제 건이 존재하지 않습니다.')
  const uuid = () =>
    `${hex(random, 8)}-${hex(random, 4)}-7${hex(random, 3)}-8${hex(random, 3)}-${hex(random, 12)}`

  /** The payment under a merchant `paymentId`: the one that holds it, else the latest attempt. */
  function paymentOf(paymentId: string): LedgerEntry | undefined {
    const attempts = ledger.byOrder('portone', paymentId)
    return attempts.find((e) => ledger.statusOf(e) !== 'failed') ?? attempts.at(-1)
  }

  function toWire(entry: LedgerEntry): Payment {
    const { key, input, transactionId } = details.get(entry.paymentId) as PaymentDetails
    const status = ledger.statusOf(entry)
    const channel = key.fields.channels[0] as PortoneSchemas['SelectedChannel']
    const cancelled = entry.cancellations.reduce((sum, c) => sum + c.amount, 0)
    const settled = iso(Math.max(entry.settlesAt, entry.requestedAt))
    const last = entry.cancellations.at(-1)
    const paid = status !== 'ready' && !entry.decline
    const common = {
      id: entry.orderId,
      transactionId,
      merchantId: PORTONE_MERCHANT_ID,
      storeId: DEMO_PORTONE_CREDENTIALS.storeId,
      channel,
      version: 'V2' as const,
      ...(entry.scheduleId && { scheduleId: entry.scheduleId }),
      billingKey: entry.billingKey,
      requestedAt: iso(entry.requestedAt),
      updatedAt: iso(last?.at ?? entry.settlesAt),
      statusChangedAt: iso(last?.at ?? entry.settlesAt),
      orderName: entry.name,
      amount: {
        total: entry.amount,
        taxFree: input.amount.taxFree ?? 0,
        ...(input.amount.vat !== undefined && { vat: input.amount.vat }),
        discount: 0,
        paid: paid ? entry.amount : 0,
        cancelled,
        cancelledTaxFree: 0,
      },
      currency: entry.currency,
      customer: customerOf(key.fields.customer, input.customer),
      ...(input.customData !== undefined && { customData: input.customData }),
    }
    const pg = { paidAt: settled, pgTxId: `pg-${transactionId.slice(0, 8)}` }
    const cancellations = entry.cancellations.map((c, i) => ({
      status: 'SUCCEEDED' as const,
      id: `${transactionId}-c${i + 1}`,
      pgCancellationId: `pg-cancel-${transactionId.slice(0, 8)}-${i + 1}`,
      totalAmount: c.amount,
      taxFreeAmount: 0,
      vatAmount: 0,
      reason: c.reason ?? '',
      cancelledAt: iso(c.at),
      requestedAt: iso(c.at),
    }))
    switch (status) {
      case 'ready':
        return { ...common, status: 'PAY_PENDING' }
      case 'failed':
        return {
          ...common,
          status: 'FAILED',
          failedAt: settled,
          failure: {
            reason: entry.decline?.reason,
            pgCode: entry.decline?.code,
            pgMessage: entry.decline?.reason,
          },
        }
      case 'paid':
        return { ...common, status: 'PAID', ...pg }
      default:
        return {
          ...common,
          status: status === 'cancelled' ? 'CANCELLED' : 'PARTIAL_CANCELLED',
          ...pg,
          cancellations,
          cancelledAt: iso(last?.at ?? entry.settlesAt),
        }
    }
  }

  /** Charges a key once under `paymentId`: the ledger entry, or the refusal to answer. */
  function charge(
    paymentId: string,
    input: ChargeInput,
    extra: { commitDelayMs?: number; scheduleId?: string } = {},
  ): { entry: LedgerEntry } | { refusal: Reply } {
    const key = keyOf(input.billingKey)
    if (!key) return { refusal: keyNotFound() }
    if (key.deletedAt !== undefined) return { refusal: keyDeleted() }
    const pending = [...schedules.values()].find(
      (s) => s.paymentId === paymentId && !s.revokedAt && !s.startedAt,
    )
    if (pending && !extra.scheduleId) {
      return {
        refusal: portoneError(
          409,
          'PAYMENT_SCHEDULE_ALREADY_EXISTS',
          '이 결제 건에 예약된 결제가 있습니다.',
        ),
      }
    }
    const transactionId = uuid()
    const result = ledger.charge({
      provider: 'portone',
      paymentId: transactionId,
      orderId: paymentId,
      billingKey: input.billingKey,
      amount: input.amount.total,
      currency: input.currency,
      name: input.orderName,
      decline: PORTONE_TEST_AMOUNTS[input.amount.total] ?? null,
      commitDelayMs: extra.commitDelayMs,
      scheduleId: extra.scheduleId ?? null,
    })
    if ('refused' in result) {
      return { refusal: portoneError(409, 'ALREADY_PAID', '이미 결제가 완료된 결제 건입니다.') }
    }
    details.set(transactionId, { key, input, transactionId })
    return { entry: result }
  }

  /** The answer to a charge: 200 `{payment}` when paid, 502 PG_PROVIDER when declined. */
  function chargeReply(entry: LedgerEntry): Reply {
    if (entry.decline) {
      return portoneError(502, 'PG_PROVIDER', `PG사 결제 거절: ${entry.decline.reason}`, {
        pgCode: entry.decline.code,
        pgMessage: entry.decline.reason,
      })
    }
    const paidAt = iso(entry.settlesAt)
    const transactionId = (details.get(entry.paymentId) as PaymentDetails).transactionId
    return { status: 200, body: { payment: { pgTxId: `pg-${transactionId.slice(0, 8)}`, paidAt } } }
  }

  function scheduleWire(record: ScheduleRecord): Schedule {
    const { input } = record
    const common = {
      id: record.id,
      merchantId: PORTONE_MERCHANT_ID,
      storeId: DEMO_PORTONE_CREDENTIALS.storeId,
      paymentId: record.paymentId,
      billingKey: input.billingKey,
      orderName: input.orderName,
      customer: customerOf(keyOf(input.billingKey)?.fields.customer, input.customer),
      ...(input.customData !== undefined && { customData: input.customData }),
      totalAmount: input.amount.total,
      ...(input.amount.taxFree !== undefined && { taxFreeAmount: input.amount.taxFree }),
      ...(input.amount.vat !== undefined && { vatAmount: input.amount.vat }),
      currency: input.currency,
      createdAt: iso(record.createdAt),
      timeToPay: iso(record.timeToPay),
    }
    if (record.revokedAt) return { ...common, status: 'REVOKED', revokedAt: iso(record.revokedAt) }
    if (!record.startedAt) return { ...common, status: 'SCHEDULED' }
    const times = { startedAt: iso(record.startedAt), completedAt: iso(record.completedAt ?? 0) }
    const status = record.entry && ledger.statusOf(record.entry)
    if (status === 'ready') return { ...common, status: 'STARTED', startedAt: times.startedAt }
    return {
      ...common,
      status: record.entry && !record.entry.decline ? 'SUCCEEDED' : 'FAILED',
      ...times,
    }
  }

  /** Runs every schedule whose time has come on the sandbox clock, oldest first. */
  function runDue() {
    const at = now()
    const due = [...schedules.values()]
      .filter((s) => !s.revokedAt && !s.startedAt && s.timeToPay <= at)
      .sort((a, b) => a.timeToPay - b.timeToPay)
    for (const record of due) {
      record.startedAt = at
      record.completedAt = at
      const outcome = charge(record.paymentId, record.input, { scheduleId: record.id })
      if ('entry' in outcome) record.entry = outcome.entry
    }
  }

  const handlers: Record<string, (exchange: Exchange) => Reply> = {
    payWithBillingKey({ params, body, commitDelayMs }) {
      const outcome = charge(params.paymentId as string, body as ChargeInput, { commitDelayMs })
      return 'refusal' in outcome ? outcome.refusal : chargeReply(outcome.entry)
    },

    getPayment({ params }) {
      const entry = paymentOf(params.paymentId as string)
      return entry ? { status: 200, body: toWire(entry) } : paymentNotFound()
    },

    cancelPayment({ params, body }) {
      const request = body as PortoneSchemas['CancelPaymentBody']
      const entry = paymentOf(params.paymentId as string)
      if (!entry) return paymentNotFound()
      const result = ledger.cancel('portone', entry.paymentId, {
        amount: request.amount,
        checksum: request.currentCancellableAmount,
        reason: request.reason,
      })
      if (!result.ok) {
        const refusals = {
          'not-found': [404, 'PAYMENT_NOT_FOUND', '결제 건이 존재하지 않습니다.'],
          'not-paid': [409, 'PAYMENT_NOT_PAID', '결제가 완료되지 않았습니다.'],
          'already-cancelled': [409, 'PAYMENT_ALREADY_CANCELLED', '이미 취소된 결제입니다.'],
          'checksum-mismatch': [
            409,
            'CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN',
            '취소 가능 잔액이 일치하지 않습니다.',
          ],
          'too-much': [
            409,
            'CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT',
            '취소 금액이 취소 가능 금액을 초과합니다.',
          ],
        } as const
        const [status, type, message] = refusals[result.reason]
        return portoneError(status, type, message)
      }
      const wire = toWire(result.entry)
      const cancellation = 'cancellations' in wire ? wire.cancellations.at(-1) : undefined
      return { status: 200, body: { cancellation } }
    },

    createPaymentSchedule({ params, body }) {
      const paymentId = params.paymentId as string
      const request = body as PortoneSchemas['CreatePaymentScheduleBody']
      const key = keyOf(request.payment.billingKey)
      if (!key) return keyNotFound()
      if (key.deletedAt !== undefined) return keyDeleted()
      if ([...schedules.values()].some((s) => s.paymentId === paymentId && !s.revokedAt)) {
        return portoneError(409, 'PAYMENT_SCHEDULE_ALREADY_EXISTS', '이미 예약된 결제 건입니다.')
      }
      if (ledger.byOrder('portone', paymentId).some((e) => ledger.statusOf(e) !== 'failed')) {
        return portoneError(409, 'ALREADY_PAID_OR_WAITING', '이미 결제되었거나 대기 중입니다.')
      }
      const id = `payment-schedule-${uuid()}`
      schedules.set(id, {
        id,
        paymentId,
        input: request.payment,
        createdAt: now(),
        timeToPay: Date.parse(request.timeToPay),
      })
      return { status: 200, body: { schedule: { id } } }
    },

    getPaymentSchedule({ params }) {
      const record = schedules.get(params.paymentScheduleId as string)
      return record ? { status: 200, body: scheduleWire(record) } : scheduleNotFound()
    },

    getPaymentSchedules({ query }) {
      const {
        page,
        sort,
        filter = {},
      } = requestBody<PortoneSchemas['GetPaymentSchedulesBody']>(query)
      // Without from and until, the past 90 days of timeToPay (spec: getPaymentSchedules).
      const until = filter.until ? Date.parse(filter.until) : now()
      const from = filter.from ? Date.parse(filter.from) : until - NINETY_DAYS
      const items = [...schedules.values()]
        .filter(
          (s) =>
            (!filter.billingKey || s.input.billingKey === filter.billingKey) &&
            from <= s.timeToPay &&
            s.timeToPay < until,
        )
        .map(scheduleWire)
        .filter((s) => !filter.status?.length || filter.status.includes(s.status))
      const timeOf = (s: Schedule) =>
        Date.parse(
          sort?.by === 'CREATED_AT'
            ? s.createdAt
            : sort?.by === 'COMPLETED_AT'
              ? 'completedAt' in s
                ? s.completedAt
                : s.createdAt
              : sort?.by === 'STATUS_TIMESTAMP'
                ? 'revokedAt' in s
                  ? s.revokedAt
                  : 'completedAt' in s
                    ? s.completedAt
                    : s.createdAt
                : s.timeToPay,
        )
      const sign = sort?.order === 'ASC' ? 1 : -1
      items.sort((a, b) => sign * (timeOf(a) - timeOf(b)) || a.id.localeCompare(b.id))
      return { status: 200, body: paged(items, page) }
    },

    revokePaymentSchedules({ query }) {
      const { billingKey, scheduleIds } =
        requestBody<PortoneSchemas['RevokePaymentSchedulesBody']>(query)
      if (billingKey === undefined && scheduleIds === undefined) {
        return portoneError(400, 'INVALID_REQUEST', 'billingKey 또는 scheduleIds가 필요합니다.')
      }
      if (billingKey !== undefined) {
        const key = keyOf(billingKey)
        if (!key) return keyNotFound()
        if (key.deletedAt !== undefined) return keyDeleted()
      }
      const chosen = scheduleIds
        ? scheduleIds.map((id) => schedules.get(id))
        : [...schedules.values()].filter(
            (s) => s.input.billingKey === billingKey && !s.revokedAt && !s.startedAt,
          )
      // All or nothing: one schedule that cannot be revoked refuses the lot.
      for (const record of chosen) {
        if (!record || (billingKey !== undefined && record.input.billingKey !== billingKey))
          return scheduleNotFound()
        if (record.revokedAt)
          return portoneError(409, 'PAYMENT_SCHEDULE_ALREADY_REVOKED', '이미 취소된 예약입니다.')
        if (record.startedAt)
          return portoneError(409, 'PAYMENT_SCHEDULE_ALREADY_PROCESSED', '이미 처리된 예약입니다.')
      }
      const at = now()
      for (const record of chosen as ScheduleRecord[]) record.revokedAt = at
      const revoked: PortoneSchemas['RevokePaymentSchedulesResponse'] = {
        revokedScheduleIds: (chosen as ScheduleRecord[]).map((s) => s.id),
        revokedAt: iso(at),
      }
      return { status: 200, body: revoked }
    },
  }

  return {
    handlers,
    runDue,
    /** Whether schedules are still waiting to run on a key (which then cannot be deleted). */
    pendingSchedules: (billingKey: string) =>
      [...schedules.values()].some(
        (s) => s.input.billingKey === billingKey && !s.revokedAt && !s.startedAt,
      ),
  }
}

const scheduleNotFound = () =>
  portoneError(404, 'PAYMENT_SCHEDULE_NOT_FOUND', '결제 예약 건이 존재하지 않습니다.')

/** A PortOne V2 error: a non-2xx status and `{ type, message }` (and more fields for some types). */
export function portoneError(
  status: number,
  type: string,
  message: string,
  extra: object = {},
): Reply {
  return { status, body: { type, message, ...extra } }
}

/** Parses the JSON of the `requestBody` query parameter (already validated against the spec). */
export function requestBody<T>(query: URLSearchParams): T {
  const raw = query.get('requestBody')
  return (raw ? JSON.parse(raw) : {}) as T
}

export const iso = (ms: number) => new Date(ms).toISOString()

/** PortOne's paging: `page.number` from 0, default size 10; `totalCount` over all pages. */
export function paged<T>(items: readonly T[], page: { number?: number; size?: number } = {}) {
  const number = page.number ?? 0
  const size = page.size ?? 10
  return {
    items: items.slice(number * size, (number + 1) * size),
    page: { number, size, totalCount: items.length },
  }
}
