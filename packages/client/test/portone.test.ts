import { readFileSync } from 'node:fs'
import { createIamportAdapter, createIamportClient } from '@billingkey/iamport'
import { createPortoneAdapter, createPortoneClient } from '@billingkey/portone'
import { describe, expect, test } from 'vitest'
import { createBillingKeys, NotFoundError, ValidationError } from '../src/index'
import { recordingFetch } from './recording'

// A scripted wire (the facade with iamport and PortOne at once, no sandbox) answers with the bodies of
// specs/portone/fixtures (PortOne's own shapes), keyed by the billing key's name:
// `missing…` → 404 BILLING_KEY_NOT_FOUND, `gone…` → a DELETED key, `boom…` → 500, else ISSUED.

const SECRET = 'portone-secret-do-not-leak'
const BASE = 'https://api.portone.io'

const fixtureBody = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../specs/portone/fixtures/${name}.json`, import.meta.url), 'utf8'),
  ).response.body as Record<string, unknown>
const issued = fixtureBody('getBillingKeyInfo-200-issued')
const deleted = fixtureBody('getBillingKeyInfo-200-deleted')

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })

function portone() {
  const authorizations: (string | null)[] = []
  const wire = recordingFetch(async (input) => {
    const request = input as Request
    authorizations.push(request.headers.get('authorization'))
    const match = /^\/billing-keys\/([^/]+)$/.exec(new URL(request.url).pathname)
    if (request.method !== 'GET' || !match?.[1]) {
      return json(404, { type: 'NOT_FOUND', message: 'no such path' })
    }
    const billingKey = decodeURIComponent(match[1])
    if (billingKey.startsWith('missing')) {
      return json(404, { type: 'BILLING_KEY_NOT_FOUND', message: '빌링키가 존재하지 않는 경우' })
    }
    if (billingKey.startsWith('boom')) return json(500, { type: 'INTERNAL', message: 'internal' })
    return json(200, { ...(billingKey.startsWith('gone') ? deleted : issued), billingKey })
  }, BASE)
  const client = createPortoneClient({
    apiSecret: SECRET,
    fetch: wire.fetch as typeof fetch,
    maxRetries: 0,
  })
  return { adapter: createPortoneAdapter(client), log: wire.log, authorizations }
}

const ref = (billingKey: string) => ({ provider: 'portone' as const, billingKey })

describe('createBillingKeys({ portone: createPortoneAdapter(client) })', () => {
  test('is configured for portone, alone or beside the others', () => {
    const { adapter } = portone()
    const iamport = createIamportAdapter(createIamportClient({ apiKey: 'k', apiSecret: 's' }))
    expect(createBillingKeys({ portone: adapter }).providers).toEqual(['portone'])
    expect(createBillingKeys({ portone: adapter, iamport }).providers).toEqual([
      'iamport',
      'portone',
    ])
  })

  test('looks a portone ref up by its billing key, with the secret in the PortOne header', async () => {
    const { adapter, log, authorizations } = portone()
    const keys = createBillingKeys({ portone: adapter })
    const key = await keys.lookup(ref('bk-0001'))
    expect(key).toMatchObject({
      ref: ref('bk-0001'),
      provider: 'portone',
      status: 'active',
      method: 'card',
      expiresAt: null,
    })
    expect(log.requests).toEqual(['GET /billing-keys/bk-0001'])
    expect(authorizations).toEqual([`PortOne ${SECRET}`])
    await expect(keys.lookup(ref('missing-1'))).rejects.toBeInstanceOf(NotFoundError)
  })

  test('lookupMany: one result per ref in order, a duplicate looked up once', async () => {
    const { adapter, log } = portone()
    const refs = [ref('bk-1'), ref('missing-1'), ref('gone-1'), ref('bk-1')]
    const results = await createBillingKeys({ portone: adapter }).lookupMany(refs)
    expect(results.map((r) => (r.ok ? r.key.status : r.error.name))).toEqual([
      'active',
      'NotFoundError',
      'deleted',
      'active',
    ])
    expect(results.map((result) => result.ref)).toEqual(refs)
    expect(log.requests.sort()).toEqual([
      'GET /billing-keys/bk-1',
      'GET /billing-keys/gone-1',
      'GET /billing-keys/missing-1',
    ])
  })

  test('audit sorts portone keys into the counts and never shows the secret', async () => {
    const { adapter } = portone()
    const report = await createBillingKeys({ portone: adapter }).audit([
      ref('bk-1'),
      ref('bk-2'),
      ref('missing-1'),
      ref('gone-1'),
      ref('boom-1'),
      ref(''),
    ])
    expect(report.counts).toEqual({
      active: 2,
      expiring: 0,
      expiresBeforeCharge: 0,
      expired: 0,
      deleted: 1,
      notFound: 1,
      error: 2,
    })
    expect(report.chargeable).toBe(2)
    expect(report.needsAction.map((entry) => [entry.ref, entry.reason])).toEqual([
      [ref('missing-1'), 'not_found'],
      [ref('gone-1'), 'deleted'],
      [ref('boom-1'), 'error'],
      [ref(''), 'error'],
    ])
    expect(JSON.stringify(report)).not.toContain(SECRET)
  })

  test('a facade without portone refuses a portone ref before any request, naming createPortoneAdapter', async () => {
    const wire = recordingFetch(async () => json(500, {}), 'https://api.iamport.kr')
    const iamport = createIamportAdapter(
      createIamportClient({ apiKey: 'k', apiSecret: 's', fetch: wire.fetch as typeof fetch }),
    )
    const keys = createBillingKeys({ iamport })
    const lookup = keys.lookup(ref('bk-1') as never)
    await expect(lookup).rejects.toBeInstanceOf(ValidationError)
    await expect(lookup).rejects.toThrow(
      "ref.provider is 'portone', but no portone adapter was configured: pass portone: createPortoneAdapter(createPortoneClient(…)) to createBillingKeys",
    )
    const [result] = await keys.lookupMany([ref('bk-1')] as never[])
    expect(result?.ok === false && result.error).toBeInstanceOf(ValidationError)
    expect(result?.ok === false && result.error.message).toContain('createPortoneAdapter')
    expect(wire.log.requests).toEqual([])
    expect(wire.log.tokenCalls).toBe(0)
  })

  test('refuses a portone client passed instead of its adapter', () => {
    const client = createPortoneClient({ apiSecret: SECRET })
    const create = () => createBillingKeys({ portone: client as never })
    expect(create).toThrow(ValidationError)
    expect(create).toThrow(
      'createBillingKeys({ portone }) takes the adapter createPortoneAdapter() from @billingkey/portone returns, not the client itself: pass portone: createPortoneAdapter(createPortoneClient(…))',
    )
  })
})
