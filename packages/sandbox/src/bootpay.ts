import { randomBytes } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { formatErrors } from '@billingkey/contract'
import { type BootpayFeedback, createBootpayPayments } from './bootpay-payments'
import { BANKS, bootpayPgName, issuerOf, luhnValid, maskCardNumber } from './catalog'
import { DEMO_BOOTPAY_BASIC_CREDENTIALS, DEMO_BOOTPAY_CREDENTIALS } from './credentials'
import { type Emulator, type Exchange, field, type Reply } from './emulator'
import type { Ledger } from './ledger'
import { deriveRandom, hex } from './random'
import type { BootpayKey, DataSet } from './seed'
import { BANK_KEY_EXPIRY, HOUR, kstIso, kstYearMonth, MINUTE, SECOND } from './time'
import type { BootpaySchemas } from './wire'

/** A bank-account key between its request (status 41) and its publication. */
interface PendingBankKey {
  receiptId: string
  subscriptionId: string
  orderName: string
  pg: string
  bank: { name: string; code: string }
  account: string
  username: string
  requestedAt: number
  metadata: Record<string, unknown>
  consented: boolean
  key?: BootpayKey
}

/**
 * Token rules, facts §2.2: valid 30 minutes; asking again within 25 minutes returns the same token,
 * later a new one while the old one stays usable until it expires.
 */
const TOKEN_LIFETIME = 30 * MINUTE
const TOKEN_REUSE = 25 * MINUTE

const METHODS = {
  card: { method: '카드자동결제', symbol: 'card_rebill_rest' },
  bank: { method: '계좌자동이체', symbol: 'automatic_transfer_rest' },
} as const

/**
 * The status of each error code. Bootpay documents none (facts §2.3: "non-2xx"); like the spec's
 * fixtures, 401 for refused credentials and 400 for every other code. Clients decide by the code.
 */
const ERROR_STATUS = {
  TOKEN_KEY_INVALID: 401,
  RC_NOT_FOUND: 400,
  RC_NOT_SUBSCRIBE: 400,
  SUBSCRIBE_BK_EXPIRED: 400,
  RC_INVALID_EXP_MONTH: 400,
  RC_CARD_INVALID: 400,
  SUBSCRIBE_PUBLISH_NOT_READY: 400,
  SUBSCRIBE_AT_LOOKUP_USER_FAILED: 400,
} as const

export interface BootpayEmulator extends Emulator {
  /**
   * The customer consents to a requested bank-account key (in reality, an ARS call). Without it,
   * the first publish attempt fails with SUBSCRIBE_PUBLISH_NOT_READY and consent arrives then.
   * False when no such request is pending.
   */
  consent(receiptId: string): boolean
}

export function createBootpay(options: {
  seed: number
  now: () => number
  data: DataSet['bootpay']
  ledger: Ledger
  /** Posts a reservation's receipt to its feedback_url. */
  notify: (url: string, feedback: BootpayFeedback, orderId: string) => void
}): BootpayEmulator {
  const { now } = options
  // Entries, not keys: a seeded key's fields are made on its first lookup (see SeededBootpayKey).
  const byReceipt = new Map<string, { readonly key: BootpayKey }>()
  const byKey = new Map<string, { readonly key: BootpayKey }>()
  const paymentReceipts = new Set(options.data.paymentReceipts)
  const pending = new Map<string, PendingBankKey>()
  for (const entry of options.data.keys) {
    byReceipt.set(entry.receiptId, entry)
    byKey.set(entry.billingKey, entry)
  }
  // Ids of keys issued at run time come from the seed too, so a replayed test issues the same ids.
  const ids = deriveRandom(options.seed, 'bootpay:issued')
  const newId = () => {
    let id: string
    do id = hex(ids, 24)
    while (byReceipt.has(id) || byKey.has(id) || pending.has(id) || paymentReceipts.has(id))
    return id
  }

  const payments = createBootpayPayments({
    seed: options.seed,
    now,
    ledger: options.ledger,
    keyOf: (billingKey) => byKey.get(billingKey)?.key,
    notify: options.notify,
  })

  const tokens = new Map<string, number>()
  let current: { value: string; issuedAt: number } | undefined

  function add(key: BootpayKey) {
    const entry = { key }
    byReceipt.set(key.receipt_id, entry)
    byKey.set(key.billing_key, entry)
  }

  const error = (code: keyof typeof ERROR_STATUS, message: string): Reply => ({
    status: ERROR_STATUS[code],
    body: { error_code: code, message } satisfies BootpaySchemas['ErrorBody'],
  })
  const ok = (body: unknown): Reply => ({ status: 200, body })
  const expired = (key: BootpayKey) => key.destroyed || key.expireAt <= now()
  const destroyedKey = () => error('SUBSCRIBE_BK_EXPIRED', '빌링키가 만료되었거나 삭제되었습니다.')
  const unknown = (id: string) => error('RC_NOT_FOUND', `${id}: 정보를 찾을 수 없습니다.`)

  /** SubscriptionBilling (facts §2.5), the by-receipt shape. */
  const subscriptionBilling = (key: BootpayKey): BootpaySchemas['SubscriptionBilling'] => ({
    receipt_id: key.receipt_id,
    subscription_id: key.subscription_id,
    gateway_url: 'https://gw.bootpay.co.kr',
    metadata: key.metadata,
    pg: key.pg,
    method: METHODS[key.method].method,
    method_symbol: METHODS[key.method].symbol,
    method_origin: METHODS[key.method].method,
    method_origin_symbol: METHODS[key.method].symbol,
    published_at: kstIso(key.publishedAt),
    requested_at: kstIso(key.requestedAt),
    status_locale: '빌링키발급완료',
    status: 11,
    billing_key: key.billing_key,
    billing_data: key.billing_data,
    billing_expire_at: kstIso(key.expireAt),
  })

  const handlers: Record<string, (exchange: Exchange) => Reply> = {
    ...payments.handlers,
    getAccessToken({ body }) {
      if (
        field(body, 'application_id') !== DEMO_BOOTPAY_CREDENTIALS.applicationId ||
        field(body, 'private_key') !== DEMO_BOOTPAY_CREDENTIALS.privateKey
      ) {
        return error('TOKEN_KEY_INVALID', 'application_id 또는 private_key가 올바르지 않습니다.')
      }
      const at = now()
      if (!current || at - current.issuedAt >= TOKEN_REUSE) {
        for (const [value, expiresAt] of tokens) if (expiresAt <= at) tokens.delete(value)
        current = { value: randomBytes(32).toString('hex'), issuedAt: at }
        tokens.set(current.value, at + TOKEN_LIFETIME)
      }
      const expiresAt = current.issuedAt + TOKEN_LIFETIME
      const token: BootpaySchemas['AccessToken'] = {
        access_token: current.value,
        expire_in: Math.floor((expiresAt - at) / SECOND),
      }
      return ok(token)
    },

    getBillingKeyByReceipt({ params }) {
      // The spec names the segment `id`: it is shared with DELETE, which takes a billing key.
      const receiptId = params.id as string
      const key = byReceipt.get(receiptId)?.key
      if (key) return key.destroyed ? destroyedKey() : ok(subscriptionBilling(key))
      if (paymentReceipts.has(receiptId)) {
        return error('RC_NOT_SUBSCRIBE', '정기결제 빌링키 발급 영수증이 아닙니다.')
      }
      if (pending.has(receiptId)) {
        return error('SUBSCRIBE_PUBLISH_NOT_READY', '빌링키가 아직 발급되지 않았습니다.')
      }
      return unknown(receiptId)
    },

    getBillingKey({ params }) {
      const key = byKey.get(params.billing_key as string)?.key
      if (!key) return unknown(params.billing_key as string)
      if (key.destroyed) return destroyedKey()
      // The by-key shape differs (facts §2.5): expire_at, integer sandbox, status 1, no receipt.
      return ok({
        billing_key: key.billing_key,
        pg: key.pg,
        method: METHODS[key.method].method,
        method_symbol: METHODS[key.method].symbol,
        billing_data: key.billing_data,
        version: 2,
        sandbox: key.sandbox ? 1 : 0,
        expire_at: kstIso(key.expireAt),
        published_at: kstIso(key.publishedAt),
        status: 1,
      } satisfies BootpaySchemas['BillingKeyInfo'])
    },

    issueCardBillingKey({ body }) {
      const month = Number(field(body, 'card_expire_month'))
      const year = 2000 + Number(field(body, 'card_expire_year'))
      const today = kstYearMonth(now())
      const cardDigits = (field(body, 'card_no') ?? '').replace(/\D/g, '')
      if (!luhnValid(cardDigits) || year * 12 + month < today.year * 12 + today.month) {
        return error('RC_CARD_INVALID', '카드 정보가 올바르지 않거나 유효기간이 지났습니다.')
      }
      const issuer = issuerOf(cardDigits)
      const at = now()
      const key: BootpayKey = {
        receipt_id: newId(),
        billing_key: newId(),
        subscription_id: field(body, 'subscription_id') as string,
        pg: bootpayPgName(field(body, 'pg') as string),
        method: 'card',
        billing_data: {
          card_no: maskCardNumber(cardDigits),
          card_company: issuer.name,
          card_company_code: issuer.bootpay,
          card_type: Number(cardDigits.at(-5)) % 2 === 0 ? 0 : 1,
        },
        requestedAt: at,
        publishedAt: at,
        // Valid until the card expires: 23:59:59 KST on the last day of its expiry month.
        expireAt: Date.UTC(year, month, 1) - 9 * HOUR - SECOND,
        sandbox: true,
        destroyed: false,
        metadata: metadataOf(body),
      }
      add(key)
      return ok(subscriptionBilling(key))
    },

    requestBankBillingKey({ body }) {
      const bankName = field(body, 'bank_name') as string
      const bank = BANKS.find((b) => b.name === bankName || b.code === bankName)
      if (!bank) {
        return error(
          'SUBSCRIBE_AT_LOOKUP_USER_FAILED',
          `${bankName}: 계좌 소유주 조회에 실패했습니다.`,
        )
      }
      const request: PendingBankKey = {
        receiptId: newId(),
        subscriptionId: field(body, 'subscription_id') as string,
        orderName: field(body, 'order_name') as string,
        pg: bootpayPgName(field(body, 'pg') as string),
        bank,
        account: (field(body, 'bank_account') as string).replace(/\D/g, ''),
        username: field(body, 'username') as string,
        requestedAt: now(),
        metadata: metadataOf(body),
        consented: false,
      }
      pending.set(request.receiptId, request)
      // Receipt-shaped, status 41 = consent pending (reference capture B06).
      return ok({
        receipt_id: request.receiptId,
        order_id: request.subscriptionId,
        price: 0,
        tax_free: 0,
        cancelled_price: 0,
        cancelled_tax_free: 0,
        order_name: request.orderName,
        company_name: '빌링키 샌드박스',
        gateway_url: 'https://gw.bootpay.co.kr',
        metadata: request.metadata,
        sandbox: true,
        pg: request.pg,
        method: METHODS.bank.method,
        method_symbol: METHODS.bank.symbol,
        method_origin: METHODS.bank.method,
        method_origin_symbol: METHODS.bank.symbol,
        requested_at: kstIso(request.requestedAt),
        status_locale: '자동결제빌링키발급이전',
        currency: 'KRW',
        status: 41,
      } satisfies BootpaySchemas['Receipt'])
    },

    publishBankBillingKey({ body }) {
      const receiptId = field(body, 'receipt_id') as string
      const request = pending.get(receiptId)
      if (!request) return unknown(receiptId)
      if (!request.consented) {
        request.consented = true
        return error('SUBSCRIBE_PUBLISH_NOT_READY', '고객의 출금 동의가 완료되지 않았습니다.')
      }
      // Publishing again returns the same key: a retry after a lost response is harmless.
      request.key ??= {
        receipt_id: request.receiptId,
        billing_key: newId(),
        subscription_id: request.subscriptionId,
        pg: request.pg,
        method: 'bank',
        billing_data: {
          bank_name: request.bank.name,
          bank_code: request.bank.code,
          bank_account: `${request.account.slice(0, 4)}${'*'.repeat(Math.max(0, request.account.length - 6))}${request.account.slice(-2)}`,
          username: `${request.username.slice(0, -1)}*`,
        },
        requestedAt: request.requestedAt,
        publishedAt: now(),
        expireAt: BANK_KEY_EXPIRY,
        sandbox: true,
        destroyed: false,
        metadata: request.metadata,
      }
      add(request.key)
      return ok(subscriptionBilling(request.key))
    },

    deleteBillingKey({ params }) {
      const key = byKey.get(params.id as string)?.key
      if (!key) return unknown(params.id as string)
      if (expired(key)) return destroyedKey()
      key.destroyed = true
      return ok({ billing_key: key.billing_key } satisfies BootpaySchemas['DeletedBillingKey'])
    },
  }

  return {
    provider: 'bootpay',
    publicOperations: new Set(['getAccessToken']),
    handlers,
    tick: payments.runDue,
    consent(receiptId) {
      const request = pending.get(receiptId)
      if (request) request.consented = true
      return request !== undefined
    },
    authorized(headers: IncomingHttpHeaders) {
      const [scheme, credentials] = (headers.authorization ?? '').split(' ')
      if (scheme?.toLowerCase() === 'bearer') {
        return (tokens.get(credentials ?? '') ?? 0) > now()
      }
      if (scheme?.toLowerCase() === 'basic') {
        const { clientKey, secretKey } = DEMO_BOOTPAY_BASIC_CREDENTIALS
        return Buffer.from(credentials ?? '', 'base64').toString() === `${clientKey}:${secretKey}`
      }
      return false
    },
    unauthorized: () => error('TOKEN_KEY_INVALID', '인증 토큰이 없거나 만료되었습니다.'),
    // The spec's pattern for the month catches what the real server reports as its own code.
    invalid: (verdict) =>
      verdict.errors.some((e) => e.pointer === '/body/card_expire_month')
        ? error('RC_INVALID_EXP_MONTH', '카드 유효기간(월)이 올바르지 않습니다.')
        : {
            status: 400,
            body: { error_code: 'INVALID_PARAMETER', message: formatErrors(verdict) },
          },
    failure: (status, message) => ({
      status,
      body: { error_code: status === 404 ? 'NOT_FOUND' : `HTTP_${status}`, message },
    }),
    truncatedBody: '{"receipt_id":"',
  }
}

/** `metadata` of a request body (the spec has it an object), `{}` when absent, as Bootpay answers. */
function metadataOf(body: unknown): Record<string, unknown> {
  return (body as { metadata?: Record<string, unknown> }).metadata ?? {}
}
