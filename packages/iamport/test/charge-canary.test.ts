import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { recordingFetch } from '../../core/test/fetch'
import { captureLogger } from '../../core/test/helpers'
import { createIamportClient, type PaymentAnnotation } from '../src'
import { fixture, json, ok } from './helpers'

/**
 * A canary in the credentials, the token, and the card data iamport echoes (masked number,
 * issuer, approval number), through every way a charge can end, with debug logs on: no error and
 * no log line may carry it.
 */
const CANARY = 'CANARYc4rg3'
const PAID = (fixture('chargeBillingKey-200').response.body as { response: PaymentAnnotation })
  .response
const CARD = {
  card_number: `${CANARY}-card_number`,
  card_name: `${CANARY}-card_name`,
  apply_num: `${CANARY}-apply_num`,
  expiry: `${CANARY}-expiry`,
  birth: `${CANARY}-birth`,
}
const echo = (code: number) => ({
  code,
  message: `refused card_number=${CARD.card_number} imp_secret=${CANARY}-imp_secret`,
  response: null,
})

const ANSWERS: Record<string, () => Response | Promise<Response>> = {
  paid: () => ok({ ...PAID, ...CARD }),
  declined: () => ok({ ...PAID, ...CARD, status: 'failed', fail_reason: 'declined' }),
  'refused, code -1': () => json(echo(-1)),
  '401, twice': () => json(echo(-1), 401),
  '429': () => json(echo(-1), 429),
  '500 with an echo': () => json(echo(-1), 500),
  '502 HTML': () => new Response(`<html>card_number=${CARD.card_number}</html>`, { status: 502 }),
  reset: () => Promise.reject(new TypeError('fetch failed')),
  'off-contract 2xx': () => ok({ card_number: CARD.card_number, birth: CARD.birth }),
  'malformed 2xx': () => new Response(`{"code":0,"response":{"card_number":"${CARD.card_number}"`),
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
    const fetch = recordingFetch(({ url }) => {
      if (url.pathname === '/users/getToken')
        return ok({
          access_token: `${CANARY}-token`,
          now: 1_700_000_000,
          expired_at: 1_700_001_800,
        })
      if (url.pathname === '/subscribe/payments/again') return (ANSWERS[name] as () => Response)()
      // Lookups echo the canary in their refusals too.
      return json(echo(1), 404)
    })
    const iamport = createIamportClient({
      apiKey: `${CANARY}-imp_key`,
      apiSecret: `${CANARY}-imp_secret`,
      fetch,
      logger,
      logLevel: 'debug',
      maxRetries: 0,
    })
    let thrown: unknown
    const result = await iamport
      .chargeBillingKey(
        'customer_1234',
        { merchantUid: 'order_1', amount: 1000, name: 'n' },
        {
          deadlineMs: 10,
          pollIntervalMs: 1,
        },
      )
      .catch((e) => {
        thrown = e
      })
    const error = thrown ?? (result && 'error' in result ? result.error : undefined)
    const seen = [...exposures(error), ...lines.map((line) => inspect(line, { depth: null }))]
    expect(seen.length).toBeGreaterThan(0)
    for (const text of seen) expect(text).not.toContain(CANARY)
  })
})
