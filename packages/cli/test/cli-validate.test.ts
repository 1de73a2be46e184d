import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, repoRoot, scratch } from './helpers'

const fixture = (provider: string, name: string) =>
  join(repoRoot, 'specs', provider, 'fixtures', name)
const IAMPORT_200 = fixture('iamport', 'getBillingKey-200.json')
const BOOTPAY_400 = fixture('bootpay', 'getBillingKeyByReceipt-400-rc-not-found.json')

/** A scratch file holding the body of an iamport getBillingKey 200 fixture, changed by `edit`. */
function iamportBody(edit: (body: { response: Record<string, unknown> }) => void = () => {}) {
  const body = JSON.parse(readFileSync(IAMPORT_200, 'utf8')).response.body
  edit(body)
  const dir = scratch({ 'body.json': JSON.stringify(body) })
  return join(dir, 'body.json')
}

describe('validate', () => {
  it.each([
    ['iamport', 'getBillingKey', '200', IAMPORT_200],
    ['bootpay', 'getBillingKeyByReceipt', '400', BOOTPAY_400],
  ])('a fixture-shaped file is checked by its response.body: %s %s %s', async (...args) => {
    const { code, stdout, stderr } = await cli(['validate', ...args])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toBe(`valid: ${args[3]} against ${args[0]} ${args[1]} ${args[2]}\n`)
  })

  it('a bare body is valid too', async () => {
    const file = iamportBody()
    const { code, stdout } = await cli(['validate', 'iamport', 'getBillingKey', '200', file])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^valid: /)
  })

  it('an off-contract body: each difference with its JSON pointer and expected shape, exit 1', async () => {
    const file = iamportBody((body) => {
      body.response.card_type = 'credit'
      delete body.response.customer_uid
    })
    const { code, stdout, stderr } = await cli([
      'validate',
      'iamport',
      'getBillingKey',
      '200',
      file,
    ])
    expect(stderr).toBe('')
    expect(code).toBe(1)
    expect(stdout).toMatch(/^invalid: .* against iamport getBillingKey 200: \d+ differences\n/)
    expect(stdout).toMatch(/^ {2}\/response\/card_type: .*\(expected type .*integer/m)
    expect(stdout).toMatch(/^ {2}\/response\/customer_uid: is required/m)
  })

  it("an ordinary key lacking fields: the key's missing fields, not another branch of the oneOf", async () => {
    const file = iamportBody((body) => {
      for (const field of ['pg_provider', 'pg_id', 'sandbox', 'card_name'])
        delete body.response[field]
    })
    const { code, stdout } = await cli(['validate', 'iamport', 'getBillingKey', '200', file])
    expect(code).toBe(1)
    expect(stdout).toMatch(/^ {2}\/response\/pg_provider: is required but missing/m)
    expect(stdout).toMatch(/^ {2}\/response\/card_name: is required but missing/m)
    expect(stdout).not.toContain('channelGroupId')
    expect(stdout).not.toMatch(/^ {2}\/code:/m)
  })

  it('the same body against a status whose schema it does not match is invalid', async () => {
    const { code, stdout } = await cli([
      'validate',
      'bootpay',
      'getBillingKeyByReceipt',
      '200',
      BOOTPAY_400,
    ])
    expect(code).toBe(1)
    expect(stdout).toMatch(/^invalid: /)
  })

  it.each([
    [
      ['paypal', 'getBillingKey', '200', IAMPORT_200],
      'unknown provider "paypal" (expected iamport, bootpay or portone)',
    ],
    [
      ['iamport', 'getBillingKy', '200', IAMPORT_200],
      'the iamport spec has no operation "getBillingKy"; it has ',
    ],
    [
      ['iamport', 'getBillingKey', 'ok', IAMPORT_200],
      '<status> must be a whole number from 100 to 599, got "ok"',
    ],
    [
      ['iamport', 'getBillingKey', '302', IAMPORT_200],
      'the iamport spec documents no 302 response for getBillingKey; it documents ',
    ],
  ])('exit 2 with the usage for %j', async (args, message) => {
    const { code, stdout, stderr } = await cli(['validate', ...args])
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain(`billingkey validate: ${message}`)
    expect(stderr).toContain(
      'Usage: billingkey validate <provider> <operationId> <status> <file.json>',
    )
  })

  it('exit 2 for a file that is missing or not JSON', async () => {
    const dir = scratch({ 'broken.json': '{"code": 0,' })
    const missing = await cli(['validate', 'iamport', 'getBillingKey', '200', 'nope.json'], {
      cwd: dir,
    })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe('billingkey validate: cannot read nope.json: no such file\n')
    const broken = await cli(['validate', 'iamport', 'getBillingKey', '200', 'broken.json'], {
      cwd: dir,
    })
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/^billingkey validate: broken\.json is not JSON: /)
  })
})
