import { spawn } from 'node:child_process'
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Sandbox, sampleRefs, startSandbox } from '@billingkey/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCsv } from '../src/csv'
import { bin, cleanEnv, cli, fixtures, sandboxEnv, scratch, start } from './helpers'

let sandbox: Sandbox
let env: Record<string, string>

beforeAll(async () => {
  sandbox = await startSandbox()
  env = sandboxEnv(sandbox)
})
afterAll(() => sandbox?.close())

interface JsonlRow {
  line: number
  ref?: Record<string, string>
  status: string
  message?: string
}

const readJsonl = (path: string): JsonlRow[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line))

/** Writes a CSV of `rows` iamport rows (unknown uids; every 1000th row malformed) as it goes. */
async function generate(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path)
  out.write('provider,customer_uid\n')
  for (let i = 0; i < rows; i++) {
    const line = i % 1000 === 999 ? `paypal,p_${i}\n` : `iamport,nobody_${i}\n`
    if (!out.write(line)) await new Promise((resolve) => out.once('drain', resolve))
  }
  await new Promise((resolve) => out.end(resolve))
}

/** Runs the bin to the end in a child that prints its peak resident memory (kB) on exit. */
function peakRss(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stderr: string; maxRss: number }> {
  const probe = join(cwd, 'max-rss.mjs')
  writeFileSync(
    probe,
    "process.on('exit', () => process.stderr.write(`maxrss=${process.resourceUsage().maxRSS}\\n`))\n",
  )
  const child = spawn(process.execPath, ['--import', probe, bin, ...args], {
    cwd,
    env: cleanEnv(env),
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({ code, stderr, maxRss: Number(/maxrss=(\d+)/.exec(stderr)?.[1]) }),
    )
  })
}

describe('streaming: memory stays flat however long the file is', () => {
  it('peak RSS at 200,000 rows is within 1.5x of the peak at 20,000 (json and csv)', async () => {
    const dir = scratch()
    await generate(join(dir, 'small.csv'), 20_000)
    await generate(join(dir, 'large.csv'), 200_000)
    const peaks: Record<string, number> = {}
    for (const [name, rows] of [
      ['small', 20_000],
      ['large', 200_000],
    ] as const) {
      for (const format of ['json', 'csv'] as const) {
        const out = `${name}-report.${format}`
        const run = await peakRss(['audit', `${name}.csv`, '--out', out], dir)
        expect(run.code, run.stderr.slice(-2000)).toBe(2) // the malformed rows
        expect(run.maxRss).toBeGreaterThan(0)
        peaks[out] = run.maxRss
        const invalid = rows / 1000
        if (format === 'json') {
          const report = JSON.parse(readFileSync(join(dir, out), 'utf8'))
          expect(report.total).toBe(rows - invalid)
          expect(report.counts.notFound).toBe(rows - invalid)
          expect(report.needsAction).toHaveLength(rows - invalid)
          expect(report.invalidRows).toHaveLength(invalid)
          expect(report.needsAction[rows - invalid - 1].lines).toEqual([rows])
        } else {
          const records = parseCsv(readFileSync(join(dir, out), 'utf8'))
          expect(records).toHaveLength(rows + 1)
          expect(records[rows]?.fields).toEqual([
            String(rows + 1),
            '',
            '',
            '',
            '',
            'invalid',
            'unknown provider "paypal" (expected iamport or bootpay)',
          ])
        }
      }
    }
    for (const format of ['json', 'csv']) {
      expect(
        peaks[`large-report.${format}`],
        `peak RSS (kB) of ${format}: ${JSON.stringify(peaks)}`,
      ).toBeLessThanOrEqual(1.5 * (peaks[`small-report.${format}`] as number))
    }
  }, 600_000)
})

describe('streamed reports', () => {
  it('--format jsonl: one object per input row in file order, malformed rows as invalid, exit 2', async () => {
    const file = join(fixtures, 'bad-rows.csv')
    const { code, stdout, stderr } = await cli(['audit', file, '--format', 'jsonl'], { env })
    expect(code).toBe(2)
    expect(stderr).toContain(`billingkey audit: ${file} line 3: unknown provider "paypal"`)
    const rows: JsonlRow[] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(rows.map((row) => [row.line, row.status])).toEqual([
      [2, 'not_found'],
      [3, 'invalid'],
      [4, 'invalid'],
      [5, 'invalid'],
      [6, 'invalid'],
      [7, 'not_found'],
      [9, 'not_found'],
      [10, 'invalid'],
    ])
    expect(rows[0]?.ref).toEqual({ provider: 'iamport', customerUid: 'nobody_1' })
    expect(rows[1]?.message).toBe('unknown provider "paypal" (expected iamport or bootpay)')
  })

  it('csv rows are written as they settle, before the run ends', async () => {
    // Every request takes 300 ms and one runs at a time: a window is 400 rows (4 requests).
    const slow = await startSandbox({ faults: [{ kind: 'latency', ms: 300 }] })
    try {
      const rows = Array.from({ length: 2000 }, (_, i) => `iamport,nobody_${i}\n`).join('')
      const dir = scratch({ 'many.csv': `provider,customer_uid\n${rows}` })
      const run = start(['audit', 'many.csv', '--format', 'csv', '--concurrency', '1'], {
        env: sandboxEnv(slow),
        cwd: dir,
      })
      await run.waitFor('stdout', /^401,iamport,nobody_399,/m)
      expect(run.child.exitCode).toBeNull()
      expect(run.output().stdout).not.toMatch(/^2001,/m)
      run.child.kill('SIGINT')
      expect((await run.done).code).toBe(130)
    } finally {
      await slow.close()
    }
  })

  it('a key listed again windows later is looked up once and reported on both lines', async () => {
    const [bootpay] = sampleRefs().filter(
      (sample) => sample.ref.provider === 'bootpay' && sample.category === 'active',
    )
    const id = (bootpay?.ref as { receiptId?: string; billingKey?: string }).receiptId
    const billingKey = (bootpay?.ref as { billingKey?: string }).billingKey
    const line = id ? `bootpay,,${id},\n` : `bootpay,,,${billingKey}\n`
    const filler = Array.from({ length: 1000 }, (_, i) => `iamport,nobody_${i},,\n`).join('')
    const dir = scratch({
      'dup.csv': `provider,customer_uid,receipt_id,billing_key\n${line}${filler}${line}`,
    })
    sandbox.resetStats()
    const { code, stdout } = await cli(
      ['audit', 'dup.csv', '--format', 'jsonl', '--concurrency', '1'],
      { env, cwd: dir },
    )
    expect(code).toBe(1)
    const rows: JsonlRow[] = stdout
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text))
    expect(rows).toHaveLength(1002)
    expect(rows[0]).toMatchObject({ line: 2, status: 'active' })
    expect(rows[1001]).toMatchObject({ line: 1003, status: 'active', ref: rows[0]?.ref })
    const bootpayLookups = Object.entries(sandbox.stats().operations.bootpay)
      .filter(([operation]) => !/token/i.test(operation))
      .reduce((sum, [, count]) => sum + count, 0)
    expect(bootpayLookups).toBe(1)
  })

  it('the table lists the first 1000 keys that need action and counts the rest', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => `iamport,nobody_${i}\n`).join('')
    const dir = scratch({ 'many.csv': `provider,customer_uid\n${rows}` })
    const { code, stdout } = await cli(['audit', 'many.csv'], { env, cwd: dir })
    expect(code).toBe(1)
    expect(stdout).toMatch(/^not found +1200 +100\.0%$/m)
    expect(stdout).toContain('1200 keys need action:\n')
    expect(stdout).toContain('… and 200 more (--format csv or jsonl lists every row)\n')
    expect(stdout).toMatch(/^1001 +iamport +customer_uid=nobody_999 +not_found/m)
    expect(stdout).not.toContain('nobody_1000 ')
  })
})
