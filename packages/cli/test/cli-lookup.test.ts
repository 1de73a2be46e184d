import { type SampleRef, type Sandbox, sampleRefs, startSandbox } from '@billingkey/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cli, sandboxEnv } from './helpers'

const samples = sampleRefs()
const sample = (provider: SampleRef['ref']['provider'], category: SampleRef['category']) => {
  const found = samples.find((s) => s.ref.provider === provider && s.category === category)
  if (!found) throw new Error(`no ${category} ${provider} sample`)
  return found.ref
}

/** The command-line arguments that look `ref` up. */
function lookupArgs(ref: SampleRef['ref']): string[] {
  if (ref.provider === 'iamport') return ['iamport', ref.customerUid]
  return 'receiptId' in ref
    ? ['bootpay', '--receipt', ref.receiptId]
    : ['bootpay', '--key', ref.billingKey]
}
const idOf = (ref: SampleRef['ref']) => lookupArgs(ref).at(-1) as string

let sandbox: Sandbox
let env: Record<string, string>

beforeAll(async () => {
  sandbox = await startSandbox()
  env = sandboxEnv(sandbox)
})
afterAll(() => sandbox?.close())

describe('lookup iamport', () => {
  it('prints an active key and exits 0', async () => {
    const ref = sample('iamport', 'active')
    const { code, stdout, stderr } = await cli(['lookup', ...lookupArgs(ref)], { env })
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout).toContain(`iamport customer_uid=${idOf(ref)}: active, chargeable\n`)
    expect(stdout).toMatch(/^ {2}method {4}(card|bank|unknown)$/m)
    expect(stdout).toMatch(/^ {2}issued {4}\d{4}-\d\d-\d\dT/m)
    expect(stdout).toMatch(/^ {2}pg {8}\S/m)
  })

  it('looks several up at once; one unknown makes it exit 1', async () => {
    const active = sample('iamport', 'active')
    const unknown = sample('iamport', 'unknown')
    const { code, stdout } = await cli(['lookup', 'iamport', idOf(active), idOf(unknown)], { env })
    expect(code).toBe(1)
    expect(stdout).toContain(`iamport customer_uid=${idOf(active)}: active, chargeable`)
    expect(stdout).toContain(`iamport customer_uid=${idOf(unknown)}: not found\n  `)
    expect(stdout.indexOf(idOf(active))).toBeLessThan(stdout.indexOf(idOf(unknown)))
  })
})

describe('lookup bootpay', () => {
  it('--format json: an array of { ref, ok, chargeable, key } without raw, exit 0 when all chargeable', async () => {
    const ref = sample('bootpay', 'active')
    const { code, stdout } = await cli(['lookup', ...lookupArgs(ref), '--format', 'json'], { env })
    expect(code).toBe(0)
    const [result, ...rest] = JSON.parse(stdout)
    expect(rest).toEqual([])
    expect(result).toMatchObject({ ref, ok: true, chargeable: true, key: { status: 'active' } })
    expect(result.key).not.toHaveProperty('raw')
    expect(result.key.issuedAt).toMatch(/Z$/)
  })

  it('an expired key is found but not chargeable: exit 1', async () => {
    const ref = sample('bootpay', 'expired')
    const { code, stdout } = await cli(['lookup', ...lookupArgs(ref)], { env })
    expect(code).toBe(1)
    expect(stdout).toMatch(/: (expired|active), not chargeable\n/)
    expect(stdout).toMatch(/^ {2}expires {3}\d{4}-/m)
  })

  it('a deleted key and an unknown one: the provider error for each, exit 1', async () => {
    const deleted = sample('bootpay', 'deleted')
    const unknown = sample('bootpay', 'unknown')
    const { code, stdout } = await cli(
      ['lookup', ...lookupArgs(deleted), ...lookupArgs(unknown).slice(1), '--format', 'json'],
      { env },
    )
    expect(code).toBe(1)
    const results = JSON.parse(stdout)
    expect(results).toHaveLength(2)
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, chargeable: false })
      expect(result.error.message).toMatch(/bootpay/)
    }
    expect(results.map((r: { error: { name: string } }) => r.error.name)).toContain(
      'BillingKeyExpiredError',
    )
  })
})

describe('lookup credentials', () => {
  it('uses the embedded sandbox when nothing is set, and says so once', async () => {
    const ref = sample('iamport', 'active')
    const { code, stdout, stderr } = await cli(['lookup', ...lookupArgs(ref)])
    expect(code).toBe(0)
    expect(stderr).toMatch(
      /^billingkey: no provider credentials in the environment; using the embedded sandbox at http:\/\/127\.0\.0\.1:\d+ \(demo data\)\n$/,
    )
    expect(stdout).toContain('active, chargeable')
  })

  it('a provider that is not configured is exit 2 saying what to set', async () => {
    const { IAMPORT_API_KEY, IAMPORT_API_SECRET, IAMPORT_BASE_URL } = env as Record<string, string>
    const { code, stdout, stderr } = await cli(['lookup', 'bootpay', '--key', 'k'], {
      env: { IAMPORT_API_KEY, IAMPORT_API_SECRET, IAMPORT_BASE_URL } as Record<string, string>,
    })
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      'billingkey lookup: bootpay is not configured: set BOOTPAY_APPLICATION_ID and BOOTPAY_PRIVATE_KEY (or BOOTPAY_CLIENT_KEY and BOOTPAY_SECRET_KEY)\n',
    )
  })

  it('refused credentials: the error is shown and the run exits 2, and no secret is printed', async () => {
    const secret = 'wrong-secret-value-1234'
    const { code, stdout, stderr } = await cli(['lookup', 'iamport', 'anyone', '--verbose'], {
      env: { ...env, IAMPORT_API_SECRET: secret },
    })
    expect(code).toBe(2)
    expect(stdout).toContain('iamport customer_uid=anyone: AuthenticationError\n')
    expect(stderr).toContain(
      'billingkey lookup: iamport refused the credentials: check IAMPORT_API_KEY, IAMPORT_API_SECRET\n',
    )
    expect(stdout + stderr).not.toContain(secret)
  })
})
