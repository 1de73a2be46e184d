import type { FaultRule } from '@billingkey/sandbox'

/**
 * The faults every driver puts on its provider's charge operation, at every point of a charge.
 * The lookups that settle an unknown outcome differ by provider: each driver names its own, with
 * lookupFaults.
 */
export const chargeFaults = (
  provider: NonNullable<FaultRule['provider']>,
  operationId: string,
): FaultRule[] => [
  // Before sending: nothing reaches the provider.
  { provider, operationId, kind: 'reset', rate: 0.05 },
  { provider, operationId, kind: 'rate-limit', retryAfter: 0, rate: 0.05 },
  { provider, operationId, kind: 'server-error', status: 503, rate: 0.05 },
  // After the commit: the answer is lost, withheld, or late.
  { provider, operationId, kind: 'commit-then-reset', rate: 0.08 },
  { provider, operationId, kind: 'commit-then-silent', rate: 0.05 },
  { provider, operationId, kind: 'slow-commit', ms: 40, rate: 0.08 },
  // The connection drops at once while the provider goes on, longer than the caller waits: a
  // PortOne client asks again under its key and meets 409 while the first request still commits.
  { provider, operationId, kind: 'reset-while-committing', ms: 1_000, rate: 0.03 },
  // Slower than the caller waits: the truth is not known by the deadline.
  { provider, operationId, kind: 'slow-commit', ms: 1_000, rate: 0.02 },
]

/**
 * The faults on the lookups that settle an unknown outcome: a 5xx on `failing`, a reset and a 429
 * on `dropping` (the same operation, unless the provider looks an order up in two ways).
 */
export const lookupFaults = (
  provider: NonNullable<FaultRule['provider']>,
  failing: string,
  dropping = failing,
): FaultRule[] => [
  { provider, operationId: failing, kind: 'server-error', rate: 0.04 },
  { provider, operationId: dropping, kind: 'reset', rate: 0.03 },
  { provider, operationId: dropping, kind: 'rate-limit', retryAfter: 0, rate: 0.03 },
]

/** Lookups retry fast (a transport option outside the public type); a charge is never retried. */
export const fastLookups = { retry: { baseDelayMs: 1, maxDelayMs: 4 } }
