import { type ChaosFigures, drivers, formatFigures, runChaos } from '@billingkey/chaos'
import { num, type Section, table, verdict } from '../report'

const CHARGES = 2_000
const SEED = 17
const CUTOFF_MS = 200

/** The chaos proof of `@billingkey/chaos` (the same engine and drivers its test runs), per target. */
export async function charges(): Promise<Section> {
  const runs: ChaosFigures[] = []
  for (const driver of drivers) {
    const figures = await runChaos(driver, { seed: SEED, charges: CHARGES, cutoffMs: CUTOFF_MS })
    console.log(formatFigures(figures))
    runs.push(figures)
  }
  const faults = (f: ChaosFigures) =>
    Object.entries(f.faults)
      .map(([kind, n]) => `${kind} ${num(n, 0)}`)
      .join(', ')
  const met = (f: ChaosFigures) =>
    f.doubleCharges.length === 0 && f.disagreements.length === 0 && f.violations.length === 0
  const wrong = runs.flatMap((f) =>
    [...f.doubleCharges.map((order) => `paid twice: ${order}`), ...f.disagreements]
      .slice(0, 5)
      .map((line) => `- ${f.driver}: ${line}`),
  )
  return {
    title: `8. Charging through faults: ${num(CHARGES, 0)} charges per provider and through the facade, checked against the ledger`,
    body: [
      `${num(CHARGES, 0)} charges per provider through its client (iamport, Bootpay, PortOne V2), and ${num(CHARGES, 0)} through the facade’s \`keys.charge(ref, …)\` over all three adapters (their keys in turn, with the faults of each), against the in-process sandbox, 64 in flight, with faults at every point of a charge: before sending (reset, 429, 503; for Bootpay also a gateway’s HTML 502), after the provider committed it (the connection reset, the answer withheld, a slow commit, some slower than the caller waits) or while it commits (the connection reset at once, the charge settling 40 ms later) and on the lookups that settle a lost answer; for the providers with tokens (iamport, Bootpay) the sandbox clock jumps past the token’s life every 250 charges, so the client meets 401s (PortOne V2 authenticates with its API secret: no token, no 401). The caller gives up on a charge after ${CUTOFF_MS} ms, and retries with the same order key only when the client says the provider processed nothing (401, 429). Then every reported outcome is checked against the sandbox’s ledger: at most one paid payment per order key; \`paid\` and \`declined\` agree with it; \`unknown\` only where no answer told the client the outcome before its deadline, and a later lookup by order key then reports what the ledger holds; no charge request is sent twice under an order key unless a refusal came before it or an idempotency key makes it safe, and every re-send carries the idempotency key of the first request. Seed ${SEED}; the same engine and drivers as the test of \`tools/chaos\`.`,
      table(
        [
          'driver',
          'charges',
          'double charges',
          'disagreements',
          'unknown outcomes (never reached the provider · still in flight at the deadline · settled after the last answer)',
          'caller retries after a refusal (401, 429)',
          'retried charges (idempotency key)',
          '401 answers',
          '409 answers (asked again while in flight)',
          'faults struck',
          'goal: 0 double charges, 0 disagreements',
        ],
        runs.map((f) => [
          f.driver,
          num(f.charges, 0),
          num(f.doubleCharges.length, 0),
          num(f.disagreements.length, 0),
          `${num(f.unknown.total, 0)} (${f.unknown.lost} · ${f.unknown.stillReady} · ${f.unknown.settledLater})`,
          num(f.retriedAfterRefusal, 0),
          num(f.retriedCharges, 0),
          num(f.answers401, 0),
          num(f.answers409, 0),
          faults(f),
          verdict(met(f)),
        ]),
      ),
      'An unknown outcome is the honest answer when the provider’s answer was lost and the lookups within the deadline could not settle it: the client hands back the order key instead of guessing, and never re-sends under a new key. The breakdown says why, from the ledger at the moment the caller gave up: nothing there (a reset or a 5xx before the provider took the request, which the client cannot tell from a lost answer, so it looks the order up until its deadline; Bootpay’s 503 carries its `error_code`, a refusal, so it is declined instead), a payment still in flight (a slow commit), or one already settled whose answer did not reach the client in time. Retried charges are re-sends the client made itself under an idempotency key the provider honours (PortOne V2’s `Idempotency-Key`, derived from the `paymentId`: after a lost answer or a 5xx the client asks again and PortOne answers the first request’s outcome, or 409 while that request still runs, and the client asks again after it); a provider without one (iamport, Bootpay) has none, and the facade’s come from its PortOne charges.',
      ...(wrong.length ? ['What disagreed (the first of each):', wrong.join('\n')] : []),
    ].join('\n\n'),
  }
}
