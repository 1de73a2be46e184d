import type { IncomingHttpHeaders } from 'node:http'
import { formatErrors } from '@billingkey/contract'
import { DEMO_PORTONE_CREDENTIALS } from './credentials'
import type { Emulator, Exchange, Reply } from './emulator'
import type { Ledger } from './ledger'
import { createPortonePayments, iso, paged, portoneError, requestBody } from './portone-payments'
import type { PortoneKeyFields, SeededPortoneKey } from './portone-seed'
import { HOUR } from './time'
import type { PortoneSchemas } from './wire'

type KeyInfo = PortoneSchemas['BillingKeyInfo']
type Handler = (exchange: Exchange) => Reply

/** A key as the emulator holds it: the seeded fields, and whether (and when) it was deleted. */
export interface PortoneKey {
  readonly version: 'V1' | 'V2'
  readonly fields: PortoneKeyFields
  deletedAt: number | undefined
}

/** PortOne keeps an idempotency key 3 hours (facts §2a). */
const IDEMPOTENCY_LIFETIME = 3 * HOUR
/** The operations that honour `Idempotency-Key` (POST and DELETE ones). */
const IDEMPOTENT = new Set([
  'payWithBillingKey',
  'cancelPayment',
  'createPaymentSchedule',
  'deleteBillingKey',
  'revokePaymentSchedules',
])

const byTime = (value: string | undefined) => (value ? Date.parse(value) : 0)

export function createPortone(options: {
  seed: number
  now: () => number
  data: readonly SeededPortoneKey[]
  ledger: Ledger
}): Emulator {
  const { now } = options
  const keys = new Map<string, PortoneKey>()
  for (const entry of options.data) {
    // The seeded fields and deletion time are made on first read; a deletion here overrides them.
    let deletedAt: number | undefined | null = null
    keys.set(entry.billingKey, {
      version: entry.version,
      get fields() {
        return entry.fields
      },
      get deletedAt() {
        return deletedAt === null ? entry.deletedAt : deletedAt
      },
      set deletedAt(at) {
        deletedAt = at
      },
    })
  }

  const info = (key: PortoneKey): KeyInfo =>
    key.deletedAt === undefined
      ? { ...key.fields, status: 'ISSUED' }
      : { ...key.fields, status: 'DELETED', deletedAt: iso(key.deletedAt) }

  const keyNotFound = () =>
    portoneError(404, 'BILLING_KEY_NOT_FOUND', '빌링키가 존재하지 않습니다.')
  const keyDeleted = () =>
    portoneError(409, 'BILLING_KEY_ALREADY_DELETED', '빌링키가 이미 삭제되었습니다.')

  const payments = createPortonePayments({
    seed: options.seed,
    now,
    ledger: options.ledger,
    keyOf: (billingKey) => keys.get(billingKey),
    keyNotFound,
    keyDeleted,
  })

  const handlers: Record<string, (exchange: Exchange) => Reply> = {
    ...payments.handlers,

    getBillingKeyInfo({ params }) {
      const key = keys.get(params.billingKey as string)
      return key ? { status: 200, body: info(key) } : keyNotFound()
    },

    getBillingKeyInfos({ query }) {
      const {
        page,
        sort,
        filter = {},
      } = requestBody<PortoneSchemas['GetBillingKeyInfosBody']>(query)
      const field = filter.timeRangeField ?? 'REQUESTED_AT'
      const timeOf = (key: KeyInfo, by: string) =>
        by === 'ISSUED_AT'
          ? byTime(key.issuedAt)
          : by === 'DELETED_AT'
            ? byTime('deletedAt' in key ? key.deletedAt : undefined)
            : by === 'STATUS_TIMESTAMP'
              ? byTime('deletedAt' in key ? key.deletedAt : key.issuedAt)
              : byTime(key.requestedAt)
      const from = filter.from ? Date.parse(filter.from) : Number.NEGATIVE_INFINITY
      const until = filter.until ? Date.parse(filter.until) : Number.POSITIVE_INFINITY
      const matching = [...keys.values()]
        .filter(
          (key) =>
            (!filter.version || key.version === filter.version) &&
            (!filter.customerId || key.fields.customer.id === filter.customerId),
        )
        .map(info)
        .filter(
          (key) =>
            (!filter.status?.length || filter.status.includes(key.status)) &&
            from <= timeOf(key, field) &&
            timeOf(key, field) < until,
        )
      // PortOne documents no default order; the sandbox lists the newest requests first.
      const by = sort?.by ?? 'REQUESTED_AT'
      const sign = sort?.order === 'ASC' ? 1 : -1
      matching.sort(
        (a, b) =>
          sign * (timeOf(a, by) - timeOf(b, by)) || a.billingKey.localeCompare(b.billingKey),
      )
      return { status: 200, body: paged(matching, page) }
    },

    deleteBillingKey({ params }) {
      const key = keys.get(params.billingKey as string)
      if (!key) return keyNotFound()
      if (key.deletedAt !== undefined) return keyDeleted()
      if (payments.pendingSchedules(key.fields.billingKey)) {
        return portoneError(
          409,
          'PAYMENT_SCHEDULE_ALREADY_EXISTS',
          '빌링키에 예약된 결제가 있습니다. 예약을 먼저 취소하세요.',
        )
      }
      key.deletedAt = now()
      const deleted: PortoneSchemas['DeleteBillingKeyResponse'] = { deletedAt: iso(key.deletedAt) }
      return { status: 200, body: deleted }
    },
  }

  /**
   * `Idempotency-Key`, as PortOne documents it (facts §2a): an answer is stored for 3 hours under
   * the key (with the method and path; PortOne documents no scope, [I]) and sent again for any
   * later request with it; while the first is still in flight (a slow commit holds its answer)
   * the repeat is 409 IDEMPOTENCY_OUTSTANDING_REQUEST. PortOne documents no check of the body, so
   * the sandbox makes none: a different body under a used key gets the stored answer [I].
   */
  const stored = new Map<string, { reply: Reply; answeredAt: number; expiresAt: number }>()
  const idempotent =
    (operationId: string, handler: (exchange: Exchange) => Reply) =>
    (exchange: Exchange): Reply => {
      const header = exchange.headers['idempotency-key']
      if (typeof header !== 'string') return handler(exchange)
      const at = now()
      const scope = `${operationId} ${JSON.stringify(exchange.params)} ${header}`
      const previous = stored.get(scope)
      if (previous && at < previous.expiresAt) {
        if (at < previous.answeredAt) {
          return portoneError(
            409,
            'IDEMPOTENCY_OUTSTANDING_REQUEST',
            '같은 멱등 키의 요청이 처리 중입니다.',
          )
        }
        return previous.reply
      }
      const reply = handler(exchange)
      const answeredAt = at + (exchange.commitDelayMs ?? 0)
      stored.set(scope, { reply, answeredAt, expiresAt: answeredAt + IDEMPOTENCY_LIFETIME })
      return reply
    }
  for (const operationId of IDEMPOTENT) {
    handlers[operationId] = idempotent(operationId, handlers[operationId] as Handler)
  }
  // The secret's store is the only one: another `storeId` is refused, as a secret without access is.
  for (const [operationId, handler] of Object.entries(handlers)) {
    handlers[operationId] = (exchange) =>
      storesOf(exchange).some((id) => id !== DEMO_PORTONE_CREDENTIALS.storeId)
        ? portoneError(403, 'FORBIDDEN', '요청된 상점에 접근할 수 없습니다.')
        : handler(exchange)
  }

  return {
    provider: 'portone',
    publicOperations: new Set(),
    handlers,
    tick: payments.runDue,
    authorized(headers: IncomingHttpHeaders) {
      return headers.authorization === `PortOne ${DEMO_PORTONE_CREDENTIALS.apiSecret}`
    },
    unauthorized: () =>
      portoneError(
        401,
        'UNAUTHORIZED',
        '인증 정보가 올바르지 않습니다. (Authorization: PortOne <secret>)',
      ),
    invalid: (verdict) => portoneError(400, 'INVALID_REQUEST', formatErrors(verdict)),
    failure: (status, message) =>
      portoneError(
        status,
        status === 404
          ? 'NOT_FOUND'
          : status === 429
            ? 'TOO_MANY_REQUESTS'
            : 'INTERNAL_SERVER_ERROR',
        message,
      ),
    truncatedBody: '{"status":"ISSUED","billingKey":"',
  }
}

/** Every `storeId` a request names: in its query, its body, or the JSON of `requestBody`. */
function storesOf({ query, body }: Exchange): unknown[] {
  const list = requestBody<{ storeId?: unknown; filter?: { storeId?: unknown } }>(query)
  const sent = body as { storeId?: unknown; payment?: { storeId?: unknown } } | undefined
  return [
    query.get('storeId') ?? undefined,
    list.storeId,
    list.filter?.storeId,
    sent?.storeId,
    sent?.payment?.storeId,
  ].filter((id) => id !== undefined)
}
