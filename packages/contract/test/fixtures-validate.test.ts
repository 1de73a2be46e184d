// Suite 1: every fixture's request and response validate against its operation in the spec.
import { describe, expect, it } from 'vitest'
import { formatErrors } from '../src/index'
import { expectFixtures, providers } from './providers'

/** Request fields that carry credentials; a fixture holds placeholders such as `<imp_secret>`. */
const CREDENTIALS = [
  'imp_key',
  'imp_secret',
  'application_id',
  'private_key',
  'client_key',
  'secret_key',
]
const placeholder = /^<[^<>]+>$/

for (const provider of providers) {
  describe(`${provider.name} fixtures against the spec`, () => {
    const { spec } = provider

    it('loads at least one fixture', () => expectFixtures(provider))

    describe.each(provider.fixtures)('$file', (fixture) => {
      it('routes to its operation', () => {
        const route = spec.match(fixture.request.method, fixture.request.path)
        expect(
          route?.operation.operationId,
          `${fixture.request.method} ${fixture.request.path}`,
        ).toBe(fixture.operationId)
      })

      it('has a request the spec accepts', () => {
        const result = spec.validateRequest(fixture.operationId, fixture.request)
        expect(result.valid, formatErrors(result)).toBe(true)
      })

      it('has a response the spec documents', () => {
        const { status, body } = fixture.response
        const result = spec.validateResponse(fixture.operationId, status, body)
        expect(result.valid, formatErrors(result)).toBe(true)
      })

      it('carries no credential, only placeholders', () => {
        const { headers = {}, body } = fixture.request
        const values = [
          ...Object.entries(headers).filter(([name]) => name === 'authorization'),
          ...Object.entries(typeof body === 'object' && body !== null ? body : {}).filter(
            ([name]) => CREDENTIALS.includes(name),
          ),
        ]
        for (const [name, value] of values) {
          for (const secret of secretsOf(String(value))) expect(secret, name).toMatch(placeholder)
        }
      })
    })
  })
}

/** The secrets inside a credential value: a Basic value is base64 of `<client_key>:<secret_key>`;
 * Bearer and PortOne (`PortOne <api_secret>`) carry the secret after the scheme. */
function secretsOf(value: string): string[] {
  const basic = /^Basic (.+)$/.exec(value)?.[1]
  return basic === undefined ? [value.replace(/^(Bearer|PortOne) /, '')] : atob(basic).split(':')
}
