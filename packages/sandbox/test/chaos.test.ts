// The chaos proof of issue 17: thousands of iamport charges through @billingkey/iamport against
// the in-process sandbox, with faults at every point of a charge, then checked against the
// sandbox's ledger. Faults are drawn from the sandbox seed; the charges' own choices from SEED.
import {
  AuthenticationError,
  createIamportClient,
  type IamportClientOptions,
  RateLimitError,
} from '@billingkey/iamport'
import { expect, it } from 'vitest'
import {
  createSandbox,
  type FaultRule,
  IAMPORT_TEST_AMOUNTS,
  type LedgerEntry,
  type LedgerStatus,
  sampleRefs,
} from '../src/index'
import { deriveRandom, int, pick } from '../src/random'

const SEED = 17
const CHARGES = 2_000
const WORKERS = 64
/** The caller gives up on a charge after this long: its own deadline. */
const CUTOFF_MS = 200
/** Every this many charges the sandbox clock jumps past the token's life: the next calls get 401. */
const TOKEN_EXPIRY_EVERY = 250

const charge = 'chargeBillingKey'
const FAULTS: FaultRule[] = [
  // Before sending: nothing reaches the provider.
  { provider: 'iamport', operationId: charge, kind: 'reset', rate: 0.05 },
  { provider: 'iamport', operationId: charge, kind: 'rate-limit', retryAfter: 0, rate: 0.05 },
  { provider: 'iamport', operationId: charge, kind: 'server-error', status: 503, rate: 0.05 },
  // After the commit: the answer is lost, withheld, or late.
  { provider: 'iamport', operationId: charge, kind: 'commit-then-reset', rate: 0.08 },
  { provider: 'iamport', operationId: charge, kind: 'commit-then-silent', rate: 0.05 },
  { provider: 'iamport', operationId: charge, kind: 'slow-commit', ms: 40, rate: 0.08 },
  // Slower than the caller waits: the truth is not known by the deadline.
  { provider: 'iamport', operationId: charge, kind: 'slow-commit', ms: 1_000, rate: 0.02 },
  // The lookups that settle an unknown outcome fail too.
  { provider: 'iamport', operationId: 'findPayment', kind: 'server-error', rate: 0.04 },
  { provider: 'iamport', operationId: 'findPaymentByStatus', kind: 'reset', rate: 0.03 },
  {
    provider: 'iamport',
    operationId: 'findPaymentByStatus',
    kind: 'rate-limit',
    retryAfter: 0,
    rate: 0.03,
  },
]

/** A charge's outcome as the client reported it (or what it threw), and the ledger at that moment. */
interface Reported {
  kind: 'paid' | 'declined' | 'unknown' | 'error'
  error?: unknown
  amount: number
  ledgerThen: LedgerStatus[]
}

it(`runs ${CHARGES} iamport charges through faults at every point: no double charge, no disagreement with the ledger`, async () => {
  const sandbox = createSandbox({ seed: SEED, faults: FAULTS, validateResponses: true })
  // What the client was told about each order (the payment statuses in the answers it received),
  // observed at the edge: an unknown outcome is allowed only if no answer told it the truth.
  const told = new Map<string, string[]>()
  const observed: typeof fetch = async (input, init) => {
    const response = await sandbox.fetch(input, init)
    if (response.ok) {
      const body = await response.clone().json()
      const payment = body?.response
      if (payment?.merchant_uid && payment.status) {
        told.set(payment.merchant_uid, [...(told.get(payment.merchant_uid) ?? []), payment.status])
      }
    }
    return response
  }
  const options: IamportClientOptions & { retry: object } = {
    ...sandbox.credentials.iamport,
    baseUrl: sandbox.iamport.baseUrl,
    fetch: observed,
    // Lookups retry fast; the charge is never retried by the transport (a POST).
    retry: { baseDelayMs: 1, maxDelayMs: 4 },
  }
  const client = createIamportClient(options)
  const customers = sampleRefs({ seed: SEED, counts: { iamport: { active: 20 } } }).map(
    (s) => (s.ref as { customerUid: string }).customerUid,
  )
  const random = deriveRandom(SEED, 'chaos')
  const declining = Object.keys(IAMPORT_TEST_AMOUNTS).map(Number)
  const plan = Array.from({ length: CHARGES }, (_, i) => {
    const draw = random()
    return {
      merchantUid: `chaos_${SEED}_${i}`,
      customerUid: draw < 0.02 ? `chaos_nobody_${i}` : pick(random, customers),
      amount: draw >= 0.02 && draw < 0.14 ? pick(random, declining) : int(random, 10, 990) * 100,
    }
  })
  const statusesOf = (merchantUid: string) =>
    sandbox.ledger
      .entries()
      .filter((e) => e.orderId === merchantUid)
      .map((e) => sandbox.ledger.statusOf(e))

  const reported = new Map<string, Reported>()
  let retriedAfterRefusal = 0
  let next = 0
  async function worker() {
    while (next < plan.length) {
      const index = next++
      const order = plan[index] as (typeof plan)[number]
      if (index > 0 && index % TOKEN_EXPIRY_EVERY === 0) await sandbox.advanceClock(31 * 60_000)
      // iamport provably did nothing on a 401 or 429: the caller retries with the same order key.
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await client.chargeBillingKey(
            order.customerUid,
            { merchantUid: order.merchantUid, amount: order.amount, name: 'chaos plan' },
            { signal: AbortSignal.timeout(CUTOFF_MS), deadlineMs: CUTOFF_MS, pollIntervalMs: 10 },
          )
          reported.set(order.merchantUid, {
            kind: result.outcome,
            amount: order.amount,
            ledgerThen: statusesOf(order.merchantUid),
          })
        } catch (error) {
          const notProcessed =
            error instanceof RateLimitError || error instanceof AuthenticationError
          if (notProcessed && attempt < 5) {
            retriedAfterRefusal++
            continue
          }
          reported.set(order.merchantUid, {
            kind: 'error',
            error,
            amount: order.amount,
            ledgerThen: statusesOf(order.merchantUid),
          })
        }
        break
      }
    }
  }
  await Promise.all(Array.from({ length: WORKERS }, worker))

  // Let every slow commit settle, then ask the provider what became of the unknown ones.
  sandbox.setFaults([])
  await sandbox.advanceClock(60_000)
  const ledger = new Map<string, LedgerEntry[]>()
  for (const entry of sandbox.ledger.entries()) {
    ledger.set(entry.orderId, [...(ledger.get(entry.orderId) ?? []), entry])
  }
  const paidOf = (merchantUid: string) =>
    (ledger.get(merchantUid) ?? []).filter((e) => sandbox.ledger.statusOf(e) === 'paid')

  const disagreements: string[] = []
  let unknown = 0
  let stillReady = 0
  let lost = 0
  for (const [merchantUid, report] of reported) {
    const paid = paidOf(merchantUid)
    const wrong = (why: string) => disagreements.push(`${merchantUid}: ${why}`)
    if (report.kind === 'paid') {
      if (paid.length !== 1 || paid[0]?.amount !== report.amount) wrong('reported paid')
    } else if (report.kind === 'declined') {
      if (paid.length > 0) wrong('reported declined, but the ledger has it paid')
    } else if (report.kind === 'unknown') {
      unknown++
      // Allowed only where the truth did not reach the client within its deadline: every answer
      // it got showed the payment still ready, or none came (lost, failed, or not yet sent).
      const answers = told.get(merchantUid) ?? []
      if (answers.some((s) => s !== 'ready')) wrong(`unknown, though iamport told it ${answers}`)
      if (report.ledgerThen.includes('ready')) stillReady++
      else if (report.ledgerThen.length === 0) lost++
      // Afterwards, the lookup reports the truth.
      const found = await client.findPayment(merchantUid)
      const truth = ledger.get(merchantUid)?.at(-1)
      if ((found?.status ?? null) !== (truth ? sandbox.ledger.statusOf(truth) : null)) {
        wrong(
          `findPayment says ${found?.status}, the ledger ${truth && sandbox.ledger.statusOf(truth)}`,
        )
      }
    } else {
      wrong(`threw ${(report.error as Error).name}: ${(report.error as Error).message}`)
    }
    // A paid payment the client never reported as paid would be a charge the caller cannot see.
    if (paid.length > 0 && report.kind !== 'paid' && report.kind !== 'unknown') {
      wrong('the ledger has it paid, the client did not say so')
    }
  }

  const audit = sandbox.ledger.audit()
  const stats = sandbox.stats()
  console.log(
    `chaos: iamport: ${reported.size} charges, ${audit.doubleCharges.length} double charges, ` +
      `${disagreements.length} disagreements, ${unknown} unknown outcomes ` +
      `(${lost} never reached iamport, ${stillReady} still ready when the caller gave up, ` +
      `${unknown - lost - stillReady} settled after the caller's last answer; ${audit.paid} paid; faults ${JSON.stringify(stats.faults)}; ` +
      `${stats.statuses['401'] ?? 0} answers 401; ${retriedAfterRefusal} retries after 401/429)`,
  )
  expect(reported.size).toBe(CHARGES)
  expect(audit.doubleCharges).toEqual([])
  expect(disagreements).toEqual([])
  // Every fault kind struck, and the token expired under the client more than once.
  for (const rule of FAULTS) expect(stats.faults[rule.kind]).toBeGreaterThan(0)
  expect(stats.statuses['401']).toBeGreaterThan(0)
  expect(sandbox.violations).toEqual([])
}, 60_000)
