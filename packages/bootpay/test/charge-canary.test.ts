import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { captureLogger } from '../../core/test/helpers'
import { createBootpayClient, type Receipt } from '../src'
import { bootpay, fixtureBody, json } from './helpers'

/**
 * A canary in the credentials, the token, and the card data Bootpay echoes on a receipt, through
 * every way a charge can end, with debug logs on: no error and no log line may carry it.
 */
const CANARY = 'CANARYb00tp4y'
const PAID = fixtureBody<Receipt>('chargeBillingKey-200')
const CARD = {
  card_data: {
    card_no: `${CANARY}-card_no`,
    card_approve_no: `${CANARY}-card_approve_no`,
    card_company: `${CANARY}-card_company`,
  },
}
const echo = (error_code: string) => ({
  error_code,
  message: `refused card_no=${CARD.card_data.card_no} private_key=${CANARY}-private_key`,
})

const ANSWERS: Record<string, () => Response | Promise<Response>> = {
  paid: () => json({ ...PAID, ...CARD }),
  'failed receipt': () => json({ ...PAID, ...CARD, status: -2 }),
  'refused, any error_code': () => json(echo('<decline>'), 400),
  '401, twice': () => json(echo('TOKEN_KEY_INVALID'), 401),
  '429': () => json(echo('<rate>'), 429),
  '500 with an echo': () => json(echo('SERVER_ERROR'), 500),
  '502 HTML': () => new Response(`<html>card_no=${CARD.card_data.card_no}</html>`, { status: 502 }),
  reset: () => Promise.reject(new TypeError('fetch failed')),
  'off-contract 2xx': () => json({ card_no: CARD.card_data.card_no }),
  'malformed 2xx': () => new Response(`{"receipt_id":"r","card_no":"${CARD.card_data.card_no}"`),
}

const exposures = (value: unknown): string[] =>
  value === undefined
    ? []
    : [
        String(value),
        JSON.stringify(value) ?? '',
        inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
        ...(value instanceof Error ? [value.message, value.stack ?? ''] : []),
      ]

describe('no credential or card data in an error or log line of a charge', () => {
  it.each(Object.keys(ANSWERS))('%s', async (name) => {
    const { logger, lines } = captureLogger()
    const fake = bootpay(
      ({ url }) =>
        url.pathname === '/v2/subscribe/payment'
          ? (ANSWERS[name] as () => Response)()
          : // Lookups echo the canary in their refusals too.
            json(echo('<lookup>'), 400),
      () => ({ access_token: `${CANARY}-token`, expire_in: 1800 }),
    )
    const client = createBootpayClient({
      applicationId: `${CANARY}-application_id`,
      privateKey: `${CANARY}-private_key`,
      fetch: fake.fetch,
      logger,
      logLevel: 'debug',
      maxRetries: 0,
    })
    let thrown: unknown
    const result = await client
      .chargeBillingKey(
        { billingKey: 'k'.repeat(24), orderId: 'order_1', price: 1000, orderName: 'n' },
        { deadlineMs: 10, pollIntervalMs: 1 },
      )
      .catch((e) => {
        thrown = e
      })
    const error = thrown ?? (result && 'error' in result ? result.error : undefined)
    const payment = result && 'payment' in result ? result.payment : undefined
    const seen = [...exposures(error), ...lines.map((line) => inspect(line, { depth: null }))]
    expect(seen.length).toBeGreaterThan(0)
    for (const text of seen) expect(text).not.toContain(CANARY)
    // The payment's raw receipt is the caller's own data; the model exposes no card field.
    if (payment) expect(Object.keys(payment)).not.toContain('card_data')
  })
})
