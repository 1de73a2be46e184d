import {
  type CallOptions,
  type ClientOptions,
  createProviderClient,
  objectWith,
  type PayloadIsBody,
  type ProviderClientBase,
  ValidationError,
} from '@billingkey/core'
import { classification } from './errors'
import type { paths } from './generated/schema'
import { fail, id, provider } from './input'
import { type BootpayPayments, createPayments } from './payments'
import type {
  AccessToken,
  BankBillingKeyRequest,
  BillingKeyInfo,
  BootpayErrorCode,
  CardBillingKeyRequest,
  DeletedBillingKey,
  Receipt,
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

export interface DeleteBillingKeyOptions extends CallOptions {
  /**
   * Reservations of this key to cancel first: Bootpay keeps charging a deleted key's
   * reservations. Each is cancelled in turn, and the key is deleted only when all were; Bootpay
   * lists no key's reservations, so the client cannot refuse for ones you do not name.
   */
  cancelReservations?: readonly string[]
}

/** The billing-key methods; the payment methods are `BootpayPayments` (payments.ts). */
export interface BootpayClient extends BootpayPayments, ProviderClientBase {
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
      fail(field, value ? 'is malformed' : 'is required', operation)
  }
}

const KEY_BY_RECEIPT = objectWith('receipt_id', 'billing_key', 'status')

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
  const { applicationId, privateKey, clientKey, secretKey } = options as Partial<
    BootpayTokenCredentials & BootpayBasicCredentials
  >
  const tokenBody = { application_id: applicationId as string, private_key: privateKey as string }
  const { baseUrl, fetch, call } = createProviderClient<paths, PayloadIsBody, BootpayErrorCode>(
    {
      provider,
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

  const payments = createPayments({ call, timeoutMs: options.timeoutMs })

  return {
    baseUrl,
    fetch,
    async getAccessToken({ signal } = {}) {
      if (basic)
        throw new ValidationError('a clientKey/secretKey client has no token to get', {
          field: 'applicationId',
          provider,
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
      for (const reserveId of reserveIds) await payments.cancelReservation(reserveId, { signal })
      return call(operation, 'DELETE', '/v2/subscribe/billing_key/{id}', {
        params: { path: { id: key } },
        signal,
        expect: objectWith('billing_key'),
      })
    },
    ...payments,
  }
}
