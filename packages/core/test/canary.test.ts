import { afterAll, describe, expect, it } from 'vitest'
import {
  assertIdentifier,
  BillingKeyExpiredError,
  createLog,
  createTransport,
  errorFromResponse,
  hideValues,
  NotFoundError,
  redactHeaders,
  TokenCache,
  toBillingKeyError,
  withSecretsOf,
} from '../src'
import { renderings as renderingsOf } from './faults'
import { captureLogger, json, mockFetch, never, reset, stalled, truncated } from './helpers'

/**
 * A canary planted in every credential, token and card field of requests and responses, echoed
 * back by the server in snake_case, in camelCase and quoted in its message text; every code path
 * runs with debug logging on, and every log line and every rendering of every error (and of each
 * error in its cause chain) is scanned for it. The suite prints how many scenarios it checked.
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

const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())
const camelCased = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([name, value]) => [camel(name), value]))

/** How a server gives back what it knows: the values it got are passed in. */
const ECHOES = {
  snake: () => ({
    code: -1,
    message: `rejected imp_secret=${CREDENTIALS.imp_secret}`,
    response: { ...CARD, ...CREDENTIALS },
  }),
  camel: () => ({
    errorCode: -1,
    message: `invalid {"privateKey":"${CREDENTIALS.private_key}","cardNumber":"${CARD.card_number}"} bankAccount=${CARD.bank_account}`,
    data: { ...camelCased(CARD), ...camelCased(CREDENTIALS), accessToken: TOKEN },
  }),
  // No key name at all: only the values the client knows it sent can be hidden, by value.
  quoted: (received: string[]) => ({
    code: -1,
    message: `카드 정보가 올바르지 않습니다: ${received.map((value) => `'${value}'`).join(', ')}`,
  }),
}
type Echo = Record<string, unknown>

const FAULTS: Record<string, (echo?: Echo) => Response | Promise<Response>> = {
  success: () =>
    json({
      code: 0,
      message: null,
      response: { customer_uid: 'c1', card_number: CARD.card_number },
    }),
  reset,
  timeout: never,
  '401': (echo) => json(echo, 401),
  '404': (echo) => json(echo, 404),
  '429': (echo) => json(echo, 429, { 'retry-after': '0' }),
  '400': (echo) => json(echo, 400),
  '500': (echo) => json(echo, 500),
  '200 code 1': (echo) => json({ ...echo, code: 1 }),
  '502 HTML': () =>
    new Response(
      `<html><body>upstream said card_number=${CARD.card_number}&expiry=${CARD.expiry}</body></html>`,
      {
        status: 502,
        headers: { 'content-type': 'text/html' },
      },
    ),
  'form body': () =>
    new Response(new URLSearchParams({ ...CREDENTIALS, ...CARD, ...camelCased(CARD) }).toString(), {
      status: 400,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  'malformed JSON': () =>
    new Response(`{"code":0,"response":{"card_number":"${CARD.card_number}",`),
  'truncated JSON': () =>
    truncated(`{"code":0,"response":{"access_token":"${TOKEN}","card_no":"${CARD.card_no}`),
  'stalled body': () => stalled(`{"response":{"birth":"${CARD.birth}"`),
}
const ECHOING = ['401', '404', '429', '400', '500', '200 code 1']

const OPERATIONS = ['getBillingKey', 'issueBillingKey', 'deleteBillingKey'] as const

/** Fault × echo style × where it strikes: the call itself or its token call. */
const SCENARIOS = Object.keys(FAULTS).flatMap((fault) =>
  (ECHOING.includes(fault) ? (Object.keys(ECHOES) as (keyof typeof ECHOES)[]) : [undefined])
    .flatMap((echo) => (['call', 'token call'] as const).map((target) => ({ fault, echo, target })))
    .map((s) => [`${s.fault}${s.echo ? ` (${s.echo} echo)` : ''} on the ${s.target}`, s] as const),
)

let scenarios = 0
let renderings = 0
const leaks: string[] = []

/** Everything a person or a log pipeline could see of these values, each error's causes too. */
const exposures = (values: unknown[]): string[] => values.flatMap(renderingsOf)

function scan(scenario: string, texts: string[]) {
  renderings += texts.length
  for (const text of texts)
    if (text.includes(CANARY) || text.includes(BASIC)) leaks.push(`${scenario}: ${text}`)
}

afterAll(() => {
  console.log(`canary: ${scenarios} scenarios, ${renderings} renderings, ${leaks.length} leaks`)
})

describe('no secret ever reaches a log line or an error', () => {
  it.each(SCENARIOS)(
    '%s, for a lookup, an issue and a delete, with debug logs on',
    async (_, { fault, echo, target }) => {
      const { logger, lines } = captureLogger()
      const log = createLog(logger, 'debug')
      const errors: unknown[] = []
      // What a client knows from the start: its own credentials.
      const unhide = hideValues([...Object.values(CREDENTIALS), BASIC])

      const answer = (request: Request, body: string) => {
        const received = [
          ...Object.values(JSON.parse(body || '{}') as Record<string, string>),
          ...[request.headers.get('authorization') ?? []].flat(),
        ]
        return (FAULTS[fault] as NonNullable<(typeof FAULTS)[string]>)(
          echo && ECHOES[echo](received),
        )
      }
      let first401 = true
      const fetch = mockFetch(async (request) => {
        const body = await request.clone().text()
        if (new URL(request.url).pathname === '/users/getToken')
          return target === 'token call'
            ? answer(request, body)
            : json({
                code: 0,
                message: null,
                response: { access_token: TOKEN, now: 1, expired_at: 1801 },
              })
        // The first lookup gets a 401, so the refresh and the replay run too.
        if (first401 && request.method === 'GET' && target === 'call') {
          first401 = false
          return json(ECHOES.snake(), 401)
        }
        return target === 'call' ? answer(request, body) : json({ code: 0, response: {} })
      })
      const options = {
        provider: 'iamport',
        fetch,
        logger,
        logLevel: 'debug',
        timeoutMs: 20,
        retry: { baseDelayMs: 1, maxDelayMs: 2 },
      } as const
      const tokenCall = createTransport({ ...options, isIdempotent: () => true })
      const cache = new TokenCache({
        fetchToken: async (signal) => {
          const response = await tokenCall(
            `https://api.iamport.kr/users/getToken?imp_key=${CREDENTIALS.imp_key}`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(CREDENTIALS),
              signal,
            },
          )
          const body = await response.json()
          if (!response.ok)
            throw errorFromResponse({
              provider: 'iamport',
              operation: 'getToken',
              response,
              body,
              message: body?.message,
            })
          const token = body?.response
          return {
            accessToken: token?.access_token,
            serverNow: token?.now * 1000,
            expiresAt: token?.expired_at * 1000,
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
          // As a client does: the card data it sends is hidden by value while the call runs.
          return await withSecretsOf(JSON.parse((init?.body as string) ?? '{}'), async () => {
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
          })
        } catch (e) {
          const error = toBillingKeyError(e, details)
          errors.push(error)
          log('warn', 'billingkey failed', { operation: name, error })
        }
      }

      try {
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
      } finally {
        unhide()
      }

      scenarios += OPERATIONS.length
      expect(lines.length).toBeGreaterThan(0)
      const name = `${fault} ${echo ?? ''} ${target}`
      const before = leaks.length
      scan(name, [...lines.flatMap((l) => [l.message, ...exposures(l.rest)]), ...exposures(errors)])
      expect(leaks.slice(before)).toEqual([])
    },
  )

  it('in errors built by hand, with secrets in every place a provider could put them', () => {
    const unhide = hideValues([TOKEN])
    const errors = [
      new BillingKeyExpiredError(`card_number=${CARD.card_number} expired`, {
        provider: 'bootpay',
        body: { ...CARD, nested: [{ ...CREDENTIALS, access_token: TOKEN }] },
        code: 'SUBSCRIBE_BK_EXPIRED',
      }),
      new BillingKeyExpiredError(`cardNumber: ${CARD.card_number} expired`, {
        provider: 'bootpay',
        body: { ...camelCased(CARD), nested: [{ ...camelCased(CREDENTIALS), accessToken: TOKEN }] },
        code: 'SUBSCRIBE_BK_EXPIRED',
      }),
      errorFromResponse({
        provider: 'bootpay',
        operation: 'issueCardBillingKey',
        response: new Response(null, { status: 400 }),
        body: JSON.stringify({ ...CARD }),
        message: `{"card_no":"${CARD.card_no}","card_pw":"${CARD.card_pw}"} Authorization: Bearer ${TOKEN}`,
      }),
      // A runtime error that quotes the header it refused, and one quoting the token bare.
      toBillingKeyError(
        new TypeError(`Headers.set: "Bearer ${TOKEN}\n" is an invalid header value.`, {
          cause: new Error(`the token was ${TOKEN}`),
        }),
        { provider: 'iamport' },
      ),
      toBillingKeyError(new Error(`private_key=${CREDENTIALS.private_key}`), {
        provider: 'bootpay',
      }),
      toBillingKeyError(new Error(`privateKey: ${CREDENTIALS.private_key}`), {
        provider: 'bootpay',
      }),
    ]
    try {
      assertIdentifier(`${CANARY}\u0000`, { field: 'receipt_id', maxLength: 64 })
    } catch (e) {
      errors.push(e as never)
    }
    unhide()
    expect(errors).toHaveLength(7)
    scenarios += errors.length
    const before = leaks.length
    scan('built by hand', exposures(errors))
    expect(leaks.slice(before)).toEqual([])
  })

  it('in redacted headers', () => {
    const headers = redactHeaders({
      authorization: BASIC,
      'x-imptokenheader': TOKEN,
      cookie: TOKEN,
      privateKey: TOKEN,
      accept: '*/*',
    })
    scenarios++
    const before = leaks.length
    scan('headers', [JSON.stringify(headers)])
    expect(leaks.slice(before)).toEqual([])
  })
})
