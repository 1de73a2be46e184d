import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sampleRefs } from '@billingkey/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeProvider } from './fake-provider'
import { cli, scratch } from './helpers'

// With credentials, a fake server answers with PortOne's own shapes (and shows what was sent);
// with none, the embedded sandbox serves its PortOne V2 demo keys.
const SECRET = 'portone-secret-do-not-leak'
const deleted = new Set<string>()
let fake: Awaited<ReturnType<typeof startFakeProvider>>
let env: Record<string, string>

beforeAll(async () => {
  fake = await startFakeProvider({ deleted })
  env = { PORTONE_API_SECRET: SECRET, PORTONE_BASE_URL: fake.portoneBaseUrl }
})
afterAll(() => fake?.close())

const portoneRefs = sampleRefs({ counts: { portone: { active: 1, deleted: 1, unknown: 1 } } })
const portoneKey = (category: string) => {
  const found = portoneRefs.find((r) => r.category === category)
  if (!found) throw new Error(`no ${category} portone key in the sample`)
  return (found.ref as { billingKey: string }).billingKey
}

const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line)
    .map((line) => JSON.parse(line))

describe('lookup portone', () => {
  it('prints an issued key, chargeable, exit 0, with the secret in the PortOne header only', async () => {
    const { code, stdout, stderr } = await cli(['lookup', 'portone', 'bk-0001'], { env })
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain('portone billing_key=bk-0001: active, chargeable\n')
    expect(stdout).toMatch(/^ {2}pg {8}NICEPAY_V2 · nictest04m · sandbox$/m)
    expect(stdout).toMatch(/^ {2}expires {3}-$/m)
    expect(fake.requests.at(-1)).toEqual({
      method: 'GET',
      path: '/portone/billing-keys/bk-0001',
      authorization: `PortOne ${SECRET}`,
    })
    expect(stdout).not.toContain(SECRET)
  })

  it('with no credentials at all, the embedded sandbox serves its PortOne keys', async () => {
    const active = portoneKey('active')
    const found = await cli(['lookup', 'portone', active])
    expect(found.stderr).toContain('using the embedded sandbox')
    expect(found.code).toBe(0)
    expect(found.stdout).toContain(`portone billing_key=${active}: active, chargeable\n`)
    const missing = await cli(['lookup', 'portone', portoneKey('unknown')])
    expect(missing.code).toBe(1)
  })

  it('with credentials for another provider only, portone is not configured (exit 2)', async () => {
    const { code, stderr } = await cli(['lookup', 'portone', 'bk-0001'], {
      env: { IAMPORT_API_KEY: 'k', IAMPORT_API_SECRET: 's' },
    })
    expect(code).toBe(2)
    expect(stderr).toContain(
      'billingkey lookup: portone is not configured: set PORTONE_API_SECRET\n',
    )
  })

  it('an unknown key is exit 1; --receipt is refused (exit 2)', async () => {
    const missing = await cli(['lookup', 'portone', 'bk-0001', 'missing-1', '-f', 'json'], { env })
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout).map((r: { ok: boolean }) => r.ok)).toEqual([true, false])
    const usage = await cli(['lookup', 'portone', '--receipt', 'r1'], { env })
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('--receipt and --key are for bootpay')
  })
})

describe('audit with portone rows', () => {
  it('audits provider,billing_key rows, streams a jsonl report, and --compare sees a deletion', async () => {
    const dir = scratch({
      'keys.csv':
        'provider,billing_key\nportone,bk-a\nportone,bk-b\nportone,missing-1\nportone,gone-1\n',
    })
    const first = await cli(['audit', 'keys.csv', '--out', 'may.jsonl'], { env, cwd: dir })
    expect(first.code).toBe(1)
    const may = readJsonl(join(dir, 'may.jsonl'))
    expect(may.map((row) => [row.ref.provider, row.ref.billingKey, row.status])).toEqual([
      ['portone', 'bk-a', 'active'],
      ['portone', 'bk-b', 'active'],
      ['portone', 'missing-1', 'not_found'],
      ['portone', 'gone-1', 'deleted'],
    ])

    deleted.add('bk-b')
    const second = await cli(
      ['audit', 'keys.csv', '--out', 'june.jsonl', '--compare', 'may.jsonl'],
      {
        env,
        cwd: dir,
      },
    )
    deleted.delete('bk-b')
    expect(second.code).toBe(1)
    expect(second.stdout).toContain('newly deleted (or unknown to the provider): 1 key\n')
    expect(second.stdout).toMatch(/^ +\d+ +portone +billing_key=bk-b +active +deleted$/m)
  })

  it('--resume: a finished state is reused, nothing is looked up again', async () => {
    const dir = scratch({ 'keys.jsonl': '{"provider":"portone","billing_key":"bk-r1"}\n' })
    const args = ['audit', 'keys.jsonl', '--format', 'jsonl', '--resume', 'state.jsonl']
    const first = await cli(args, { env, cwd: dir })
    expect(first.code).toBe(0)
    const before = fake.requests.length
    const again = await cli(args, { env, cwd: dir })
    expect(again.code).toBe(0)
    expect(again.stdout).toBe(first.stdout)
    expect(fake.requests.length).toBe(before)
  })

  it('refuses a portone row with a receipt_id or an id longer than 200 characters (exit 2)', async () => {
    const dir = scratch({
      'keys.csv': `provider,receipt_id,billing_key\nportone,r1,\nportone,,${'k'.repeat(201)}\nportone,,bk-ok\n`,
    })
    const { code, stderr } = await cli(['audit', 'keys.csv'], { env, cwd: dir })
    expect(code).toBe(2)
    expect(stderr).toContain(
      'line 2: receipt_id is not used for portone; portone keys are identified by billing_key',
    )
    expect(stderr).toContain(
      'line 3: billing_key is 201 characters long; portone allows at most 200',
    )
  })

  it('with no credentials at all, the sandbox audits portone rows with the others', async () => {
    const dir = scratch({
      'keys.csv': `provider,customer_uid,billing_key\nportone,,${portoneKey('active')}\nportone,,${portoneKey('deleted')}\nportone,,${portoneKey('unknown')}\niamport,nobody-here,\n`,
    })
    const { code, stdout, stderr } = await cli(['audit', 'keys.csv', '--format', 'jsonl'], {
      cwd: dir,
    })
    expect(stderr).toContain('using the embedded sandbox')
    expect(code).toBe(1)
    const [active, deleted, unknown, iamport] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(active).toMatchObject({
      ref: { provider: 'portone', billingKey: portoneKey('active') },
      status: 'active',
    })
    expect(deleted).toMatchObject({ ref: { provider: 'portone' }, status: 'deleted' })
    expect(unknown).toMatchObject({ ref: { provider: 'portone' }, status: 'not_found' })
    expect(iamport).toMatchObject({ ref: { provider: 'iamport' }, status: 'not_found' })
  })
})
