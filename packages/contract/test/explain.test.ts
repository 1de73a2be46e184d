// Which branch of a failed oneOf gets explained: the one the value was meant to be. Checked on the
// iamport spec, where an answer is a success or an error envelope, and a key ordinary or super.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadSpec, type ValidationResult } from '../src/index'
import { repoRoot } from './providers'

const iamport = loadSpec('iamport')
// biome-ignore lint/suspicious/noExplicitAny: the tests take fixture bodies apart
const body = (fixture: string): any =>
  JSON.parse(readFileSync(`${repoRoot}specs/iamport/fixtures/${fixture}`, 'utf8')).response.body
const pointers = (result: ValidationResult) => result.errors.map((e) => e.pointer)
const OUTER = ['/response', ''] // the key's oneOf, then the envelope's

describe('the oneOf branch explained', () => {
  it("an ordinary key lacking fields: the ordinary key's missing fields, not the error envelope's", () => {
    const answer = body('getBillingKey-200.json')
    for (const field of ['pg_provider', 'pg_id', 'sandbox', 'card_name'])
      delete answer.response[field]
    const result = iamport.validateResponse('getBillingKey', 200, answer)
    expect(pointers(result)).toEqual([
      '/response/pg_provider',
      '/response/pg_id',
      '/response/sandbox',
      '/response/card_name',
      ...OUTER,
    ])
    expect(result.errors[0]).toMatchObject({
      message: 'is required but missing',
      expected: { required: expect.arrayContaining(['pg_provider', 'inserted']) },
    })
  })

  it('an ordinary key with only the fields both kinds declare: the ordinary key, not channelGroupId', () => {
    const answer = body('getBillingKey-200.json')
    const { customer_uid, customer_name, customer_tel } = answer.response
    answer.response = { customer_uid, customer_name, customer_tel }
    const result = iamport.validateResponse('getBillingKey', 200, answer)
    expect(pointers(result)).not.toContain('/response/channelGroupId')
    expect(pointers(result)).toEqual([
      '/response/pg_provider',
      '/response/pg_id',
      '/response/sandbox',
      '/response/card_name',
      '/response/inserted',
      '/response/updated',
      ...OUTER,
    ])
  })

  it('a super billing key lacking channelGroupId is still explained as a super billing key', () => {
    const answer = body('getBillingKey-200-super-billing-key.json')
    delete answer.response.channelGroupId
    const result = iamport.validateResponse('getBillingKey', 200, answer)
    expect(pointers(result)).toEqual(['/response/channelGroupId', ...OUTER])
  })

  it('an error envelope with a wrong field is explained as an error, not as a key', () => {
    const answer = body('getBillingKey-200-unknown-uid-code1.json')
    answer.message = 42
    const result = iamport.validateResponse('getBillingKey', 200, answer)
    expect(new Set(pointers(result))).toEqual(new Set(['/message', '']))
  })
})
