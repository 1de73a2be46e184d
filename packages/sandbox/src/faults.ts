import type { ProviderName } from './emulator'
import { deriveRandom, type Random } from './random'

export type FaultKind =
  | 'latency'
  | 'rate-limit'
  | 'server-error'
  | 'html-502'
  | 'reset'
  | 'malformed-json'
  | 'commit-then-reset'
  | 'commit-then-silent'
  | 'slow-commit'
  | 'reset-while-committing'

export const FAULT_KINDS: readonly FaultKind[] = [
  'latency',
  'rate-limit',
  'server-error',
  'html-502',
  'reset',
  'malformed-json',
  'commit-then-reset',
  'commit-then-silent',
  'slow-commit',
  'reset-while-committing',
]

/** The kinds that let the provider handle the request (and commit a charge) before failing. */
export const AFTER_COMMIT_KINDS: readonly FaultKind[] = [
  'commit-then-reset',
  'commit-then-silent',
  'slow-commit',
  'reset-while-committing',
]

/**
 * A failure to inject. Without `provider` or `operationId` a rule applies to every provider or
 * operation (token calls included). Rules are tried in order: every latency rule that fires adds
 * its delay, and the first other rule that fires decides the answer.
 */
export interface FaultRule {
  provider?: ProviderName
  /** An operationId of the provider's spec, e.g. 'getBillingKey'. */
  operationId?: string
  kind: FaultKind
  /** Share of matching requests that get the fault, 0..1; default 1. Drawn from the seed. */
  rate?: number
  /**
   * latency: the delay in ms; slow-commit: how long a charge stays `ready` and the answer is
   * delayed; reset-while-committing: how long a charge stays `ready` after the reset. Default 1000.
   */
  ms?: number
  /** rate-limit: the Retry-After header in seconds; default 1. */
  retryAfter?: number
  /** server-error: the status, 500–599; default 500. */
  status?: number
  /** Inject the fault at most this many times; then the rule is spent. */
  times?: number
}

export interface FaultDecision {
  latencyMs: number
  /** The rule that answers instead of the provider, if any. */
  fault?: FaultRule
}

/**
 * Decides, per request, which faults apply. The draws come from a stream of the sandbox seed that
 * restarts whenever the rules are set, so a given seed and request sequence replays the same faults.
 */
export function createFaults(
  seed: number,
  operations: Readonly<Record<ProviderName, ReadonlySet<string>>>,
) {
  let rules: { rule: FaultRule; remaining: number }[] = []
  let random: Random = deriveRandom(seed, 'faults')

  function set(next: readonly FaultRule[]) {
    for (const [index, rule] of next.entries()) check(rule, index, operations)
    rules = next.map((rule) => ({
      rule: { ...rule },
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    }))
    random = deriveRandom(seed, 'faults')
  }

  function decide(provider: ProviderName, operationId: string): FaultDecision {
    let latencyMs = 0
    for (const entry of rules) {
      const { rule } = entry
      if (entry.remaining <= 0) continue
      if (rule.provider !== undefined && rule.provider !== provider) continue
      if (rule.operationId !== undefined && rule.operationId !== operationId) continue
      const rate = rule.rate ?? 1
      if (rate < 1 && random() >= rate) continue
      entry.remaining--
      if (rule.kind !== 'latency') return { latencyMs, fault: rule }
      latencyMs += rule.ms ?? 1000
    }
    return { latencyMs }
  }

  return { set, decide }
}

function check(
  rule: FaultRule,
  index: number,
  operations: Readonly<Record<ProviderName, ReadonlySet<string>>>,
) {
  const problem = (message: string) =>
    new TypeError(`fault rule ${index} (${rule.kind}): ${message}`)
  if (!FAULT_KINDS.includes(rule.kind))
    throw problem(`kind must be one of ${FAULT_KINDS.join(', ')}`)
  if (rule.provider !== undefined && !(rule.provider in operations)) {
    throw problem(`provider must be one of ${Object.keys(operations).join(', ')}`)
  }
  if (rule.operationId !== undefined) {
    const providers = rule.provider ? [rule.provider] : (Object.keys(operations) as ProviderName[])
    if (!providers.some((p) => operations[p].has(rule.operationId as string))) {
      throw problem(`unknown operationId ${rule.operationId}`)
    }
  }
  const between = (value: number | undefined, min: number, max: number) =>
    value === undefined || (Number.isFinite(value) && value >= min && value <= max)
  if (!between(rule.rate, 0, 1)) throw problem('rate must be between 0 and 1')
  if (!between(rule.ms, 0, 600_000)) throw problem('ms must be between 0 and 600000')
  if (!between(rule.retryAfter, 0, 86_400)) throw problem('retryAfter must be 0..86400 seconds')
  if (
    !between(rule.status, 500, 599) ||
    (rule.status !== undefined && !Number.isInteger(rule.status))
  ) {
    throw problem('status must be an integer 500..599')
  }
  if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times >= 0)) {
    throw problem('times must be a non-negative integer')
  }
}
