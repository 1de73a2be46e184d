import { readFileSync } from 'node:fs'

const specs = new URL('../../../specs/', import.meta.url)

/** The response body of a committed contract fixture, as the JSON text a server sends. */
const body = (provider: 'iamport' | 'bootpay', name: string): string =>
  JSON.stringify(
    JSON.parse(readFileSync(new URL(`${provider}/fixtures/${name}.json`, specs), 'utf8')).response
      .body,
  )

/**
 * What a provider answers, taken from the contract fixtures: a loopback stub and an injected
 * fetch send these bytes, so every client parses the same realistic payloads.
 */
export const answers = {
  iamportToken: body('iamport', 'getToken-200'),
  iamportKey: body('iamport', 'getBillingKey-200'),
  bootpayToken: body('bootpay', 'getAccessToken-200'),
  bootpayKey: body('bootpay', 'getBillingKey-200-card'),
}

/** The answer for a request path, or undefined: what the loopback stub serves. */
export function answerFor(method: string, path: string): string | undefined {
  if (method === 'POST' && path.endsWith('/users/getToken')) return answers.iamportToken
  if (method === 'GET' && path.includes('/subscribe/customers/')) return answers.iamportKey
  if (method === 'POST' && path.endsWith('/v2/request/token')) return answers.bootpayToken
  if (method === 'GET' && path.includes('/v2/billing_key/')) return answers.bootpayKey
  return undefined
}
