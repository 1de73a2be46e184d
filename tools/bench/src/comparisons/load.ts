import { DEMO_CREDENTIALS, type RefCategory, sampleRefs } from '@billingkey/sandbox'
import { num, type Section, table, verdict } from '../report'
import { settings } from '../settings'
import { startServer } from '../spawn'
import { quantile } from '../stats'
import { BULK_COUNTS } from './bulk'

const CONCURRENCY = 256
const SECONDS = settings.BILLINGKEY_BENCH_LOAD_SECONDS
/** The first part of the run, after which memory should stay flat. */
const WARMUP_SECONDS = Math.min(5, SECONDS / 3)
/** Allowed growth of resident memory from the end of the warm-up to the end of the run. */
const TOLERANCE = 0.1
const MB = 2 ** 20
/** The categories the sandbox finds (see RefCategory); the others are not found. */
const FOUND: ReadonlySet<RefCategory> = new Set(['active', 'expiring', 'expired'])

interface Lookup {
  url: string
  headers: Record<string, string>
  /** The status the sandbox must answer for this ref; anything else is an error. */
  expected: number
}

/** Every ref of the bulk comparison as a raw GET, with the status its category must get. */
async function lookups(base: string): Promise<Lookup[]> {
  const post = async (path: string, body: object) =>
    (
      await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()
  const { iamport, bootpay } = DEMO_CREDENTIALS
  const iamportToken = (
    await post('/iamport/users/getToken', {
      imp_key: iamport.apiKey,
      imp_secret: iamport.apiSecret,
    })
  ).response.access_token
  const bootpayToken = (
    await post('/bootpay/v2/request/token', {
      application_id: bootpay.applicationId,
      private_key: bootpay.privateKey,
    })
  ).access_token
  const bearer = (token: string) => ({
    accept: 'application/json',
    authorization: `Bearer ${token}`,
  })
  return sampleRefs({ counts: BULK_COUNTS }).map(({ category, ref }) => {
    const found = FOUND.has(category)
    if ('customerUid' in ref) {
      return {
        url: `${base}/iamport/subscribe/customers/${encodeURIComponent(ref.customerUid)}`,
        headers: bearer(iamportToken),
        expected: found ? 200 : 404,
      }
    }
    const path =
      'receiptId' in ref
        ? `/v2/subscribe/billing_key/${ref.receiptId}`
        : `/v2/billing_key/${ref.billingKey}`
    return {
      url: `${base}/bootpay${path}`,
      headers: bearer(bootpayToken),
      expected: found ? 200 : 400,
    }
  })
}

export async function load(): Promise<Section> {
  const sandbox = await startServer('sandbox')
  let report: {
    refs: number
    served: number
    sent: number
    errors: Map<string, number>
    latencies: number[]
    memory: { start: NodeJS.MemoryUsage; warm: NodeJS.MemoryUsage; end: NodeJS.MemoryUsage }
  }
  try {
    const list = await lookups(sandbox.url)
    const start = await sandbox.memory()
    await sandbox.resetStats()
    const errors = new Map<string, number>()
    const latencies: number[] = []
    const began = performance.now()
    const ends = began + SECONDS * 1000
    const warmEnds = began + WARMUP_SECONDS * 1000
    let next = 0
    let sent = 0
    let warm: Promise<NodeJS.MemoryUsage> | undefined
    const worker = async () => {
      while (performance.now() < ends) {
        const { url, headers, expected } = list[next++ % list.length] as Lookup
        const t = performance.now()
        sent++
        let outcome: string
        try {
          const response = await fetch(url, { headers, signal: AbortSignal.timeout(10_000) })
          await response.arrayBuffer()
          outcome = response.status === expected ? '' : `HTTP ${response.status}`
        } catch (error) {
          outcome = (error as Error).name
        }
        if (outcome) errors.set(outcome, (errors.get(outcome) ?? 0) + 1)
        if (t >= warmEnds) {
          latencies.push(performance.now() - t)
          warm ??= sandbox.memory()
        }
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const served = (await sandbox.stats()).requests
    report = {
      refs: list.length,
      served,
      sent,
      errors,
      latencies,
      memory: { start, warm: await (warm ?? sandbox.memory()), end: await sandbox.memory() },
    }
  } finally {
    await sandbox.close()
  }

  const { refs, served, sent, errors, latencies, memory } = report
  const errorCount = [...errors.values()].reduce((sum, n) => sum + n, 0)
  const sorted = latencies.sort((a, b) => a - b)
  const growth = memory.end.rss / memory.warm.rss - 1
  const mb = (n: number) => `${num(n / MB, 1)} MB`
  return {
    title: `7. The sandbox under load: ${CONCURRENCY} in flight for ${num(SECONDS, 0)} s`,
    body: [
      `Raw \`fetch\` GETs (keep-alive) of the ${num(refs, 0)} refs of the bulk comparison in turn, iamport and Bootpay, found and not found, ${CONCURRENCY} in flight at once for ${num(SECONDS, 0)} s, against \`@billingkey/sandbox\` in its own process (which validates every request against the spec). An error is a request that failed (connection, 10 s timeout) or got another status than its ref must get (200 for an active or expired key; 404 from iamport and 400 from Bootpay for the others). Latencies count after the first ${num(WARMUP_SECONDS, 0)} s (the warm-up). Memory is the sandbox process’s, each time after a full garbage collection.`,
      table(
        ['', 'value', 'goal', ''],
        [
          ['requests served', `${num(served, 0)} (${num(served / SECONDS, 0)}/s)`, '', ''],
          [
            'errors',
            errorCount
              ? `${num(errorCount, 0)}: ${[...errors].map(([kind, n]) => `${kind} ×${n}`).join(', ')}`
              : '0',
            '0',
            verdict(errorCount === 0),
          ],
          ['latency p50', `${num(quantile(sorted, 0.5), 1)} ms`, '', ''],
          ['latency p99', `${num(quantile(sorted, 0.99), 1)} ms`, '', ''],
          ['latency max', `${num(sorted.at(-1) ?? 0, 1)} ms`, '', ''],
          ['resident memory at start (idle)', mb(memory.start.rss), '', ''],
          [`after the ${num(WARMUP_SECONDS, 0)} s warm-up`, mb(memory.warm.rss), '', ''],
          [
            'at the end',
            `${mb(memory.end.rss)} (${growth >= 0 ? '+' : ''}${num(growth * 100, 1)}% since the warm-up)`,
            `≤ +${TOLERANCE * 100}%`,
            verdict(growth <= TOLERANCE),
          ],
          [
            'JS heap used: start, warm, end',
            [memory.start, memory.warm, memory.end].map((m) => mb(m.heapUsed)).join(', '),
            '',
            '',
          ],
        ],
      ),
      `Requests sent by the load generator: ${num(sent, 0)}. Settings: \`BILLINGKEY_BENCH_LOAD_SECONDS=${SECONDS}\`, concurrency ${CONCURRENCY}, memory growth tolerance ${TOLERANCE * 100}% (GC timing moves the resident size by a few MB).`,
    ].join('\n\n'),
  }
}
