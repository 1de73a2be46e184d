import {
  assertIdentifier,
  type CallOptions,
  type ClientOptions,
  createCaller,
  createTransport,
  encodePathSegment,
  hideValues,
  ResponseError,
  TokenCache,
  type Transport,
  toBillingKeyError,
  ValidationError,
  withSecretsOf,
} from '@billingkey/core'
import type { Client } from 'openapi-fetch'
import { bootpayError } from './errors'
import type { paths } from './generated/schema'
import type {
  AccessToken,
  BankBillingKeyRequest,
  BillingKeyInfo,
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
  /** `DELETE /v2/subscribe/billing_key/{billing_key}`; pending reservations are not cancelled. */
  deleteBillingKey(billingKey: string, options?: CallOptions): Promise<DeletedBillingKey>
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
 * A ValidationError naming the first field that is missing or malformed (never its value). Inside
 * `run`, the error gains the operation's name.
 */
function check(input: unknown, rules: Record<string, RegExp>) {
  for (const [field, rule] of Object.entries(rules)) {
    const value = (input as Record<string, unknown> | undefined)?.[field]
    if (typeof value !== 'string' || !rule.test(value))
      throw new ValidationError(`${field} is ${value ? 'malformed' : 'required'}`, {
        field,
        provider: 'bootpay',
      })
  }
}

/** A path id: at most 128 characters (every recorded id has 24), never '.' or '..'. */
function id(value: unknown, field: string): string {
  const checked = assertIdentifier(value, { field, maxLength: 128, provider: 'bootpay' })
  // The api's path serializer refuses them too, but under the spec's parameter name.
  encodePathSegment(checked, field)
  return checked
}

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
  // Hidden by value wherever a server or a runtime error quotes them.
  hideValues([privateKey, clientKey, secretKey])
  const tokens = new TokenCache({
    fetchToken: async (signal) => {
      const { access_token, expire_in } = await client.getAccessToken({ signal })
      if (!access_token)
        throw new ResponseError('bootpay getAccessToken answered without access_token', {
          provider: 'bootpay',
          operation: 'getAccessToken',
        })
      // Bootpay hands back the same token for 25 minutes after issuing it, so one may have only
      // 5 minutes left whatever `expire_in` says: trusting it for at most 5 never sends a dead one.
      const now = Date.now()
      return {
        accessToken: access_token,
        expiresAt: now + Math.min(expire_in, 300) * 1000,
        serverNow: now,
      }
    },
  })
  const basicAuth =
    basic &&
    `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${clientKey}:${secretKey}`)))}`
  const isTokenCall = (request: Request) => request.url.endsWith('/v2/request/token')

  const baseUrl = (options.baseUrl ?? 'https://api.bootpay.co.kr').replace(/\/+$/, '')
  const transport = createTransport({
    ...options,
    provider: 'bootpay',
    headers: { accept: 'application/json' },
    isIdempotent: (request) => request.method !== 'POST' || isTokenCall(request),
    authorize: async (request, signal) =>
      isTokenCall(request) ? undefined : basicAuth || `Bearer ${await tokens.get(signal)}`,
    // A Basic key pair cannot be refreshed: its 401 is final.
    onUnauthorized: (_, authorization) => {
      tokens.invalidate(authorization.slice(7))
      return !basic
    },
  })
  const api = createCaller<Pick<Client<paths>, 'GET' | 'POST' | 'DELETE'>>(baseUrl, transport)

  /** The payload of a 2xx without `error_code`; anything else as a typed error. */
  async function run<T>(
    operation: string,
    send: () => Promise<{ data?: T; error?: unknown; response: Response }>,
  ): Promise<T> {
    let result: Awaited<ReturnType<typeof send>>
    try {
      result = await send()
    } catch (e) {
      throw toBillingKeyError(e, { provider: 'bootpay', operation })
    }
    const { data, error, response } = result
    const body = data ?? error
    if (!response.ok || (body as { error_code?: unknown } | undefined)?.error_code != null)
      throw bootpayError(operation, response, body)
    if (typeof data !== 'object' || data === null)
      throw new ResponseError(
        `bootpay ${operation} answered ${response.status} without a JSON object`,
        {
          provider: 'bootpay',
          operation,
          status: response.status,
          body: data,
        },
      )
    return data
  }

  const client: BootpayClient = {
    baseUrl,
    fetch: transport,
    getAccessToken: (options = {}) =>
      run('getAccessToken', async () => {
        if (basic)
          throw new ValidationError('a clientKey/secretKey client has no token to get', {
            field: 'applicationId',
          })
        return api.POST('/v2/request/token', {
          body: { application_id: applicationId as string, private_key: privateKey as string },
          signal: options.signal,
        })
      }),
    getBillingKeyByReceipt: (receiptId, options = {}) =>
      run('getBillingKeyByReceipt', async () =>
        api.GET('/v2/subscribe/billing_key/{id}', {
          params: { path: { id: id(receiptId, 'receiptId') } },
          signal: options.signal,
        }),
      ),
    getBillingKey: (billingKey, options = {}) =>
      run('getBillingKey', async () =>
        api.GET('/v2/billing_key/{billing_key}', {
          params: { path: { billing_key: id(billingKey, 'billingKey') } },
          signal: options.signal,
        }),
      ),
    // The card or account data sent is hidden by value in the errors and log lines of the call.
    issueCardBillingKey: (request, options = {}) =>
      withSecretsOf(request, () =>
        run('issueCardBillingKey', async () => {
          check(request, CARD_RULES)
          return api.POST('/v2/request/subscribe', { body: request, signal: options.signal })
        }),
      ),
    requestBankBillingKey: (request, options = {}) =>
      withSecretsOf(request, () =>
        run('requestBankBillingKey', async () => {
          check(request, BANK_RULES)
          return api.POST('/v2/request/subscribe/automatic-transfer', {
            body: request,
            signal: options.signal,
          })
        }),
      ),
    publishBankBillingKey: (receiptId, options = {}) =>
      run('publishBankBillingKey', async () =>
        api.POST('/v2/request/subscribe/automatic-transfer/publish', {
          body: { receipt_id: id(receiptId, 'receiptId') },
          signal: options.signal,
        }),
      ),
    deleteBillingKey: (billingKey, options = {}) =>
      run('deleteBillingKey', async () =>
        api.DELETE('/v2/subscribe/billing_key/{id}', {
          params: { path: { id: id(billingKey, 'billingKey') } },
          signal: options.signal,
        }),
      ),
  }
  return client
}
