import { readFileSync } from 'node:fs'
import type { Fixture } from '@billingkey/contract'
import { json, recordingFetch, type Sent } from '../../core/test/fetch'
import { createPortoneClient, type PortoneClientOptions } from '../src'

export { json, recordingFetch, type Sent }

export const fixturesDir = new URL('../../../specs/portone/fixtures/', import.meta.url)

/** One file of specs/portone/fixtures, by name without `.json`. */
export const fixture = (name: string): Fixture => ({
  file: `${name}.json`,
  ...JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDir), 'utf8')),
})

/** The response body of a fixture, by name without `.json`. */
export const fixtureBody = <T = never>(name: string): T => fixture(name).response.body as T

export const respond = (f: Fixture) => json(f.response.body, f.response.status)

/** A PortOne error body. */
export const failure = (type: string, status: number, extra: object = {}, headers = {}) =>
  json({ type, message: `<${type}>`, ...extra }, status, headers)

export const SECRET = 'portone-secret-SHOULD-NOT-LEAK'

export const client = (
  fetch: typeof globalThis.fetch,
  options: Partial<PortoneClientOptions> = {},
) => createPortoneClient({ apiSecret: SECRET, fetch, maxRetries: 0, ...options })

/** A charge as the fixtures send it. */
export const chargeInput = () => ({
  billingKey: 'billing-key-0195f1f0-1111-7000-8000-000000000001',
  orderName: '월간 이용권 (2026년 3월)',
  amount: { total: 9900 },
  currency: 'KRW',
})

export const PAYMENT_ID = 'order-20260301-0001'

/** `GET /payments/{id}` answering the getPayment fixture `name`, any other request `other`. */
export const isLookup = (sent: Sent) =>
  sent.method === 'GET' && sent.url.pathname.startsWith('/payments/')
