import { randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { formatErrors } from '@billingkey/contract'
import { cardFields, type IamportPg, iamportPg, luhnValid } from './catalog'
import { DEMO_IAMPORT_CREDENTIALS } from './credentials'
import { type Emulator, type Exchange, field, type Reply } from './emulator'
import { createIamportPayments, type IamportWebhook, listParam } from './iamport-payments'
import type { Ledger } from './ledger'
import { deriveRandom, digits, hex } from './random'
import type { SeededIamportKey } from './seed'
import { DAY, kstYearMonth, unixSeconds } from './time'
import type { CustomerFields, IamportChannel, IamportKey, IamportSchemas } from './wire'

/** A schedule as the search sends it; every seeded one has its time. */
type Schedule = IamportSchemas['ScheduleResultAnnotation'] & { schedule_at: number }

/** Token rules, facts §1.2: 30 minutes; a call in the last minute extends by 5 minutes. */
const TOKEN_LIFETIME = 30 * 60
const EXTENSION_WINDOW = 60
const EXTENSION = 5 * 60
const PAGE_SIZE = 20
/** The schedule search window is at most 3 months (facts §1.4 #7). */
const MAX_SCHEDULE_WINDOW = 92 * 86400
const SUBSCRIPTION_PERIOD = 30 * DAY
/** The PGs of the smart-routing group a super billing key is issued at. */
const CHANNEL_GROUP = ['nice', 'kcp'] as const

/** The PG, card and times a key charges with: a super billing key charges its first channel. */
function chargingChannel(key: IamportKey): IamportChannel & { sandbox: boolean } {
  if ('channelGroupId' in key) {
    return { ...(key.succeededChannels?.[0] as IamportChannel), sandbox: false }
  }
  return key
}

export function createIamport(options: {
  seed: number
  now: () => number
  data: readonly SeededIamportKey[]
  ledger: Ledger
  notify: (url: string, webhook: IamportWebhook) => void
}): Emulator {
  const { seed, now } = options
  // Entries, not keys: a seeded key's fields are made on its first lookup (see SeededIamportKey).
  const keys = new Map<string, { readonly key: IamportKey }>()
  const seeded = new Map<string, SeededIamportKey>()
  for (const entry of options.data) {
    seeded.set(entry.uid, entry)
    if (!entry.deleted) keys.set(entry.uid, entry)
  }

  // One token per API key, as the real server keeps it: a new one only once the last has expired.
  let token: { value: string; expiredAt: number } | undefined

  const envelope = (response: unknown, status = 200): Reply => ({
    status,
    body: { code: 0, message: null, response },
  })
  const failure = (status: number, message: string, code = -1): Reply => ({
    status,
    body: { code, message, response: null },
  })
  // Observed wording for an unknown uid (facts §1.3); the documented status is 404.
  const notFound = (uids: readonly string[]) =>
    failure(404, `요청하신 customer_uid(${uids.join(', ')})로 등록된 정보를 찾을 수 없습니다.`, 1)

  const payments = createIamportPayments({
    seed,
    now,
    ledger: options.ledger,
    keyOf: (uid) => keys.get(uid)?.key,
    channelOf: chargingChannel,
    envelope,
    failure,
    notify: options.notify,
  })

  const handlers: Record<string, (exchange: Exchange) => Reply> = {
    ...payments.handlers,
    getToken({ body }) {
      if (
        field(body, 'imp_key') !== DEMO_IAMPORT_CREDENTIALS.apiKey ||
        field(body, 'imp_secret') !== DEMO_IAMPORT_CREDENTIALS.apiSecret
      ) {
        return failure(401, 'imp_key, imp_secret 인증에 실패했습니다.')
      }
      const nowSeconds = unixSeconds(now())
      if (!token || nowSeconds >= token.expiredAt) {
        token = { value: randomBytes(20).toString('hex'), expiredAt: nowSeconds + TOKEN_LIFETIME }
      } else if (token.expiredAt - nowSeconds <= EXTENSION_WINDOW) {
        token.expiredAt += EXTENSION
      }
      const auth: IamportSchemas['AuthAnnotation'] = {
        access_token: token.value,
        now: nowSeconds,
        expired_at: token.expiredAt,
      }
      return envelope(auth)
    },

    getBillingKeys({ query }) {
      const requested = [...new Set(customerUids(query))]
      const found = requested.flatMap((uid) => keys.get(uid)?.key ?? [])
      if (found.length === 0) return notFound(requested)
      return envelope(found, found.length < requested.length ? 207 : 200)
    },

    getBillingKey({ params }) {
      const uid = params.customer_uid as string
      const key = keys.get(uid)?.key
      return key ? envelope(key) : notFound([uid])
    },

    issueBillingKey({ params, body }) {
      const uid = params.customer_uid as string
      const cardDigits = (field(body, 'card_number') ?? '').replace(/\D/g, '')
      if (!luhnValid(cardDigits)) return failure(200, '유효하지않은 카드번호를 입력하셨습니다.')
      const [year, month] = (field(body, 'expiry') ?? '').split('-').map(Number)
      const today = kstYearMonth(now())
      if (!year || !month || month > 12 || year * 12 + month < today.year * 12 + today.month) {
        return failure(200, '카드정보 인증 및 빌키 발급에 실패하였습니다. (유효기간 오류)')
      }
      const customer: Omit<CustomerFields, 'customer_uid'> = {
        customer_id: field(body, 'customer_id') ?? null,
        customer_name: field(body, 'customer_name') ?? null,
        customer_tel: field(body, 'customer_tel') ?? null,
        customer_email: field(body, 'customer_email') ?? null,
        customer_addr: field(body, 'customer_addr') ?? null,
        customer_postcode: field(body, 'customer_postcode') ?? null,
      }
      const at = unixSeconds(now())
      // Credit or check is the issuer's knowledge; a digit's parity makes it stable per card.
      const cardType = Number(cardDigits.at(-5)) % 2 === 0 ? 0 : 1
      const channelGroupId = field(body, 'channel_group_id')
      let key: IamportKey
      if (channelGroupId) {
        // A super billing key; `pg` is ignored (spec: IssueBillingKeyRequest.channel_group_id).
        key = {
          customer_uid: uid,
          channelGroupId,
          ...customer,
          succeededChannels: CHANNEL_GROUP.map((provider) => {
            const pg = iamportPg(provider) as IamportPg
            return {
              pg_provider: pg.provider,
              pg_id: pg.mid,
              ...cardFields(pg, cardDigits, cardType),
              inserted: at,
              updated: at,
            }
          }),
          failedChannels: [],
        }
      } else {
        // `pg` is "{pg}" or "{pg}.{MID}"; without it (or with only a channel_key), the default PG.
        const [provider = 'nice', mid] = (field(body, 'pg') ?? 'nice').split('.')
        const pg = iamportPg(provider)
        if (!pg) return failure(200, `${provider}: 등록되지 않은 PG사입니다.`)
        const previous = keys.get(uid)?.key
        key = {
          customer_uid: uid,
          pg_provider: pg.provider,
          pg_id: mid || pg.mid,
          sandbox: true,
          ...cardFields(pg, cardDigits, cardType),
          ...customer,
          // Re-using a customer_uid replaces its card (facts §1.4 notes).
          inserted: previous && 'inserted' in previous ? previous.inserted : at,
          updated: at,
        }
      }
      keys.set(uid, { key })
      return envelope(key)
    },

    deleteBillingKey({ params }) {
      const uid = params.customer_uid as string
      const key = keys.get(uid)?.key
      if (!key) return notFound([uid])
      keys.delete(uid)
      return envelope(key)
    },

    // An unknown uid has an empty history (observed: 200, code 0), not a 404.
    listPayments({ params, query }) {
      const page = Number(query.get('page') ?? 1)
      const paged: IamportSchemas['PagedPaymentAnnotation'] = paginate(
        [
          ...payments.paymentsOf(params.customer_uid as string),
          ...paymentsOf(params.customer_uid as string),
        ],
        page,
        PAGE_SIZE,
      )
      return envelope(paged)
    },

    listSchedules({ params, query }) {
      const from = Number(query.get('from'))
      const to = Number(query.get('to'))
      if (!(from < to) || to - from > MAX_SCHEDULE_WINDOW) {
        return failure(
          400,
          '조회기간(from, to)이 올바르지 않습니다. 최대 3개월까지 조회할 수 있습니다.',
        )
      }
      const status = query.get('schedule-status')
      const uid = params.customer_uid as string
      const schedules = [...payments.schedulesOf(uid), ...schedulesOf(uid)].filter(
        (s) =>
          from <= (s.schedule_at ?? 0) &&
          (s.schedule_at ?? 0) < to &&
          (!status || s.schedule_status === status),
      )
      const page = Number(query.get('page') ?? 1)
      const paged: IamportSchemas['PagedScheduleAnnotation'] = paginate(schedules, page, PAGE_SIZE)
      return envelope(paged)
    },
  }

  /**
   * A seeded subscription's history: a charge every 30 days from issue until now (until half-way
   * for a deleted key), newest first, about one in twenty declined. Derived on demand from the
   * seed, so thousands of histories cost no memory; keys issued through the API have none.
   */
  function history(uid: string) {
    const entry = seeded.get(uid)
    if (!entry) return undefined
    const channel = chargingChannel(entry.key)
    const start = channel.inserted * 1000
    const end = entry.deleted ? start + (now() - start) / 2 : now()
    const random = deriveRandom(seed, `iamport:history:${uid}`)
    const charges = []
    for (let at = start; at <= end; at += SUBSCRIPTION_PERIOD) {
      charges.push({
        at: unixSeconds(at),
        paid: random() >= 0.05,
        merchantUid: `order_${hex(random, 16)}`,
        impUid: `imps_${digits(random, 12)}`,
      })
    }
    return {
      key: entry.key,
      plan: entry.plan,
      deleted: entry.deleted,
      channel,
      charges: charges.reverse(),
    }
  }

  function paymentsOf(uid: string): IamportSchemas['PaymentAnnotation'][] {
    const found = history(uid)
    if (!found) return []
    const { key, channel, plan } = found
    return found.charges.map((charge) => ({
      imp_uid: charge.impUid,
      merchant_uid: charge.merchantUid,
      customer_uid: uid,
      customer_uid_usage: 'payment.scheduled',
      pay_method: 'card',
      channel: 'api',
      pg_provider: channel.pg_provider,
      pg_id: channel.pg_id,
      name: plan.name,
      amount: plan.amount,
      cancel_amount: 0,
      currency: 'KRW',
      status: charge.paid ? 'paid' : 'failed',
      paid_at: charge.paid ? charge.at : 0,
      failed_at: charge.paid ? 0 : charge.at,
      fail_reason: charge.paid ? null : '잔액이 부족합니다.',
      started_at: charge.at,
      card_name: channel.card_name,
      card_code: channel.card_code,
      card_number: channel.card_number,
      card_type: channel.card_type,
      buyer_name: key.customer_name,
      buyer_email: key.customer_email,
      buyer_tel: key.customer_tel,
      sandbox: channel.sandbox,
    }))
  }

  function schedulesOf(uid: string): Schedule[] {
    const found = history(uid)
    if (!found) return []
    const { key, channel, plan, charges } = found
    const schedule = (at: number, merchantUid: string) => ({
      customer_uid: uid,
      merchant_uid: merchantUid,
      customer_id: key.customer_id,
      pg_provider: channel.pg_provider,
      pg_id: channel.pg_id,
      schedule_at: at,
      amount: plan.amount,
      currency: 'KRW',
      name: plan.name,
      buyer_name: key.customer_name,
      buyer_email: key.customer_email,
      buyer_tel: key.customer_tel,
      buyer_addr: key.customer_addr,
      buyer_postcode: key.customer_postcode,
      custom_data: null,
      revoked_at: 0,
      promotion_id: null,
    })
    const executed = charges.map((charge) => ({
      ...schedule(charge.at, charge.merchantUid),
      imp_uid: charge.impUid,
      executed_at: charge.at,
      schedule_status: 'executed' as const,
      payment_status: charge.paid ? ('paid' as const) : ('failed' as const),
      fail_reason: charge.paid ? null : '잔액이 부족합니다.',
    }))
    const last = charges[0]
    if (found.deleted || !last) return executed
    const next = {
      ...schedule(last.at + SUBSCRIPTION_PERIOD / 1000, `order_${last.merchantUid.slice(6)}_next`),
      imp_uid: null,
      executed_at: 0,
      schedule_status: 'scheduled' as const,
      payment_status: null,
      fail_reason: null,
    }
    return [next, ...executed]
  }

  return {
    provider: 'iamport',
    publicOperations: new Set(['getToken']),
    handlers,
    tick: payments.runDue,
    authorized(headers: IncomingHttpHeaders) {
      const presented = presentedToken(headers)
      return (
        token !== undefined && presented === token.value && unixSeconds(now()) < token.expiredAt
      )
    },
    unauthorized: () => failure(401, '인증 Token이 전달되지 않았거나 유효하지 않습니다.'),
    // Only the schedule search documents 400; elsewhere iamport refuses input the way it refuses a
    // card: HTTP 200 with code -1.
    invalid: (verdict, declared) =>
      failure(declared.includes('400') ? 400 : 200, formatErrors(verdict)),
    failure,
    truncatedBody: '{"code":0,"message":null,"response":{"customer_uid":"',
  }
}

/** `Authorization: Bearer <t>`, the raw `Authorization: <t>`, or the legacy `X-ImpTokenHeader`. */
function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  if (headers.authorization) return headers.authorization.replace(/^Bearer\s+/i, '')
  const legacy = headers['x-imptokenheader']
  return typeof legacy === 'string' ? legacy : undefined
}

/**
 * `customer_uid[]` in the forms SDKs send (facts §1.6): literal `customer_uid[]=`, percent-encoded
 * `customer_uid%5B%5D=` (URLSearchParams decodes keys) and PHP's indexed `customer_uid[0]=`.
 */
function customerUids(query: URLSearchParams): string[] {
  return listParam(query, 'customer_uid')
}

/** iamport's paging: 1-based, `previous`/`next` are 0 when there is no such page. */
function paginate<T>(items: readonly T[], page: number, size: number) {
  const start = (page - 1) * size
  return {
    total: items.length,
    previous: page > 1 ? page - 1 : 0,
    next: start + size < items.length ? page + 1 : 0,
    list: items.slice(start, start + size),
  }
}
