// The chaos proof of safe charging: thousands of charges through a provider's client against the
// in-process sandbox, with faults at every point of a charge, then checked against the sandbox's
// ledger. One engine; a driver per target (src/drivers) says what is provider-specific. Faults are
// drawn from the sandbox seed; the charges' own choices from the same seed, on a stream of their own.
import type { ChargeOptions, ChargeResult, Payment, PaymentStatus } from '@billingkey/core'
import {
  createSandbox,
  type FaultKind,
  type FaultRule,
  type InProcessSandbox,
  type LedgerEntry,
  type LedgerStatus,
  type ResponseViolation,
} from '@billingkey/sandbox'
// The sandbox's seeded streams (internal to it, not its published API): one generator in the repo.
import { deriveRandom, int, pick } from '../../../packages/sandbox/src/random'

/** One charge of the plan: the order key is the engine's, unique per charge. */
export interface ChaosOrder {
  orderId: string
  amount: number
  name: string
}

/** What the plan charges, from the sandbox's data set of the seed. */
export interface ChaosKeys<Key> {
  /** Keys the sandbox holds and charges. */
  active: readonly Key[]
  /** A key the provider never issued, for the charge at `index` (2% of the plan). */
  unknown(index: number): Key
  /** Amounts the sandbox's issuer declines, its documented test amounts (12% of the plan). */
  declining: readonly number[]
}

/** A status an answer told the client about an order, read from a response body. */
export interface ToldStatus {
  orderId: string
  /** The provider's word, e.g. iamport `ready`. */
  status: string
  /** False while the payment is still in flight (iamport `ready`): no outcome can be read from it. */
  settled: boolean
}

/**
 * What the engine needs to know about one target. Methods (not function properties), so a driver
 * of any client and key types is a `ChaosDriver`.
 */
export interface ChaosDriver<Client = unknown, Key = unknown> {
  /** In figures and BENCHMARKS.md, e.g. `iamport`. */
  readonly name: string
  /** Faults at every point of a charge and of the lookups that settle it (by provider + operationId). */
  readonly faults: readonly FaultRule[]
  /**
   * How long an access token lives on the sandbox clock: the engine jumps past it now and then, so
   * the client meets 401s. Null for a provider without tokens (PortOne V2's API secret).
   */
  readonly tokenLifetimeMs: number | null
  /**
   * HTTP statuses of a charge answer that prove the provider processed nothing (iamport 401, 429):
   * after one, the charge may be sent again under the same order key without an idempotency key.
   */
  readonly refusals: readonly number[]
  /** A client of the sandbox that sends every request through `fetch`. */
  connect(sandbox: InProcessSandbox, fetch: typeof globalThis.fetch): Client
  keys(seed: number): ChaosKeys<Key>
  /** Charges one order: the client's result, or what it throws. */
  charge(client: Client, key: Key, order: ChaosOrder, options: ChargeOptions): Promise<ChargeResult>
  /** The payment the provider holds for an order key (the newest) charged on `key`, or null. */
  find(client: Client, key: Key, orderId: string): Promise<Payment | null>
  /**
   * The payment status an answer told the client, if it told one: its JSON body, and the request
   * and status it answered (PortOne's charge answer names no payment, and declines with a 502).
   */
  told(
    body: unknown,
    answered: { method: string; url: string; status: number },
  ): ToldStatus | undefined
  /**
   * The order key and idempotency key of a charge request; undefined for any other request. Every
   * re-send under an order key must carry the key its first request did.
   */
  chargeRequest(
    request: Request,
  ): Promise<{ orderId: string; idempotencyKey: string | null } | undefined>
  /** Errors that prove the charge was not processed: the caller may retry with the same order key. */
  notProcessed(error: unknown): boolean
}

export interface ChaosOptions {
  /** The sandbox seed (data set and faults) and the plan's. Default 17. */
  seed?: number
  /** Charges to run. Default 2,000. */
  charges?: number
  /** Charges in flight. Default 64. */
  workers?: number
  /** The caller's own deadline per charge, in ms (its abort signal and reconciling deadline). Default 200. */
  cutoffMs?: number
  /** Every this many charges the sandbox clock jumps past the token's life: the next calls get 401. Default 250. */
  tokenExpiryEvery?: number
  /** Attempts per charge while the client reports the charge provably not processed. Default 5. */
  attempts?: number
}

export interface ChaosFigures {
  driver: string
  charges: number
  /** Paid payments in the ledger at the end. */
  paid: number
  /** `provider:orderId` of every order key paid more than once: must be empty. */
  doubleCharges: string[]
  /** Every reported outcome the ledger contradicts, and every unsafe re-send: must be empty. */
  disagreements: string[]
  unknown: {
    total: number
    /** Nothing in the ledger when the caller gave up: the charge never reached the provider. */
    lost: number
    /** The payment was still `ready` (a slow commit) when the caller gave up. */
    stillReady: number
    /** Settled before the caller gave up, but its last answer never came (or was a failure). */
    settledLater: number
  }
  /** The caller's retries with the same order key after the client said "not processed" (401, 429). */
  retriedAfterRefusal: number
  /** Charge requests the client re-sent itself, made safe by an idempotency key. */
  retriedCharges: number
  /** Faults injected, by kind. */
  faults: Partial<Record<FaultKind, number>>
  /** Answers 401 the sandbox sent (expired tokens). */
  answers401: number
  /** Answers 409 the sandbox sent: a charge asked again while its first request still ran (PortOne). */
  answers409: number
  /** Responses off the provider's contract: must be empty. */
  violations: readonly ResponseViolation[]
  /** Wall time of the run. */
  seconds: number
}

/** A charge's outcome as the client reported it (or what it threw), and the ledger at that moment. */
interface Reported {
  kind: ChargeResult['outcome'] | 'error'
  error?: unknown
  /** The key charged, which the lookup afterwards may need (the facade's refs name a provider). */
  key: unknown
  amount: number
  ledgerThen: LedgerStatus[]
}

/** The ledger's word for a payment, as core's Payment says it. */
const asPaymentStatus = (status: LedgerStatus): PaymentStatus =>
  status === 'ready' ? 'pending' : status

export async function runChaos(
  driver: ChaosDriver,
  {
    seed = 17,
    charges = 2_000,
    workers = 64,
    cutoffMs = 200,
    tokenExpiryEvery = 250,
    attempts = 5,
  }: ChaosOptions = {},
): Promise<ChaosFigures> {
  const started = performance.now()
  const sandbox = createSandbox({ seed, faults: driver.faults, validateResponses: true })
  const disagreements: string[] = []
  const wrong = (orderId: string, why: string) => disagreements.push(`${orderId}: ${why}`)

  // Observed at the edge: what the client was told about each order (an unknown outcome is
  // allowed only if no answer told it the truth), and every charge request it sent (a second one
  // under an order key needs a refusal before it or an idempotency key, and always the key the
  // first one carried).
  const told = new Map<string, ToldStatus[]>()
  const lastAnswer = new Map<string, number | 'no answer'>()
  const firstKey = new Map<string, string | null>()
  let retriedCharges = 0
  const observed: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    // The client's own signal: a Request's copy of it may stop following it (undici links them
    // weakly), so an answer could arrive after the client gave up, which no real fetch delivers.
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined)
    const charge = await driver.chargeRequest(request.clone())
    if (charge) {
      const { orderId, idempotencyKey } = charge
      const before = lastAnswer.get(orderId)
      if (before !== undefined && idempotencyKey !== (firstKey.get(orderId) ?? null)) {
        wrong(orderId, `charge re-sent under another idempotency key (${idempotencyKey})`)
      } else if (
        before !== undefined &&
        !(typeof before === 'number' && driver.refusals.includes(before))
      ) {
        if (idempotencyKey !== null) retriedCharges++
        else wrong(orderId, `charge re-sent without an idempotency key after ${before}`)
      }
      if (before === undefined) firstKey.set(orderId, idempotencyKey)
      lastAnswer.set(orderId, 'no answer')
    }
    const response = await sandbox.fetch(request)
    const body = await response
      .clone()
      .json()
      .catch(() => undefined)
    // Read whole before the signal is checked: a client whose deadline passed while the body
    // was on its way never reads it, so that answer told it nothing.
    signal?.throwIfAborted()
    if (charge) lastAnswer.set(charge.orderId, response.status)
    const status = driver.told(body, {
      method: request.method,
      url: request.url,
      status: response.status,
    })
    if (status) told.set(status.orderId, [...(told.get(status.orderId) ?? []), status])
    return response
  }
  const client = driver.connect(sandbox, observed)

  const keys = driver.keys(seed)
  const random = deriveRandom(seed, 'chaos')
  const plan = Array.from({ length: charges }, (_, i) => {
    const draw = random()
    return {
      orderId: `chaos_${seed}_${i}`,
      key: draw < 0.02 ? keys.unknown(i) : pick(random, keys.active),
      amount:
        draw >= 0.02 && draw < 0.14 ? pick(random, keys.declining) : int(random, 10, 990) * 100,
    }
  })
  const statusesOf = (orderId: string) =>
    sandbox.ledger
      .entries()
      .filter((e) => e.orderId === orderId)
      .map((e) => sandbox.ledger.statusOf(e))

  const reported = new Map<string, Reported>()
  let retriedAfterRefusal = 0
  let next = 0
  async function worker() {
    while (next < plan.length) {
      const index = next++
      const order = plan[index] as (typeof plan)[number]
      if (driver.tokenLifetimeMs !== null && index > 0 && index % tokenExpiryEvery === 0) {
        await sandbox.advanceClock(driver.tokenLifetimeMs + 60_000)
      }
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await driver.charge(
            client,
            order.key,
            { orderId: order.orderId, amount: order.amount, name: 'chaos plan' },
            { signal: AbortSignal.timeout(cutoffMs), deadlineMs: cutoffMs, pollIntervalMs: 10 },
          )
          reported.set(order.orderId, {
            kind: result.outcome,
            key: order.key,
            amount: order.amount,
            ledgerThen: statusesOf(order.orderId),
          })
        } catch (error) {
          if (driver.notProcessed(error) && attempt < attempts) {
            retriedAfterRefusal++
            continue
          }
          reported.set(order.orderId, {
            kind: 'error',
            error,
            key: order.key,
            amount: order.amount,
            ledgerThen: statusesOf(order.orderId),
          })
        }
        break
      }
    }
  }
  await Promise.all(Array.from({ length: workers }, worker))

  // Let every slow commit settle, then ask the provider what became of the unknown ones.
  sandbox.setFaults([])
  await sandbox.advanceClock(60_000)
  const ledger = new Map<string, LedgerEntry[]>()
  for (const entry of sandbox.ledger.entries()) {
    ledger.set(entry.orderId, [...(ledger.get(entry.orderId) ?? []), entry])
  }
  const paidOf = (orderId: string) =>
    (ledger.get(orderId) ?? []).filter((e) => sandbox.ledger.statusOf(e) === 'paid')

  const unknown = { total: 0, lost: 0, stillReady: 0, settledLater: 0 }
  for (const [orderId, report] of reported) {
    const paid = paidOf(orderId)
    if (report.kind === 'paid') {
      if (paid.length !== 1 || paid[0]?.amount !== report.amount) wrong(orderId, 'reported paid')
    } else if (report.kind === 'declined') {
      if (paid.length > 0) wrong(orderId, 'reported declined, but the ledger has it paid')
    } else if (report.kind === 'unknown') {
      unknown.total++
      // Allowed only where the truth did not reach the client within its deadline: every answer
      // it got showed the payment still in flight, or none came (lost, failed, or not yet sent).
      const answers = told.get(orderId) ?? []
      if (answers.some((s) => s.settled)) {
        wrong(orderId, `unknown, though ${driver.name} told it ${answers.map((s) => s.status)}`)
      }
      if (report.ledgerThen.includes('ready')) unknown.stillReady++
      else if (report.ledgerThen.length === 0) unknown.lost++
      else unknown.settledLater++
      // Afterwards, the lookup reports the truth.
      const found = await driver.find(client, report.key, orderId)
      const truth = ledger.get(orderId)?.at(-1)
      const status = truth ? asPaymentStatus(sandbox.ledger.statusOf(truth)) : null
      if ((found?.status ?? null) !== status) {
        wrong(orderId, `find says ${found?.status}, the ledger ${status}`)
      }
    } else {
      const error = report.error as Error
      wrong(orderId, `threw ${error.name}: ${error.message}`)
    }
    // A paid payment the client never reported as paid would be a charge the caller cannot see.
    if (paid.length > 0 && report.kind !== 'paid' && report.kind !== 'unknown') {
      wrong(orderId, 'the ledger has it paid, the client did not say so')
    }
  }

  const audit = sandbox.ledger.audit()
  const stats = sandbox.stats()
  return {
    driver: driver.name,
    charges: reported.size,
    paid: audit.paid,
    doubleCharges: audit.doubleCharges,
    disagreements,
    unknown,
    retriedAfterRefusal,
    retriedCharges,
    faults: stats.faults,
    answers401: stats.statuses['401'] ?? 0,
    answers409: stats.statuses['409'] ?? 0,
    violations: sandbox.violations,
    seconds: (performance.now() - started) / 1000,
  }
}

/** The figures in one line, as the test prints them. */
export function formatFigures(f: ChaosFigures): string {
  return (
    `chaos: ${f.driver}: ${f.charges} charges, ${f.doubleCharges.length} double charges, ` +
    `${f.disagreements.length} disagreements, ${f.unknown.total} unknown outcomes ` +
    `(${f.unknown.lost} never reached the provider, ${f.unknown.stillReady} still ready when the caller gave up, ` +
    `${f.unknown.settledLater} settled after the caller's last answer); ${f.paid} paid; ` +
    `faults ${JSON.stringify(f.faults)}; ${f.answers401} answers 401; ${f.answers409} answers 409; ` +
    `${f.retriedAfterRefusal} retries after a refusal; ${f.retriedCharges} charges re-sent under an idempotency key; ` +
    `${f.seconds.toFixed(1)} s`
  )
}
