import { ValidationError } from '@billingkey/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createBootpayClient } from '../src/index'
import { bootpay, credentials, fixtureBody, json } from './helpers'

const byKey = fixtureBody('getBillingKey-200-bank')

describe('any billing key string', () => {
  it('is refused before any request, or sent as exactly one path segment that decodes to it', async () => {
    const { fetch, apiCalls } = bootpay(() => json(byKey))
    const client = createBootpayClient({ ...credentials, fetch })
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 140 }), async (key) => {
        const sent = apiCalls().length
        const outcome = await client.getBillingKey(key).catch((error: unknown) => error)
        if (outcome instanceof ValidationError) {
          expect(apiCalls()).toHaveLength(sent)
          return
        }
        expect(outcome).toEqual(byKey)
        const [call, ...more] = apiCalls().slice(sent)
        expect(more).toEqual([])
        const segment = call?.url.pathname.replace(/^\/v2\/billing_key\//, '')
        expect(segment).toMatch(/^[^/?#]+$/)
        expect(decodeURIComponent(segment ?? '')).toBe(key)
      }),
      { numRuns: 100 },
    )
  }, 60_000)
})
