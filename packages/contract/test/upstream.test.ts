// Suite 6: our PortOne V2 spec against PortOne's official OpenAPI document (specs/portone/upstream/).
// Every path, parameter, field, enum value and error type ours declares exists upstream with a
// compatible type; the places marked `x-upstream-difference` are listed as known differences. Drop
// a newer official document in and this suite names what changed.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JsonObject } from '../src/document'
import { providers, repoRoot } from './providers'
import { compareWithUpstream } from './upstream'

const upstreamFile = join(repoRoot, 'specs/portone/upstream/portone-v2.openapi.json')
const upstream = JSON.parse(readFileSync(upstreamFile, 'utf8')) as JsonObject
const portone = providers.find((p) => p.name === 'portone')
if (!portone) throw new Error('no portone provider in test/providers.ts')
const ours = portone.spec.document
const version = (upstream.info as JsonObject).version

/** The operations that take an Idempotency-Key, which the official document lacks. */
const MUTATIONS = [
  'DELETE /billing-keys/{billingKey}',
  'POST /payments/{paymentId}/billing-key',
  'POST /payments/{paymentId}/cancel',
  'POST /payments/{paymentId}/schedule',
  'DELETE /payment-schedules',
]

describe(`specs/portone/openapi.yaml against PortOne's official document ${version}`, () => {
  const { problems, known } = compareWithUpstream(ours, upstream)

  it('declares nothing the official document lacks or types otherwise', () => {
    expect(
      problems,
      `specs/portone/openapi.yaml differs from the official document ${version} at:\n${problems.join('\n')}`,
    ).toEqual([])
  })

  it('lists its deliberate differences, each with its reason', () => {
    console.log(
      [
        `known differences from the official document ${version}:`,
        ...known.map(({ at, why }) => `  ${at}: ${why}`),
      ].join('\n'),
    )
    expect(known.map((k) => k.at)).toEqual(
      expect.arrayContaining(
        MUTATIONS.flatMap((op) => [
          `${op} header Idempotency-Key`,
          `${op} 409 body[type=IDEMPOTENCY_OUTSTANDING_REQUEST]`,
        ]),
      ),
    )
    for (const { at, why } of known) expect(why.length, at).toBeGreaterThan(20)
  })

  it('has no stale difference (upstream has not caught up with any)', () => {
    expect(known.filter((k) => k.stale).map((k) => k.at)).toEqual([])
  })
})

describe('the upstream check bites', () => {
  /** A copy of the official document with one edit, as a newer release might bring. */
  function changed(edit: (document: JsonObject) => void): string[] {
    const document = structuredClone(upstream)
    edit(document)
    return compareWithUpstream(ours, document).problems
  }
  const schemas = (document: JsonObject) =>
    (document.components as JsonObject).schemas as Record<string, JsonObject>
  const properties = (schema: JsonObject) => schema.properties as Record<string, JsonObject>
  const operation = (document: JsonObject, path: string, method: string) =>
    (document.paths as Record<string, Record<string, JsonObject>>)[path]?.[method] as JsonObject

  it('agrees with an unchanged copy', () => {
    expect(changed(() => {})).toEqual([])
  })

  it('names a removed path, operation, parameter, response and request field', () => {
    const problems = changed((document) => {
      const paths = document.paths as JsonObject
      delete paths['/payment-schedules/{paymentScheduleId}']
      delete (paths['/billing-keys/{billingKey}'] as JsonObject).delete
      const getPayment = operation(document, '/payments/{paymentId}', 'get')
      getPayment.parameters = (getPayment.parameters as JsonObject[]).filter(
        (p) => p.name !== 'storeId',
      )
      delete (operation(document, '/payments/{paymentId}/cancel', 'post').responses as JsonObject)[
        '502'
      ]
      delete properties(schemas(document).CancelPaymentBody as JsonObject).currentCancellableAmount
    })
    expect(problems).toEqual(
      expect.arrayContaining([
        'GET /payment-schedules/{paymentScheduleId}: no such operation upstream',
        'DELETE /billing-keys/{billingKey}: no such operation upstream',
        'GET /payments/{paymentId} query storeId: missing upstream',
        'POST /payments/{paymentId}/cancel 502: no such response upstream',
        'POST /payments/{paymentId}/cancel request body.currentCancellableAmount: missing upstream',
      ]),
    )
  })

  it('names a changed type, format, enum value, required field and discriminated branch', () => {
    const problems = changed((document) => {
      const all = schemas(document)
      properties(all.PageInfo as JsonObject).totalCount = { type: 'string' }
      properties(all.PaymentAmount as JsonObject).paid = { type: 'integer', format: 'int32' }
      ;(all.BillingKeyStatus as JsonObject).enum = ['ISSUED']
      ;(all.PaidPayment as JsonObject).required = ['status', 'id']
      delete properties(all.PaidPayment as JsonObject).pgTxId
      const union = all.Payment as JsonObject
      delete ((union.discriminator as JsonObject).mapping as JsonObject).PAY_PENDING
    })
    const paid = 'GET /payments/{paymentId} 200 body[status=PAID]'
    expect(problems).toEqual(
      expect.arrayContaining([
        'GET /billing-keys 200 body.page.totalCount: integer here, string upstream',
        `${paid}.amount.paid: format int64 here, int32 upstream`,
        'GET /billing-keys query requestBody.filter.status[]: value "DELETED" is not in upstream\'s enum',
        `${paid}.paidAt: required here, optional upstream`,
        `${paid}.pgTxId: missing upstream`,
        expect.stringMatching(
          /^GET \/payments\/\{paymentId\} 200 body\[status=PAY_PENDING\]: no such status upstream/,
        ),
      ]),
    )
  })

  it('names an error type that upstream stops listing for a status', () => {
    const problems = changed((document) => {
      const responses = operation(document, '/payments/{paymentId}/billing-key', 'post')
        .responses as Record<string, JsonObject>
      ;(responses['409'] as JsonObject).description = '* `AlreadyPaidError`'
    })
    expect(problems).toEqual(
      expect.arrayContaining([
        'POST /payments/{paymentId}/billing-key 409: upstream does not list BILLING_KEY_ALREADY_DELETED (BillingKeyAlreadyDeletedError) for this status',
      ]),
    )
    expect(problems.join('\n')).not.toContain('ALREADY_PAID ')
  })

  it('flags a known difference as stale once upstream has it', () => {
    const document = structuredClone(upstream)
    const pay = operation(document, '/payments/{paymentId}/billing-key', 'post')
    pay.parameters = [
      ...(pay.parameters as JsonObject[]),
      { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } },
    ]
    const { known } = compareWithUpstream(ours, document)
    expect(known.filter((k) => k.stale).map((k) => k.at)).toEqual([
      'POST /payments/{paymentId}/billing-key header Idempotency-Key',
    ])
  })
})
