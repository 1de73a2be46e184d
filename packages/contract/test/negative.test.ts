// Suite 4: hand-broken copies of every fixture are rejected, each with a pointer to what was
// broken, so the validator demonstrably bites; and known-good edge cases are accepted.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Fixture, formatErrors, type Spec, type ValidationResult } from '../src/index'
import {
  missedAt,
  queryParameters,
  requestSchema,
  responseSchema,
  type Site,
  sitesOf,
  valueIn,
  withValue,
  wrongValue,
} from './mutations'
import { expectFixtures, type Provider, providers } from './providers'

/** One body of a fixture to break: the response's, or the request's JSON body. */
interface Target {
  part: 'response' | 'request body'
  body: unknown
  sites: Site[]
  validate(body: unknown): ValidationResult
  /** Where the validator reports a pointer of the body. */
  prefix: string
}

function targetsOf(spec: Spec, fixture: Fixture): Target[] {
  const { operationId, request, response } = fixture
  const targets: Target[] = []
  const responseAt = responseSchema(spec, operationId, response.status)
  if (responseAt) {
    targets.push({
      part: 'response',
      body: response.body,
      sites: sitesOf(spec, responseAt, response.body),
      validate: (body) => spec.validateResponse(operationId, response.status, body),
      prefix: '',
    })
  }
  const requestAt = requestSchema(spec, operationId)
  if (requestAt && request.body !== undefined) {
    targets.push({
      part: 'request body',
      body: request.body,
      sites: sitesOf(spec, requestAt, request.body),
      validate: (body) => spec.validateRequest(operationId, { ...request, body }),
      prefix: '/body',
    })
  }
  return targets
}

function expectNoMisses(misses: (string | undefined)[]) {
  expect(misses.filter((miss) => miss !== undefined)).toEqual([])
}

const integerSites = (target: Target) =>
  target.sites.filter(
    (site) =>
      Number.isInteger(valueIn(target.body, site.pointer)) &&
      site.types.includes('integer') &&
      !site.types.includes('string'),
  )

for (const provider of providers) {
  describe(`${provider.name}: broken copies of each fixture are rejected`, () => {
    const { spec } = provider

    it('has fixtures to break', () => expectFixtures(provider))

    for (const fixture of provider.fixtures) {
      describe(fixture.file, () => {
        for (const target of targetsOf(spec, fixture)) {
          const required = target.sites.filter((site) => site.required)
          const integers = integerSites(target)
          const typed = target.sites.filter((site) => site.types.length > 0)

          if (required.length > 0)
            it(`${target.part}: each required field missing`, () => {
              expectNoMisses(
                required.map((site) =>
                  missedAt(
                    target.validate(withValue(target.body, site.pointer, undefined)),
                    `${target.prefix}${site.pointer}`,
                  ),
                ),
              )
            })

          if (integers.length > 0)
            it(`${target.part}: each integer sent as a string`, () => {
              expectNoMisses(
                integers.map((site) =>
                  missedAt(
                    target.validate(
                      withValue(
                        target.body,
                        site.pointer,
                        String(valueIn(target.body, site.pointer)),
                      ),
                    ),
                    `${target.prefix}${site.pointer}`,
                  ),
                ),
              )
            })

          it(`${target.part}: any value of a wrong type, anywhere`, () => {
            expect(typed.length, 'typed values to break').toBeGreaterThan(0)
            fc.assert(
              fc.property(
                fc
                  .constantFrom(...typed)
                  .chain((site) => fc.tuple(fc.constant(site), wrongValue(site.types))),
                ([site, value]) => {
                  const result = target.validate(withValue(target.body, site.pointer, value))
                  const miss = missedAt(result, `${target.prefix}${site.pointer}`)
                  if (miss)
                    throw new Error(`${miss} for ${JSON.stringify(value)}\n${formatErrors(result)}`)
                },
              ),
              { numRuns: 60 },
            )
          })
        }

        const query = new URLSearchParams(fixture.request.query ?? '')
        const parameters = queryParameters(spec, fixture.operationId)
        const present = parameters.filter((p) => query.has(p.name))
        const validateQuery = (edit: (query: URLSearchParams) => void) => {
          const copy = new URLSearchParams(query)
          edit(copy)
          return spec.validateRequest(fixture.operationId, {
            ...fixture.request,
            query: copy.toString(),
          })
        }

        if (present.length > 0)
          it('query: each parameter missing, mistyped or misspelt', () => {
            expectNoMisses([
              ...present
                .filter((p) => p.required)
                .map((p) =>
                  missedAt(
                    validateQuery((q) => q.delete(p.name)),
                    `/query/${p.name}`,
                  ),
                ),
              ...present
                .filter((p) => p.types.includes('integer'))
                .map((p) =>
                  missedAt(
                    validateQuery((q) => q.set(p.name, '12x')),
                    `/query/${p.name}`,
                  ),
                ),
              missedAt(
                validateQuery((q) => q.append('undocumented', '1')),
                '/query/undocumented',
              ),
            ])
          })
      })
    }
  })
}

/** The first fixture that fits, so these cases follow the fixtures the spec authors commit. */
function fixtureWhere(provider: Provider, description: string, fits: (f: Fixture) => boolean) {
  const fixture = provider.fixtures.find(fits)
  if (!fixture) throw new Error(`no ${provider.name} fixture: ${description}`)
  return structuredClone(fixture)
}

const [iamport, bootpay] = providers as [Provider, Provider]

describe('iamport edge cases', () => {
  const card = () =>
    fixtureWhere(iamport, 'getBillingKey 200 with a card', (f) => {
      const body = f.response.body as { response?: { card_type?: unknown } } | null
      return f.operationId === 'getBillingKey' && typeof body?.response?.card_type === 'number'
    })
  const partial = () =>
    fixtureWhere(iamport, 'getBillingKeys 207', (f) => f.response.status === 207)
  const accepts = (f: Fixture) =>
    iamport.spec.validateResponse(f.operationId, f.response.status, f.response.body)

  it('accepts a key whose PG exposes no card data: every card_* null', () => {
    const fixture = card()
    const body = fixture.response.body as { response: Record<string, unknown> }
    for (const field of ['card_name', 'card_code', 'card_number', 'card_type'])
      body.response[field] = null
    const result = accepts(fixture)
    expect(result.valid, formatErrors(result)).toBe(true)
  })

  it('accepts card_type 0 (credit) and 1 (check), and rejects the old docs\' string "1"', () => {
    const fixture = card()
    const body = fixture.response.body as { response: Record<string, unknown> }
    for (const type of [0, 1]) {
      body.response.card_type = type
      expect(accepts(fixture).valid).toBe(true)
    }
    body.response.card_type = '1'
    expect(missedAt(accepts(fixture), '/response/card_type')).toBeUndefined()
  })

  it('accepts a 207 that holds only some of the requested keys', () => {
    const fixture = partial()
    const body = fixture.response.body as { response: unknown[] }
    body.response = body.response.slice(0, 1)
    const result = accepts(fixture)
    expect(result.valid, formatErrors(result)).toBe(true)
  })

  it('accepts customer_uid[] with raw, percent-encoded or indexed brackets', () => {
    const { request } = partial()
    const uids = new URLSearchParams(request.query).getAll('customer_uid[]')
    expect(uids.length).toBeGreaterThan(1)
    for (const query of [
      uids.map((uid) => `customer_uid[]=${uid}`).join('&'),
      uids.map((uid) => `customer_uid%5B%5D=${uid}`).join('&'),
      uids.map((uid, i) => `customer_uid[${i}]=${uid}`).join('&'),
      uids.map((uid, i) => `customer_uid%5B${i}%5D=${uid}`).join('&'),
    ]) {
      const result = iamport.spec.validateRequest('getBillingKeys', { ...request, query })
      expect(result.valid, `${query}\n${formatErrors(result)}`).toBe(true)
    }
  })
})

describe('bootpay edge cases', () => {
  const byReceipt = () =>
    fixtureWhere(
      bootpay,
      'getBillingKeyByReceipt 200',
      (f) => f.operationId === 'getBillingKeyByReceipt' && f.response.status === 200,
    )
  const byKey = () =>
    fixtureWhere(
      bootpay,
      'getBillingKey 200',
      (f) => f.operationId === 'getBillingKey' && f.response.status === 200,
    )
  const check = (f: Fixture, body = f.response.body) =>
    bootpay.spec.validateResponse(f.operationId, f.response.status, body)

  it('rejects the seed\'s mistakes: status "11", billing_expired_at, a boolean sandbox by key', () => {
    const receipt = byReceipt()
    const { billing_expire_at, ...rest } = receipt.response.body as Record<string, unknown>
    expect(missedAt(check(receipt, { ...rest, billing_expire_at, status: '11' }), '/status')).toBe(
      undefined,
    )
    const misnamed = { ...rest, billing_expired_at: billing_expire_at }
    expect(missedAt(check(receipt, misnamed), '/billing_expire_at')).toBeUndefined()
    const key = byKey()
    const sandboxed = { ...(key.response.body as object), sandbox: true }
    expect(missedAt(check(key, sandboxed), '/sandbox')).toBeUndefined()
  })

  it('accepts an error_code it does not know yet', () => {
    const error = fixtureWhere(
      bootpay,
      'an error',
      (f) => f.response.status >= 400 && f.response.status < 500,
    )
    ;(error.response.body as Record<string, unknown>).error_code = 'SOME_NEW_CODE'
    const result = check(error)
    expect(result.valid, formatErrors(result)).toBe(true)
  })
})
