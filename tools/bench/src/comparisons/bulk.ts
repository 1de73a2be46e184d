import { createBootpayAdapter, createBootpayClient } from '@billingkey/bootpay'
import { createBillingKeys } from '@billingkey/client'
import { createIamportAdapter, createIamportClient } from '@billingkey/iamport'
import { DEMO_CREDENTIALS, dataSetCounts, type SampleCounts, sampleRefs } from '@billingkey/sandbox'
import { compare } from '../harness'
import { num, type Section, spread, table } from '../report'
import { settings } from '../settings'
import { startServer } from '../spawn'
import { scale, summarize } from '../stats'

/** Refs per run: half iamport, half Bootpay. */
const REFS = 10_000
const DATA_SET = dataSetCounts()
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0)
/** Refs of the data set per provider: iamport keys; Bootpay keys and receipts of ordinary payments. */
const KNOWN = { iamport: sum(DATA_SET.iamport), bootpay: sum(DATA_SET.bootpay) }

/**
 * Every key of the sandbox's data set (seed default), active or not, plus unknown ids to make
 * 10,000 refs, shuffled: what an audit of a stored key file meets. Counted from the data set, so
 * it follows the data set when that changes.
 */
export const BULK_COUNTS: SampleCounts = {
  iamport: { ...DATA_SET.iamport, unknown: REFS / 2 - KNOWN.iamport },
  bootpay: { ...DATA_SET.bootpay, unknown: REFS / 2 - KNOWN.bootpay },
}

const ROUNDS = settings.BILLINGKEY_BENCH_BULK_ROUNDS

export async function bulk(): Promise<Section> {
  // BULK_COUNTS asks for no PortOne refs, and this facade has no PortOne adapter.
  const refs = sampleRefs({ counts: BULK_COUNTS }).flatMap(({ ref }) =>
    ref.provider === 'portone' ? [] : [ref],
  )
  const sandbox = await startServer('sandbox')
  const keys = createBillingKeys({
    iamport: createIamportAdapter(
      createIamportClient({
        ...DEMO_CREDENTIALS.iamport,
        baseUrl: `${sandbox.url}/iamport`,
      }),
    ),
    bootpay: createBootpayAdapter(
      createBootpayClient({
        ...DEMO_CREDENTIALS.bootpay,
        baseUrl: `${sandbox.url}/bootpay`,
      }),
    ),
  })
  const requests: Record<string, number[]> = { lookupMany: [], loop: [] }
  /** Counts the requests the sandbox saw during `work`, tokens included. */
  const counted = (name: string, work: () => Promise<unknown>) => async () => {
    await sandbox.resetStats()
    await work()
    requests[name]?.push((await sandbox.stats()).requests)
  }
  let results: Awaited<ReturnType<typeof compare>>
  let settled = 0
  try {
    results = await compare(
      [
        {
          name: 'lookupMany',
          run: counted('lookupMany', async () => {
            settled = (await keys.lookupMany(refs)).length
          }),
        },
        {
          name: 'loop',
          run: counted('loop', async () => {
            for (const ref of refs) await keys.lookup(ref).catch(() => undefined)
          }),
        },
      ],
      { rounds: ROUNDS, warmupRounds: 0, opsPerSample: 1 },
    )
  } finally {
    await sandbox.close()
  }
  if (settled !== refs.length) throw new Error(`lookupMany settled ${settled} of ${refs.length}`)
  // compare() reports µs per operation; an operation here is the whole list.
  const seconds = (name: string) => scale(summarize(results.get(name)?.samples ?? []), 1e-6)
  const many = seconds('lookupMany')
  const loop = seconds('loop')
  const sent = (name: string) => summarize(requests[name] ?? []).median
  return {
    title: `3. Bulk lookup: ${num(REFS, 0)} refs through the facade`,
    body: [
      `${num(refs.length, 0)} refs, shuffled: every key of the sandbox’s data set (iamport ${num(KNOWN.iamport, 0)}: active and deleted; Bootpay ${num(KNOWN.bootpay, 0)}: active, expiring, expired, deleted and receipts of ordinary payments) plus unknown ids, half iamport and half Bootpay. \`keys.lookupMany(refs)\` with its defaults (8 requests in flight; iamport uids batched into multi lookups up to the URL limit; Bootpay one request per ref) against the naive loop \`for (const ref of refs) await keys.lookup(ref)\`. Requests are counted by the sandbox, token requests included.`,
      table(
        ['', 'wall time s (p25–p75 · min–max)', 'requests sent', 'refs per request'],
        [
          [
            '`lookupMany(refs)`',
            `${num(many.median, 2)} (${spread(many, 2)})`,
            num(sent('lookupMany'), 0),
            num(refs.length / sent('lookupMany'), 1),
          ],
          [
            'naive loop of `lookup(ref)`',
            `${num(loop.median, 2)} (${spread(loop, 2)})`,
            num(sent('loop'), 0),
            num(refs.length / sent('loop'), 1),
          ],
          [
            'ratio (loop ÷ lookupMany)',
            `${num(loop.median / many.median, 1)}× faster`,
            `${num(sent('loop') / sent('lookupMany'), 1)}× fewer`,
            '',
          ],
        ],
      ),
      `Settings: ${ROUNDS} rounds per variant (\`BILLINGKEY_BENCH_BULK_ROUNDS\`), interleaved, no warm-up round (each round is ${num(refs.length, 0)} lookups); the sandbox in its own process.`,
    ].join('\n\n'),
  }
}
