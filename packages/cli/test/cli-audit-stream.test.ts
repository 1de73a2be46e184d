import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { type Sandbox, sampleRefs, startSandbox } from '@billingkey/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve) => out.end(() => resolve()))
}

/**
 * Runs the bin to the end in a child that reports its peak resident memory (ru_maxrss, kB) and
 * its peak live heap (heapUsed right after a full GC, sampled every 100 ms) on exit.
 */
function peakMemory(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stderr: string; rss: number; heap: number }> {
  const probe = join(cwd, 'probe.mjs')
  writeFileSync(
    probe,
    `let heap = 0
const sample = () => {
  globalThis.gc()
  heap = Math.max(heap, process.memoryUsage().heapUsed)
}
setInterval(sample, 100).unref()
process.on('exit', () => {
  sample()
  process.stderr.write(\`memory rss=\${process.resourceUsage().maxRSS} heap=\${heap}\\n\`)
})
`,
  )
  const child = spawn(process.execPath, ['--expose-gc', '--import', probe, bin, ...args], {
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
    child.on('close', (code) => {
      const [, rss, heap] = /memory rss=(\d+) heap=(\d+)/.exec(stderr) ?? []
      resolve({ code, stderr, rss: Number(rss), heap: Number(heap) })
    })
  })
}

describe('streaming: memory stays flat however long the file is', () => {
  it('peak RSS and live heap at 200,000 rows are within 1.5x of those at 20,000', async () => {
    const dir = scratch()
    await generate(join(dir, 'small.csv'), 20_000)
    await generate(join(dir, 'large.csv'), 200_000)
    // json: the report that holds the most (every key that needs action, here nearly all)
    const peaks: Record<string, { rss: number; heap: number }> = {}
    for (const [name, rows] of [
      ['small', 20_000],
      ['large', 200_000],
    ] as const) {
      sandbox.resetStats()
      const run = await peakMemory(['audit', `${name}.csv`, '--out', `${name}.json`], dir)
      expect(run.code, run.stderr.slice(-2000)).toBe(2) // the malformed rows
      expect(run.rss).toBeGreaterThan(0)
      expect(run.heap).toBeGreaterThan(0)
      peaks[name] = { rss: run.rss, heap: run.heap }
      const invalid = rows / 1000
      // windows keep iamport's multi lookups full: at least 100 uids a request on average
      expect(sandbox.stats().operations.iamport.getBillingKeys).toBeLessThanOrEqual(
        Math.ceil((rows - invalid) / 100),
      )
      const report = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'))
      expect(report.total).toBe(rows - invalid)
      expect(report.counts.notFound).toBe(rows - invalid)
      expect(report.needsAction).toHaveLength(rows - invalid)
      expect(report.needsAction[rows - invalid - 1].lines).toEqual([rows])
      expect(report.invalidRows).toHaveLength(invalid)
      expect(report.invalidRows[invalid - 1].line).toBe(rows + 1)
    }
    const { small, large } = peaks as Record<'small' | 'large', { rss: number; heap: number }>
    const seen = JSON.stringify(peaks)
    expect(large.heap, seen).toBeLessThanOrEqual(1.5 * small.heap)
    expect(large.rss, seen).toBeLessThanOrEqual(1.5 * small.rss)
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
    expect(rows[1]?.message).toBe(
      'unknown provider "paypal" (expected iamport, bootpay or portone)',
    )
  })

  it('csv rows are written as they settle, before the run ends', async () => {
    // Every request takes 300 ms and one runs at a time: a window is 200 rows (2 requests).
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
    const [sample] = sampleRefs().filter(
      (sample) => sample.ref.provider === 'bootpay' && sample.category === 'active',
    )
    const ref = sample?.ref as { receiptId?: string; billingKey?: string }
    const line = `bootpay,,${ref.receiptId ?? ''},${ref.billingKey ?? ''}\n`
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

/** A proxy in front of `target` that records the ids every lookup asks for, then forwards it. */
async function recordingProxy(target: Sandbox) {
  const ids: string[] = []
  const upstream = new URL(target.url)
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://proxy')
    ids.push(...url.searchParams.getAll('customer_uid[]'))
    const bootpay = /^\/bootpay\/v2\/(?:subscribe\/)?billing_key\/([^/]+)$/.exec(url.pathname)
    if (bootpay?.[1]) ids.push(decodeURIComponent(bootpay[1]))
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(response)
      },
    )
    forward.on('error', () => response.destroy())
    request.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    ids,
    env: {
      ...sandboxEnv(target),
      IAMPORT_BASE_URL: `${base}/iamport`,
      BOOTPAY_BASE_URL: `${base}/bootpay`,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const idOf = (ref: Record<string, string> | undefined) =>
  Object.entries(ref ?? {}).find(([name]) => name !== 'provider')?.[1] as string

describe('--resume', () => {
  it('an interrupted audit goes on without looking up a settled ref again; the report is whole', async () => {
    // A few keys of every kind spread among unknown iamport uids, and two malformed rows.
    const samples = sampleRefs({
      counts: {
        iamport: { active: 10, deleted: 2, unknown: 2 },
        bootpay: { active: 10, expiring: 2, expired: 2, deleted: 2, unknown: 2, notBilling: 1 },
      },
    }).map(({ ref }) => ref as Record<string, string>)
    const lines = Array.from({ length: 1000 }, (_, i) => `iamport,nobody_${i},,\n`)
    samples.forEach((ref, i) => {
      const cells = [ref.customerUid ?? '', ref.receiptId ?? '', ref.billingKey ?? '']
      lines.splice(i * 30, 0, `${ref.provider},${cells.join(',')}\n`)
    })
    lines.splice(150, 0, 'paypal,x,,\n')
    lines.splice(700, 0, 'iamport,,,\n')
    const dir = scratch({
      'keys.csv': `provider,customer_uid,receipt_id,billing_key\n${lines.join('')}`,
    })
    const rows = lines.length - 2

    // Each request takes 100 ms, one at a time: a window (200 rows) settles about every second.
    const slow = await startSandbox({ faults: [{ kind: 'latency', ms: 100 }] })
    const proxy = await recordingProxy(slow)
    try {
      const args = ['audit', 'keys.csv', '--concurrency', '1', '--resume', 'state.jsonl']
      const first = start([...args, '--out', 'first.jsonl'], { env: proxy.env, cwd: dir })
      const settledLines = () =>
        readFileSync(join(dir, 'state.jsonl'), 'utf8').split('\n').length - 2
      await until(() => existsSync(join(dir, 'state.jsonl')) && settledLines() >= 400)
      first.child.kill('SIGINT')
      const stopped = await first.done
      expect(stopped.code).toBe(130)
      const settled = readJsonl(join(dir, 'state.jsonl')).slice(1)
      expect(settled.length).toBeGreaterThanOrEqual(400)
      expect(settled.length).toBeLessThan(rows)
      const settledIds = new Set(settled.map((row) => idOf(row.ref)))

      proxy.ids.length = 0
      slow.resetStats()
      const resumed = await cli([...args, '--out', 'resumed.jsonl'], { env: proxy.env, cwd: dir })
      expect(resumed.code).toBe(2) // the malformed rows, named again
      expect(resumed.stderr).toContain('keys.csv line 152: unknown provider "paypal"')
      expect(resumed.stderr).toContain('keys.csv line 702: iamport needs a customer_uid')
      expect(resumed.stderr).toContain(`audited ${rows} keys in `)
      expect(proxy.ids.filter((id) => settledIds.has(id))).toEqual([])
      // the resumed run did look the rest up, iamport's in multi lookups
      expect(slow.stats().operations.iamport.getBillingKeys).toBeGreaterThan(0)
      const notSettled = readJsonl(join(dir, 'resumed.jsonl')).filter(
        (row) => row.ref && !settledIds.has(idOf(row.ref)),
      )
      expect(new Set(proxy.ids)).toEqual(new Set(notSettled.map((row) => idOf(row.ref))))

      // The same audit in one go gives the same report.
      slow.setFaults([])
      const whole = await cli(['audit', 'keys.csv', '--out', 'whole.jsonl'], {
        env: proxy.env,
        cwd: dir,
      })
      expect(whole.code).toBe(2)
      const resumedRows = readJsonl(join(dir, 'resumed.jsonl'))
      expect(resumedRows).toHaveLength(rows + 2)
      expect(resumedRows).toEqual(readJsonl(join(dir, 'whole.jsonl')))

      // Once the state is complete, running it again looks nothing up and reports the same.
      proxy.ids.length = 0
      const again = await cli([...args, '--out', 'again.jsonl'], { env: proxy.env, cwd: dir })
      expect(again.code).toBe(2)
      expect(proxy.ids).toEqual([])
      expect(readFileSync(join(dir, 'again.jsonl'), 'utf8')).toBe(
        readFileSync(join(dir, 'resumed.jsonl'), 'utf8'),
      )
    } finally {
      await proxy.close()
      await slow.close()
    }
  }, 120_000)

  it('a state file of another input, or of a file that changed, is exit 2 before any lookup', async () => {
    const dir = scratch({
      'a.csv': 'provider,customer_uid\niamport,nobody_1\niamport,nobody_2\n',
      'b.csv': 'provider,customer_uid\niamport,nobody_1\n',
    })
    const first = await cli(['audit', 'a.csv', '--resume', 'a.state'], { env, cwd: dir })
    expect(first.code).toBe(1)
    const other = await cli(['audit', 'b.csv', '--resume', 'a.state'], { env, cwd: dir })
    expect(other.code).toBe(2)
    expect(other.stderr).toMatch(/a\.state is the state of an audit of .*a\.csv, not of b\.csv/)
    writeFileSync(join(dir, 'a.csv'), 'provider,customer_uid\niamport,nobody_9\n')
    const changed = await cli(['audit', 'a.csv', '--resume', 'a.state'], { env, cwd: dir })
    expect(changed.code).toBe(2)
    expect(changed.stderr).toContain('a.state does not match a.csv at line 2')
  })
})

/** Resolves once `condition()` holds (checked every 20 ms). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20))
}

describe('--compare', () => {
  it('prints what changed since a previous jsonl, csv or json report', async () => {
    const own = await startSandbox()
    try {
      const refs = sampleRefs({
        counts: {
          iamport: { active: 6, deleted: 1, unknown: 1 },
          bootpay: { active: 6, expiring: 1, expired: 1, deleted: 1, unknown: 1, notBilling: 0 },
        },
      }).map(({ ref }) => ref as Record<string, string>)
      const row = (ref: Record<string, string>) =>
        `${ref.provider},${ref.customerUid ?? ''},${ref.receiptId ?? ''},${ref.billingKey ?? ''}\n`
      const header = 'provider,customer_uid,receipt_id,billing_key\n'
      const [goneRef, ...kept] = refs
      const dir = scratch({
        'may.csv': header + refs.map(row).join(''),
        'june.csv': `${header + kept.map(row).join('')}iamport,brand_new_1,,\n`,
      })
      // May: only iamport is configured, so every Bootpay lookup is an error.
      const full = sandboxEnv(own)
      const iamportOnly = {
        IAMPORT_API_KEY: full.IAMPORT_API_KEY,
        IAMPORT_API_SECRET: full.IAMPORT_API_SECRET,
        IAMPORT_BASE_URL: full.IAMPORT_BASE_URL,
      } as Record<string, string>
      for (const out of ['may.jsonl', 'may.csv.csv', 'may.json']) {
        const may = await cli(['audit', 'may.csv', '--out', out], { env: iamportOnly, cwd: dir })
        expect(may.code).toBe(1)
      }
      // June: an active iamport key was deleted in between, and both providers are configured.
      const deleted = kept.find((ref) => ref.provider === 'iamport') as Record<string, string>
      const { createIamportClient } = await import('@billingkey/iamport')
      await createIamportClient({
        ...own.credentials.iamport,
        baseUrl: own.iamport.baseUrl,
      }).deleteBillingKey(deleted.customerUid as string)

      const june = await cli(
        ['audit', 'june.csv', '--out', 'june.jsonl', '--compare', 'may.jsonl'],
        {
          env: full,
          cwd: dir,
        },
      )
      expect(june.code).toBe(1)
      const now = readJsonl(join(dir, 'june.jsonl'))
      const recovered = now.filter(
        (r) => r.ref?.provider === 'bootpay' && ['active', 'expiring'].includes(r.status),
      )
      expect(recovered.length).toBeGreaterThan(0)
      const text = june.stdout
      expect(text).toMatch(/^Changes since may\.jsonl: .*recovered, 1 new key, 1 gone key\n/)
      expect(text).toContain(`recovered (chargeable again): ${recovered.length} keys\n`)
      expect(text).toContain('newly deleted (or unknown to the provider): 1 key\n')
      expect(text).toMatch(
        new RegExp(
          `^ +\\d+ +iamport +customer_uid=${deleted.customerUid} +active +(deleted|not_found)$`,
          'm',
        ),
      )
      expect(text).toContain('new keys (not in the previous report): 1 key\n')
      expect(text).toMatch(/^ +\d+ +iamport +customer_uid=brand_new_1 +- +not_found$/m)
      expect(text).toContain('gone keys (in the previous report, not in this file): 1 key\n')
      expect(text).toContain(`=${idOf(goneRef)} `)

      // Against the csv report: the same changes, on stderr beside a json report on stdout.
      const fromCsv = await cli(
        ['audit', 'june.csv', '--format', 'json', '--compare', 'may.csv.csv'],
        { env: full, cwd: dir },
      )
      expect(JSON.parse(fromCsv.stdout).total).toBe(kept.length + 1)
      expect(fromCsv.stderr.slice(fromCsv.stderr.indexOf('Changes since'))).toBe(
        text.replace('may.jsonl', 'may.csv.csv'),
      )

      // Against a json report, which lists only the keys that needed action, a key it does not
      // list was active then: there are no new keys.
      const fromJson = await cli(['audit', 'june.csv', '--compare', 'may.json'], {
        env: full,
        cwd: dir,
      })
      expect(fromJson.stdout).toContain(`recovered (chargeable again): ${recovered.length} keys\n`)
      expect(fromJson.stdout).toMatch(
        new RegExp(
          `^ +\\d+ +iamport +customer_uid=${deleted.customerUid} +active +(deleted|not_found)$`,
          'm',
        ),
      )
      expect(fromJson.stdout).not.toContain('new keys')
    } finally {
      await own.close()
    }
  })

  it('a file that is not an audit report is exit 2 before any lookup', async () => {
    const dir = scratch({
      'keys.csv': 'provider,customer_uid\niamport,nobody_1\n',
      'old.csv': 'just,some,columns\n1,2,3\n',
    })
    const { code, stderr } = await cli(['audit', 'keys.csv', '--compare', 'old.csv'], {
      env,
      cwd: dir,
    })
    expect(code).toBe(2)
    expect(stderr).toContain('--compare old.csv is not an audit report: it has no status column')
    expect(stderr).not.toContain('audited')
  })
})
