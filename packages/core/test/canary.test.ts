import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import {
  assertIdentifier,
  BillingKeyExpiredError,
  createLog,
  createTransport,
  errorFromResponse,
  NotFoundError,
  redactHeaders,
  TokenCache,
  toBillingKeyError,
} from '../src'
import { captureLogger, json, mockFetch, never, reset, stalled, truncated } from './helpers'

/**
 * A canary planted in every credential, token and card field of requests and responses; every
 * code path runs with debug logging on, and every log line and error is scanned for it.
 */
const CANARY = 'CANARYq7Zr2x'
const secret = (field: string) => `${CANARY}-${field}`

const CREDENTIALS = {
  imp_key: secret('imp_key'),
  imp_secret: secret('imp_secret'),
  private_key: secret('private_key'),
  secret_key: secret('secret_key'),
  client_key: secret('client_key'),
}
const CARD = {
  card_number: secret('card_number'),
  card_no: secret('card_no'),
  expiry: secret('expiry'),
  birth: secret('birth'),
  pwd_2digit: secret('pwd_2digit'),
  card_pw: secret('card_pw'),
  card_identity_no: secret('card_identity_no'),
  cvc: secret('cvc'),
  card_expire_year: secret('card_expire_year'),
  card_expire_month: secret('card_expire_month'),
  identity_no: secret('identity_no'),
  bank_account: secret('bank_account'),
}
const TOKEN = secret('access_token')
const BASIC = `Basic ${btoa(`${CREDENTIALS.client_key}:${CREDENTIALS.secret_key}`)}`

const echo = {
  code: -1,
  message: `rejected imp_secret=${CREDENTIALS.imp_secret}`,
  response: { ...CARD, ...CREDENTIALS },
}
const FAULTS: Record<string, () => Response | Promise<Response>> = {
  success: () =>
    json({
      code: 0,
      message: null,
      response: { customer_uid: 'c1', card_number: CARD.card_number },
    }),
  reset,
  timeout: never,
  '401': () => json(echo, 401),
  '404': () => json(echo, 404),
  '429': () => json(echo, 429, { 'retry-after': '0' }),
  '400': () => json(echo, 400),
  '500': () => json(echo, 500),
  '502 HTML': () =>
    new Response(
      `<html><body>upstream said card_number=${CARD.card_number}&expiry=${CARD.expiry}</body></html>`,
      {
        status: 502,
        headers: { 'content-type': 'text/html' },
      },
    ),
  'form body': () =>
    new Response(new URLSearchParams({ ...CREDENTIALS, ...CARD }).toString(), {
      status: 400,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  'malformed JSON': () =>
    new Response(`{"code":0,"response":{"card_number":"${CARD.card_number}",`),
  'truncated JSON': () =>
    truncated(`{"code":0,"response":{"access_token":"${TOKEN}","card_no":"${CARD.card_no}`),
  'stalled body': () => stalled(`{"response":{"birth":"${CARD.birth}"`),
}

function harness() {
  const { logger, lines } = captureLogger()
  const errors: unknown[] = []
  const log = createLog(logger, 'debug')
  return { lines, errors, log }
}

/** Everything a person or a log pipeline could see of these values. */
function exposures(values: unknown[]): string[] {
  return values.flatMap((value) => {
    const error = value as Error
    return [
      String(value),
      JSON.stringify(value) ?? '',
      inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      ...(value instanceof Error
        ? [error.message, error.stack ?? '', JSON.stringify(error.cause) ?? '']
        : []),
    ]
  })
}

describe('no secret ever reaches a log line or an error', () => {
  it.each(Object.keys(FAULTS))(
    '%s, for a token call, a lookup and a charge, with debug logs on',
    async (fault) => {
      const { lines, errors, log } = harness()
      const answer = FAULTS[fault] as () => Response | Promise<Response>
      let first401 = true
      const fetch = mockFetch((request) => {
        const { pathname } = new URL(request.url)
        if (pathname === '/users/getToken')
          return json({
            code: 0,
            message: null,
            response: { access_token: TOKEN, now: 1, expired_at: 1801 },
          })
        // The first lookup gets a 401, so the refresh and the replay run too.
        if (first401 && request.method === 'GET') {
          first401 = false
          return json(echo, 401)
        }
        return answer()
      })
      const options = {
        provider: 'iamport',
        fetch,
        log,
        timeoutMs: 20,
        retry: { baseDelayMs: 1, maxDelayMs: 2 },
      } as const
      const tokenCall = createTransport({ ...options, isIdempotent: () => true })
      const cache = new TokenCache({
        fetchToken: async () => {
          const response = await tokenCall(
            `https://api.iamport.kr/users/getToken?imp_key=${CREDENTIALS.imp_key}`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(CREDENTIALS),
            },
          )
          const { response: token } = await response.json()
          return {
            accessToken: token.access_token,
            serverNow: token.now * 1000,
            expiresAt: token.expired_at * 1000,
          }
        },
      })
      const send = createTransport({
        ...options,
        headers: { 'x-imptokenheader': TOKEN },
        authorize: async (_, signal) => `Bearer ${await cache.get(signal)}`,
        onUnauthorized: (_, authorization) => {
          cache.invalidate(authorization.slice(7))
          return true
        },
      })

      const operation = async (name: string, input: string, init?: RequestInit) => {
        const details = { provider: 'iamport', operation: name } as const
        try {
          const response = await send(input, init)
          const text = await response.text()
          let body: unknown = text
          try {
            body = JSON.parse(text)
          } catch {}
          if (!response.ok)
            throw errorFromResponse({
              ...details,
              response,
              body,
              message: (body as { message?: string }).message,
            })
          if (typeof body === 'string') JSON.parse(text) // off-contract 2xx → SyntaxError → ResponseError
          const code = (body as { code?: number }).code
          if (code === 1)
            throw errorFromResponse({ ...details, response, body, code, as: NotFoundError })
          return body
        } catch (e) {
          const error = toBillingKeyError(e, details)
          errors.push(error)
          log('warn', 'billingkey failed', { operation: name, error })
        }
      }

      await operation(
        'getBillingKey',
        `https://api.iamport.kr/subscribe/customers/c1?card_number=${CARD.card_number}`,
      )
      await operation('issueBillingKey', 'https://api.iamport.kr/subscribe/customers/c1', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: BASIC,
          cookie: `session=${TOKEN}`,
        },
        body: JSON.stringify({ ...CARD, pg: 'nice', customer_name: '홍길동' }),
      })
      await operation('deleteBillingKey', 'https://api.iamport.kr/subscribe/customers/c1', {
        method: 'DELETE',
        signal: AbortSignal.abort(),
      })

      expect(lines.length).toBeGreaterThan(0)
      const seen = [
        ...lines.flatMap((l) => [l.message, ...exposures(l.rest)]),
        ...exposures(errors),
      ]
      for (const text of seen) {
        expect(text).not.toContain(CANARY)
        expect(text).not.toContain(BASIC)
      }
    },
  )

  it('in errors built by hand, with secrets in every place a provider could put them', () => {
    const errors = [
      new BillingKeyExpiredError(`card_number=${CARD.card_number} expired`, {
        provider: 'bootpay',
        body: { ...CARD, nested: [{ ...CREDENTIALS, access_token: TOKEN }] },
        code: 'SUBSCRIBE_BK_EXPIRED',
      }),
      errorFromResponse({
        provider: 'bootpay',
        operation: 'issueCardBillingKey',
        response: new Response(null, { status: 400 }),
        body: JSON.stringify({ ...CARD }),
        message: `{"card_no":"${CARD.card_no}","card_pw":"${CARD.card_pw}"} Authorization: Bearer ${TOKEN}`,
      }),
      toBillingKeyError(new Error(`private_key=${CREDENTIALS.private_key}`), {
        provider: 'bootpay',
      }),
    ]
    try {
      assertIdentifier(`${CANARY}\u0000`, { field: 'receipt_id', maxLength: 64 })
    } catch (e) {
      errors.push(e as never)
    }
    expect(errors).toHaveLength(4)
    const [wrapped, ...rest] = errors.splice(2, 1).concat(errors)
    for (const text of exposures(rest)) expect(text).not.toContain(CANARY)
    // A wrapped error keeps the caller's own value as its cause, as thrown; everything else of it
    // (message, stack, String, JSON) is clean.
    const { message, stack } = wrapped as Error
    for (const text of [message, stack, String(wrapped), JSON.stringify(wrapped)])
      expect(text).not.toContain(CANARY)
  })

  it('in redacted headers', () => {
    const headers = redactHeaders({
      authorization: BASIC,
      'x-imptokenheader': TOKEN,
      cookie: TOKEN,
      accept: '*/*',
    })
    expect(JSON.stringify(headers)).not.toContain(CANARY)
    expect(JSON.stringify(headers)).not.toContain(BASIC)
  })
})
