import { spawn } from 'node:child_process'
import { once } from 'node:events'
import {
  closeSync,
  createReadStream,
  createWriteStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import {
  DEMO_CREDENTIALS,
  dataSetCounts,
  type SampleCounts,
  type SandboxOptions,
  type SandboxStats,
  sampleRefs,
} from '@billingkey/sandbox'
import { num, type Section, table, verdict } from '../report'
import { settings } from '../settings'
import { startServer } from '../spawn'

const ROWS = settings.BILLINGKEY_BENCH_AUDIT_ROWS
const LARGE_ROWS = settings.BILLINGKEY_BENCH_AUDIT_LARGE_ROWS
/** Per provider, as iamport documents for some PGs. */
const RATE = 50
const LATENCY_MS = 50
/**
 * Requests in flight, shared by the three providers: at RATE per second and LATENCY_MS, a provider
 * that sends one request per ref keeps about 4 in flight, and Bootpay and PortOne V2 both do.
 */
const CONCURRENCY = 16
const GOALS = { floor: 1.1, tooMany: 0.01, memory: 1.5 }
const BIN = fileURLToPath(new URL('../../../packages/cli/dist/bin.js', import.meta.url))
const MB = 1024 * 1024

const DATA_SET = dataSetCounts()

/**
 * A third each for iamport, Bootpay and PortOne V2: every key of the data set (as in the bulk
 * comparison, scaled down below 10,000 rows) and unknown ids for the rest, so that every row is a
 * distinct ref to look up.
 */
export function countsFor(rows: number): SampleCounts {
  const scale = Math.min(1, rows / 10_000)
  const known = (counts: Record<string, number | undefined>) =>
    Object.fromEntries(
      Object.entries(counts)
        .filter(([category]) => category !== 'unknown')
        .map(([category, n]) => [category, Math.floor((n ?? 0) * scale)]),
    )
  const fill = (counts: Record<string, number>, half: number) => ({
    ...counts,
    unknown: half - Object.values(counts).reduce((sum, n) => sum + n, 0),
  })
  const third = Math.floor(rows / 3)
  return {
    iamport: fill(known(DATA_SET.iamport), third),
    bootpay: fill(known(DATA_SET.bootpay), third),
    portone: fill(known(DATA_SET.portone), rows - 2 * third),
  }
}

/** The refs as the CSV a merchant exports, shuffled. */
async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file)
  out.write('provider,customer_uid,receipt_id,billing_key\n')
  let chunk = ''
  for (const { ref } of sampleRefs({ counts: countsFor(rows) })) {
    chunk +=
      'customerUid' in ref
        ? `iamport,${ref.customerUid},,\n`
        : 'receiptId' in ref
          ? `bootpay,,${ref.receiptId},\n`
          : `${ref.provider},,,${ref.billingKey}\n`
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
}

interface Run {
  rows: number
  seconds: number
  /** Peak resident memory of the CLI process, bytes. */
  peakRss: number
  stats: SandboxStats
  /** Report rows by status. */
  statuses: Map<string, number>
  exitCode: number | null
}

/**
 * `billingkey audit <file> --format jsonl > report.jsonl` against a sandbox in its own process,
 * pointed at it by the environment, as a user runs it. Peak memory is the CLI process's own
 * maxRSS (getrusage), written by a preloaded hook as it exits.
 */
async function audit(
  dir: string,
  rows: number,
  sandboxOptions: Pick<SandboxOptions, 'limits' | 'latency'>,
  cliArgs: string[],
): Promise<Run> {
  const input = join(dir, `keys-${rows}.csv`)
  await writeCsv(input, rows)
  const hook = join(dir, 'peak-rss.cjs')
  const rssFile = join(dir, 'peak-rss')
  const report = join(dir, 'report.jsonl')
  const sandbox = await startServer('sandbox', sandboxOptions)
  try {
    const { iamport, bootpay, portone } = DEMO_CREDENTIALS
    const env = {
      PATH: process.env.PATH ?? '',
      IAMPORT_API_KEY: iamport.apiKey,
      IAMPORT_API_SECRET: iamport.apiSecret,
      IAMPORT_BASE_URL: `${sandbox.url}/iamport`,
      BOOTPAY_APPLICATION_ID: bootpay.applicationId,
      BOOTPAY_PRIVATE_KEY: bootpay.privateKey,
      BOOTPAY_BASE_URL: `${sandbox.url}/bootpay`,
      PORTONE_API_SECRET: portone.apiSecret,
      PORTONE_STORE_ID: portone.storeId,
      PORTONE_BASE_URL: `${sandbox.url}/portone`,
      BILLINGKEY_BENCH_RSS_FILE: rssFile,
    }
    const writeHook = `process.on('exit', () => require('node:fs').writeFileSync(process.env.BILLINGKEY_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)))\n`
    writeFileSync(hook, writeHook)
    const stdout = openSync(report, 'w')
    const started = performance.now()
    const child = spawn(
      process.execPath,
      ['--require', hook, BIN, 'audit', input, '--format', 'jsonl', ...cliArgs],
      { env, stdio: ['ignore', stdout, 'pipe'] },
    )
    closeSync(stdout)
    let stderr = ''
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      if (stderr.length > 1 << 16) stderr = stderr.slice(-(1 << 15))
    })
    const [exitCode] = (await once(child, 'close')) as [number | null]
    const seconds = (performance.now() - started) / 1000
    if (exitCode !== 0 && exitCode !== 1) {
      throw new Error(`billingkey audit exited with ${exitCode}:\n${stderr.slice(-2000)}`)
    }
    const statuses = new Map<string, number>()
    for await (const line of createInterface({ input: createReadStream(report) })) {
      const { status } = JSON.parse(line) as { status: string }
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
    }
    return {
      rows,
      seconds,
      peakRss: Number(readFileSync(rssFile, 'utf8')),
      stats: await sandbox.stats(),
      statuses,
      exitCode,
    }
  } finally {
    await sandbox.close()
    rmSync(input, { force: true })
    rmSync(report, { force: true })
  }
}

/** Requests the sandbox served per provider (429s not included: they come before the operation). */
const served = (stats: SandboxStats, provider: keyof SandboxStats['operations']) =>
  Object.values(stats.operations[provider]).reduce((sum, n) => sum + n, 0)

export async function scaleAudit(): Promise<Section> {
  const dir = mkdtempSync(join(tmpdir(), 'billingkey-bench-audit-'))
  try {
    const limits = { requestsPerSecond: RATE }
    const limited = await audit(
      dir,
      ROWS,
      {
        limits: { iamport: limits, bootpay: limits, portone: limits },
        latency: { medianMs: LATENCY_MS },
      },
      ['--rate', String(RATE), '--concurrency', String(CONCURRENCY)],
    )
    const small = await audit(dir, ROWS, {}, [])
    const large = await audit(dir, LARGE_ROWS, {}, [])

    const needed = {
      iamport: served(limited.stats, 'iamport'),
      bootpay: served(limited.stats, 'bootpay'),
      portone: served(limited.stats, 'portone'),
    }
    // Each provider's budget is its own: the floor is the provider that needs the longest.
    const floor = Math.max(...Object.values(needed)) / RATE
    const tooMany = Object.values(limited.stats.rateLimited).reduce((sum, n) => sum + (n ?? 0), 0)
    const tooManyShare = tooMany / limited.stats.requests
    const errors = limited.statuses.get('error') ?? 0
    const growth = large.peakRss / small.peakRss
    const mb = (bytes: number) => `${num(bytes / MB, 0)} MB`
    return {
      title: '9. Audit at provider scale: the CLI against a rate-limited sandbox',
      body: [
        `\`billingkey audit keys.csv --format jsonl --rate ${RATE} --concurrency ${CONCURRENCY} > report.jsonl\` (the built CLI, as a user runs it) over ${num(ROWS, 0)} distinct refs, a third each iamport, Bootpay and PortOne V2 (every key of the sandbox’s data set, the rest unknown ids), shuffled. The sandbox runs in its own process with a limit of ${RATE} requests per second per provider (a token bucket of one second’s worth; over it, 429 with Retry-After) and a latency drawn per request around a median of ${LATENCY_MS} ms (95 % under ${3 * LATENCY_MS} ms); the CLI finds it through \`IAMPORT_BASE_URL\`, \`BOOTPAY_BASE_URL\` and \`PORTONE_BASE_URL\`. The floor is what the limit allows at best: the requests the sandbox served for the provider that needs the most, ÷ ${RATE} per second (iamport uids go ~100 to a multi lookup; Bootpay and PortOne V2 are one request per ref).`,
        table(
          ['', 'value', 'goal', ''],
          [
            [
              'wall time',
              `${num(limited.seconds, 0)} s = ${num(limited.seconds / floor, 2)}× the floor of ${num(floor, 0)} s (iamport ${num(needed.iamport, 0)}, Bootpay ${num(needed.bootpay, 0)}, PortOne V2 ${num(needed.portone, 0)} requests served)`,
              `≤ ${GOALS.floor}× the floor`,
              verdict(limited.seconds <= GOALS.floor * floor),
            ],
            [
              '429s drawn',
              `${num(tooMany, 0)} of ${num(limited.stats.requests, 0)} requests (${num(tooManyShare * 100, 2)} %)`,
              `≤ ${GOALS.tooMany * 100} %`,
              verdict(tooManyShare <= GOALS.tooMany),
            ],
            ['keys ending in error', num(errors, 0), '0', verdict(errors === 0)],
            [
              'peak resident memory of the CLI',
              `${mb(limited.peakRss)} at ${num(ROWS, 0)} rows (this run)`,
              '',
              '',
            ],
          ],
        ),
        `Memory at scale: the same audit without limit or latency (no \`--rate\`), so that ${num(LARGE_ROWS, 0)} rows finish in minutes; the peak is the CLI process’s own maximum resident set (getrusage, read as it exits).`,
        table(
          ['rows', 'wall time', 'requests', 'peak resident memory', 'goal', ''],
          [
            [
              num(small.rows, 0),
              `${num(small.seconds, 0)} s`,
              num(small.stats.requests, 0),
              mb(small.peakRss),
              '',
              '',
            ],
            [
              num(large.rows, 0),
              `${num(large.seconds, 0)} s`,
              num(large.stats.requests, 0),
              `${mb(large.peakRss)} (${num(growth, 2)}×)`,
              `≤ ${GOALS.memory}× the peak at ${num(small.rows, 0)}`,
              verdict(growth <= GOALS.memory),
            ],
          ],
        ),
        `Settings: \`BILLINGKEY_BENCH_AUDIT_ROWS=${ROWS}\`, \`BILLINGKEY_BENCH_AUDIT_LARGE_ROWS=${LARGE_ROWS}\`; the rate-limited run with \`--concurrency ${CONCURRENCY}\` (the providers are looked up at once and share it: at ${RATE} requests per second and a ${LATENCY_MS} ms median latency, Bootpay and PortOne V2 each keep about 4 requests in flight, which the default 8 leaves no margin for), the others with the CLI’s default (8).`,
      ].join('\n\n'),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
