import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Sandbox, sampleRefs, startSandbox } from '@billingkey/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../src/csv'
import {
  cli,
  fixtures,
  packageDir,
  type Result,
  repoRoot,
  sandboxEnv,
  scratch,
  start,
} from './helpers'

const KEYS_CSV = join(repoRoot, 'examples/keys.csv')
const KEYS_JSONL = join(repoRoot, 'examples/keys.jsonl')
const exampleRows = readFileSync(KEYS_CSV, 'utf8').trim().split('\n').length - 1

const SANDBOX_NOTICE =
  /^billingkey: no provider credentials in the environment; using the embedded sandbox at http:\/\/127\.0\.0\.1:\d+ \(demo data\)$/m

interface JsonReport {
  total: number
  chargeable: number
  counts: Record<'active' | 'expiring' | 'expired' | 'deleted' | 'notFound' | 'error', number>
  needsAction: {
    lines: number[]
    ref: Record<string, string>
    reason: string
    message: string
    key?: Record<string, unknown>
    error?: { name: string; message: string }
  }[]
  invalidRows: { line: number; message: string }[]
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)

let sandbox: Sandbox
let env: Record<string, string>

beforeAll(async () => {
  sandbox = await startSandbox()
  env = sandboxEnv(sandbox)
})
afterAll(() => sandbox?.close())

describe('audit against the embedded sandbox (no credentials set)', () => {
  let result: Result
  beforeAll(async () => {
    result = await cli(['audit', 'examples/keys.csv'])
  })

  it('says so in exactly one line on stderr', () => {
    expect(result.stderr.match(new RegExp(SANDBOX_NOTICE, 'gm'))).toHaveLength(1)
    expect(result.stderr.match(/sandbox/g)).toHaveLength(1)
  })

  it('prints plain progress lines, not a live bar, when stderr is not a terminal', () => {
    expect(result.stderr).not.toContain('\r')
    expect(result.stderr).toContain(`audited ${exampleRows}/${exampleRows} (100%)\n`)
    expect(result.stderr).toMatch(new RegExp(`^audited ${exampleRows} keys in [\\d.]+s`, 'm'))
  })

  it('prints the summary table and the keys that need action, and exits 1', () => {
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`Audit of ${exampleRows} keys from examples/keys.csv`)
    for (const label of ['active', 'expiring', 'expired', 'deleted', 'not found', 'error']) {
      expect(result.stdout).toMatch(new RegExp(`^${label} +\\d+ +\\d+\\.\\d%$`, 'm'))
    }
    expect(result.stdout).toMatch(new RegExp(`^total +${exampleRows}$`, 'm'))
    expect(result.stdout).toMatch(/^\d+ keys need action:$/m)
    expect(result.stdout).toMatch(/^ +\d+ +bootpay +(receipt_id|billing_key)=\w+ +expired +/m)
    expect(result.stdout).toMatch(/^ +\d+ +iamport +customer_uid=\S+ +not_found +/m)
    expect(result.stdout).not.toContain('\u001b[')
  })
})

// A user who installed the CLI globally has no examples/ directory: the README's first command is
// `billingkey audit --example`, which audits the copy the package ships.
describe('audit --example (the demo file shipped with the package)', () => {
  it("works from any directory, and the shipped file is the repository's examples/keys.csv", async () => {
    const result = await cli(['audit', '--example'], { cwd: scratch() })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(
      `Audit of ${exampleRows} keys from ${join(packageDir, 'examples/keys.csv')}`,
    )
    expect(result.stdout).toMatch(/^\d+ keys need action:$/m)
    // The README's first command prints no runtime warning (e.g. MaxListenersExceededWarning:
    // every request in flight listens to the run's one abort signal).
    expect(result.stderr).not.toMatch(/Warning/)
    expect(readFileSync(join(packageDir, 'examples/keys.csv'), 'utf8')).toBe(
      readFileSync(KEYS_CSV, 'utf8'),
    )
  })

  it('uses the embedded sandbox even with credentials set: the demo keys exist only there', async () => {
    const result = await cli(['audit', '--example', '--format', 'json'], {
      cwd: scratch(),
      env: { IAMPORT_API_KEY: 'real_key', IAMPORT_API_SECRET: 'real_secret' },
    })
    expect(result.stderr).toMatch(
      /^billingkey: using the embedded sandbox at http:\/\/127\.0\.0\.1:\d+ \(demo data\)$/m,
    )
    expect(result.code).toBe(1)
    const report = JSON.parse(result.stdout) as JsonReport
    expect(report.total).toBe(exampleRows)
    expect(report.counts.error).toBe(0)
  })

  it('refuses a file and --example together (exit 2)', async () => {
    const result = await cli(['audit', '--example', 'keys.csv'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('give a file or --example, not both')
  })

  it('examples/keys.csv outside the repository names --example in its error', async () => {
    const result = await cli(['audit', 'examples/keys.csv'], { cwd: scratch() })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      'cannot read examples/keys.csv: no such file; to audit the example shipped with billingkey: billingkey audit --example',
    )
  })
})

describe('audit output formats (credentials from the environment)', () => {
  let json: JsonReport
  let jsonRun: Result
  beforeAll(async () => {
    jsonRun = await cli(['audit', KEYS_CSV, '--format', 'json'], { env })
    json = JSON.parse(jsonRun.stdout)
  })

  it('does not start a sandbox when credentials are set', () => {
    expect(jsonRun.stderr).not.toMatch(SANDBOX_NOTICE)
  })

  it('json: the whole report, counts summing to the total, lines for every entry', () => {
    expect(jsonRun.code).toBe(1)
    expect(json.total).toBe(exampleRows)
    expect(sum(json.counts)).toBe(json.total)
    expect(json.chargeable).toBe(json.counts.active + json.counts.expiring)
    expect(json.counts.active).toBeGreaterThan(exampleRows / 2)
    expect(json.needsAction.length).toBe(json.total - json.counts.active)
    expect(json.invalidRows).toEqual([])
    const lines = readFileSync(KEYS_CSV, 'utf8').split('\n')
    for (const entry of json.needsAction) {
      expect(['expiring', 'expired', 'deleted', 'not_found', 'error']).toContain(entry.reason)
      const id = Object.entries(entry.ref).find(([name]) => name !== 'provider')?.[1] as string
      for (const line of entry.lines) expect(lines[line - 1]).toContain(id)
      expect(entry.key ?? entry.error).toBeDefined()
      if (entry.key) {
        expect(entry.key).not.toHaveProperty('raw')
        expect(entry.key.issuedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
      }
    }
  })

  it('json: no secret anywhere in the output', () => {
    const { apiSecret } = sandbox.credentials.iamport
    const { privateKey } = sandbox.credentials.bootpay
    for (const text of [jsonRun.stdout, jsonRun.stderr]) {
      expect(text).not.toContain(apiSecret)
      expect(text).not.toContain(privateKey)
    }
  })

  it('csv: a row per input row in file order, with the same statuses as json', async () => {
    const { code, stdout } = await cli(['audit', KEYS_CSV, '--format', 'csv'], { env })
    expect(code).toBe(1)
    const [header, ...rows] = parseCsv(stdout).map((record) => record.fields)
    expect(header).toEqual([
      'line',
      'provider',
      'customer_uid',
      'receipt_id',
      'billing_key',
      'status',
      'message',
    ])
    expect(rows.map((row) => Number(row[0]))).toEqual(
      Array.from({ length: exampleRows }, (_, i) => i + 2),
    )
    const counted = rows.filter((row) => row[5] === 'active').length
    expect(counted).toBe(json.counts.active)
    const byLine = new Map(json.needsAction.flatMap((e) => e.lines.map((line) => [line, e.reason])))
    for (const row of rows) expect(row[5]).toBe(byLine.get(Number(row[0])) ?? 'active')
  })

  it('table is the default, and jsonl input gives the same report as csv', async () => {
    const { code, stdout } = await cli(['audit', KEYS_JSONL, '--format', 'json'], { env })
    expect(code).toBe(1)
    const fromJsonl: JsonReport = JSON.parse(stdout)
    expect(fromJsonl.counts).toEqual(json.counts)
    // keys.csv has a header line; keys.jsonl does not
    expect(fromJsonl.needsAction.map((e) => [e.lines.map((l) => l + 1), e.ref, e.reason])).toEqual(
      json.needsAction.map((e) => [e.lines, e.ref, e.reason]),
    )
  })

  it('--out writes the report to a file (format from its extension), stdout stays empty', async () => {
    const dir = scratch()
    const { code, stdout, stderr } = await cli(['audit', KEYS_CSV, '--out', 'report.json'], {
      env,
      cwd: dir,
    })
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toContain('billingkey audit: wrote the json report to report.json')
    const written: JsonReport = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
    expect(written.counts).toEqual(json.counts)
  })

  it('--out refuses to overwrite the input, and a path it cannot write, before any lookup', async () => {
    const dir = scratch({ 'keys.csv': readFileSync(KEYS_CSV, 'utf8') })
    const same = await cli(['audit', 'keys.csv', '--out', 'keys.csv', '--format', 'csv'], {
      env,
      cwd: dir,
    })
    expect(same.code).toBe(2)
    expect(same.stderr).toContain('--out would overwrite the input file')
    const missing = await cli(['audit', 'keys.csv', '--out', 'no/such/dir/r.json'], {
      env,
      cwd: dir,
    })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('cannot write no/such/dir/r.json: no such file')
    expect(missing.stderr).not.toContain('audited')
  })
})

describe('audit exit codes', () => {
  it('0 when every key can be charged', async () => {
    const active = sampleRefs({
      counts: {
        iamport: { active: 5, deleted: 0, unknown: 0 },
        bootpay: { active: 5, expired: 0, deleted: 0, unknown: 0, notBilling: 0 },
      },
    }).filter((sample) => sample.category === 'active')
    expect(active).toHaveLength(10)
    const jsonl = active.map(({ ref }) => JSON.stringify(ref)).join('\n')
    const dir = scratch({ 'active.jsonl': jsonl })
    const { code, stdout } = await cli(['audit', 'active.jsonl'], { env, cwd: dir })
    expect(code).toBe(0)
    expect(stdout).toMatch(/^active +10 +100\.0%$/m)
    expect(stdout).toContain('Every key can be charged.')
  })

  it('2 after the report when rows are malformed: each reported with its line, the rest audited', async () => {
    const { code, stdout, stderr } = await cli(
      ['audit', join(fixtures, 'bad-rows.csv'), '--format', 'json'],
      { env },
    )
    expect(code).toBe(2)
    const file = join(fixtures, 'bad-rows.csv')
    const expected = [
      [3, 'unknown provider "paypal" (expected iamport, bootpay or portone)'],
      [4, 'iamport needs a customer_uid'],
      [5, 'give either receipt_id or billing_key, not both'],
      [6, '5 fields, but the header has 4'],
      [10, 'customer_uid " padded" has leading or trailing spaces'],
    ] as const
    for (const [line, message] of expected) {
      expect(stderr).toContain(`billingkey audit: ${file} line ${line}: ${message}\n`)
    }
    const report: JsonReport = JSON.parse(stdout)
    expect(report.invalidRows).toEqual(expected.map(([line, message]) => ({ line, message })))
    expect(report.total).toBe(3)
    expect(report.needsAction.map((entry) => [entry.lines, entry.ref, entry.reason])).toEqual([
      [[2], { provider: 'iamport', customerUid: 'nobody_1' }, 'not_found'],
      [[7], { provider: 'iamport', customerUid: 'nobody_2' }, 'not_found'],
      [[9], { provider: 'bootpay', billingKey: 'ffffffffffffffffffffffff' }, 'not_found'],
    ])
  })

  it('2 for malformed JSONL lines too, and the table lists them', async () => {
    const { code, stdout, stderr } = await cli(['audit', join(fixtures, 'bad-rows.jsonl')], { env })
    expect(code).toBe(2)
    for (const line of [2, 3, 5, 7])
      expect(stderr).toMatch(new RegExp(`bad-rows\\.jsonl line ${line}: `))
    expect(stdout).toContain('4 rows were not audited (malformed):')
    expect(stdout).toMatch(/^total +2$/m)
  })

  it.each([
    ['missing.csv', 'cannot read missing.csv: no such file'],
    [join(fixtures, 'unterminated.csv'), 'line 3: a quoted field is never closed'],
    [join(fixtures, 'no-provider.csv'), 'has no provider column'],
  ])('2 for a file that cannot be audited at all: %s', async (file, message) => {
    const { code, stdout, stderr } = await cli(['audit', file], { env })
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain(message)
    expect(stderr).not.toContain('Usage:')
  })

  it('2 when every row is malformed, with nothing looked up', async () => {
    const dir = scratch({ 'bad.csv': 'provider,customer_uid\npaypal,x\nstripe,y\n' })
    const { code, stderr } = await cli(['audit', 'bad.csv'], { cwd: dir })
    expect(code).toBe(2)
    expect(stderr).toContain('bad.csv line 2: unknown provider "paypal"')
    expect(stderr).toContain('bad.csv: none of its 2 rows could be read')
    expect(stderr).not.toMatch(SANDBOX_NOTICE)
  })
})

// Ids crafted against the person reading the report: a formula for their spreadsheet, a
// right-to-left override for their terminal, an id too long for the provider.
describe('hostile ids', () => {
  const rows = [
    'provider,customer_uid,receipt_id,billing_key',
    'iamport,"=HYPERLINK(""http://evil.example"")",,',
    'iamport,@SUM(A1),,',
    'bootpay,,-1+1,',
    'bootpay,,,txt\u202Eexe.csv',
    `iamport,${'u'.repeat(81)},,`,
    `bootpay,,,${'k'.repeat(129)}`,
  ].join('\n')

  it('csv: a formula is written as quoted text with a leading quote, never as a formula', async () => {
    const dir = scratch({ 'keys.csv': rows })
    const { code, stdout } = await cli(['audit', 'keys.csv', '--format', 'csv'], { env, cwd: dir })
    expect(code).toBe(2)
    const lines = stdout.split('\r\n')
    expect(lines[1]).toMatch(/^2,iamport,"'=HYPERLINK\(""http:\/\/evil\.example""\)",,,not_found,/)
    expect(lines[2]).toMatch(/^3,iamport,"'@SUM\(A1\)",,,not_found,/)
    expect(lines[3]).toMatch(/^4,bootpay,,"'-1\+1",,not_found,/)
    for (const line of lines) expect(line).not.toMatch(/(^|,)[=+\-@]/)
  })

  it('an id longer than the provider allows is a malformed row (exit 2), not a failed lookup', async () => {
    const dir = scratch({ 'keys.csv': rows })
    const { code, stdout, stderr } = await cli(['audit', 'keys.csv', '--format', 'json'], {
      env,
      cwd: dir,
    })
    expect(code).toBe(2)
    const report: JsonReport = JSON.parse(stdout)
    expect(report.invalidRows).toEqual([
      { line: 6, message: 'customer_uid is 81 characters long; iamport allows at most 80' },
      { line: 7, message: 'billing_key is 129 characters long; bootpay allows at most 128' },
    ])
    expect(report.counts.error).toBe(0)
    expect(stderr).toContain('keys.csv line 6: customer_uid is 81 characters long')
  })

  it('table: a bidirectional control in an id is shown escaped, not obeyed', async () => {
    const dir = scratch({ 'keys.csv': rows })
    const { stdout } = await cli(['audit', 'keys.csv'], { env, cwd: dir })
    expect(stdout).toContain('billing_key=txt\\u202eexe.csv')
    expect(stdout).not.toContain('\u202e')
  })
})

describe('credentials from the environment', () => {
  it.each([
    [{ IAMPORT_API_KEY: 'k' }, 'IAMPORT_API_KEY is set, but IAMPORT_API_SECRET is not'],
    [
      { BOOTPAY_PRIVATE_KEY: 'super-secret-private-key' },
      'BOOTPAY_PRIVATE_KEY is set, but BOOTPAY_APPLICATION_ID is not',
    ],
  ])('a half-set pair is exit 2 naming the missing variable: %j', async (vars, message) => {
    const { code, stdout, stderr } = await cli(['audit', KEYS_CSV], { env: vars })
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toBe(`billingkey audit: ${message}\n`)
  })

  it('rows of a provider that is not configured are errors that say what to set', async () => {
    const { IAMPORT_API_KEY, IAMPORT_API_SECRET, IAMPORT_BASE_URL } = env as Record<string, string>
    const { code, stdout } = await cli(['audit', KEYS_CSV, '--format', 'json'], {
      env: { IAMPORT_API_KEY, IAMPORT_API_SECRET, IAMPORT_BASE_URL } as Record<string, string>,
    })
    expect(code).toBe(1)
    const report: JsonReport = JSON.parse(stdout)
    const bootpay = report.needsAction.filter((entry) => entry.ref.provider === 'bootpay')
    expect(bootpay.length).toBeGreaterThan(0)
    for (const entry of bootpay) {
      expect(entry.reason).toBe('error')
      expect(entry.message).toBe(
        'bootpay is not configured: set BOOTPAY_APPLICATION_ID and BOOTPAY_PRIVATE_KEY (or BOOTPAY_CLIENT_KEY and BOOTPAY_SECRET_KEY)',
      )
    }
    expect(report.counts.active).toBeGreaterThan(0)
  })

  it('credentials a provider refuses: the report is printed, and the run exits 2', async () => {
    const { code, stdout, stderr } = await cli(['audit', KEYS_CSV, '--format', 'json'], {
      env: { ...env, BOOTPAY_PRIVATE_KEY: 'not-the-key' },
    })
    expect(code).toBe(2)
    expect(stderr).toContain(
      'billingkey audit: bootpay refused the credentials: check BOOTPAY_APPLICATION_ID, BOOTPAY_PRIVATE_KEY or BOOTPAY_CLIENT_KEY, BOOTPAY_SECRET_KEY\n',
    )
    expect(stderr).not.toContain('iamport refused')
    const report: JsonReport = JSON.parse(stdout)
    const bootpay = report.needsAction.filter((entry) => entry.ref.provider === 'bootpay')
    expect(bootpay.every((entry) => entry.error?.name === 'AuthenticationError')).toBe(true)
    expect(stdout + stderr).not.toContain('not-the-key')
  })

  it('--verbose logs requests to stderr without a secret or a token', async () => {
    const { code, stderr } = await cli(
      ['audit', KEYS_CSV, '--verbose', '--format', 'json', '--concurrency', '2'],
      { env },
    )
    expect(code).toBe(1)
    expect(stderr).toMatch(/\[(debug|info)\]/)
    for (const secret of [
      sandbox.credentials.iamport.apiSecret,
      sandbox.credentials.bootpay.privateKey,
    ]) {
      expect(stderr).not.toContain(secret)
    }
    expect(stderr).not.toMatch(/Bearer [A-Za-z0-9._-]{8,}/)
  })
})

describe('a reader that goes away', () => {
  it('stdout closed early (| head) is not a crash: the run finishes with its exit code', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `iamport,nobody_${i}\n`).join('')
    const dir = scratch({ 'many.csv': `provider,customer_uid\n${rows}` })
    const run = start(['audit', 'many.csv', '--format', 'csv'], { env, cwd: dir })
    await run.waitFor('stdout', /^line,/)
    run.child.stdout?.destroy()
    const result = await run.done
    expect(result.stderr).not.toContain('EPIPE')
    expect(result.stderr).toContain('audited 3000 keys in ')
    expect(result.code).toBe(1)
  })
})

describe('interrupting an audit', () => {
  it('SIGINT aborts the lookups in flight and exits 130', async () => {
    // Every request hangs for a minute, so the audit is surely running when the signal comes.
    const slow = await startSandbox({ faults: [{ kind: 'latency', ms: 60_000 }] })
    try {
      const run = start(['audit', KEYS_CSV], { env: sandboxEnv(slow) })
      await until(() => slow.stats().requests > 0)
      run.child.kill('SIGINT')
      const result = await run.done
      expect(result.code).toBe(130)
      expect(result.stderr).toContain('billingkey audit: interrupted\n')
      expect(result.stdout).toBe('')
    } finally {
      await slow.close()
    }
  })
})

/** Resolves once `condition()` holds (checked every 20 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20))
}
