import { toBillingKeyError } from './classify'
import {
  ApiError,
  AuthenticationError,
  type BillingKeyError,
  RateLimitError,
  ResponseError,
  ServerError,
  ValidationError,
} from './errors'
import type { CallOptions } from './model'
import type { ChargeResult, Payment } from './payment'
import type { ProviderName } from './providers'
import { abortError, sleep } from './signal'

/** What every provider's `chargeBillingKey` takes after its request. */
export interface ChargeOptions extends CallOptions {
  /** The charge request's per-attempt timeout: at least 60 000 (R7). Default 60 000 or the client's longer one. */
  timeoutMs?: number
  /** How long an unknown outcome is reconciled by lookups, from the call. Default 180 000. */
  deadlineMs?: number
  /** The first wait between lookups of an unsettled order; doubles up to 8×. Default 1 000. */
  pollIntervalMs?: number
}

/** A charge's per-attempt timeout floor (R7): the SDKs' 10 s, 30 s or none lose answers. */
export const MIN_CHARGE_TIMEOUT_MS = 60_000

/**
 * A charge's per-attempt timeout and its reconciling deadline, from its options and the client's
 * own timeout; a ValidationError, before any request, for a timeout under 60 s.
 */
export function chargeTiming(
  { timeoutMs, deadlineMs = 180_000 }: ChargeOptions,
  clientTimeoutMs: number | undefined,
  details: { provider: ProviderName; operation: string },
): { timeoutMs: number; deadline: number } {
  const attempt = timeoutMs ?? Math.max(MIN_CHARGE_TIMEOUT_MS, clientTimeoutMs ?? 0)
  if (!(attempt >= MIN_CHARGE_TIMEOUT_MS))
    throw new ValidationError(`timeoutMs must be at least ${MIN_CHARGE_TIMEOUT_MS}`, {
      ...details,
      field: 'timeoutMs',
    })
  if (!(deadlineMs >= 0))
    throw new ValidationError('deadlineMs must be 0 or more', { ...details, field: 'deadlineMs' })
  return { timeoutMs: attempt, deadline: Date.now() + deadlineMs }
}

export interface SettleChargeOptions<P extends ProviderName, Raw> {
  provider: P
  /** The operation's name in errors, e.g. `chargeBillingKey`. */
  operation: string
  /** The caller's order key, sent with the charge. */
  orderId: string
  /** The amount asked: a paid answer for any other amount is no proof. */
  amount: number
  /**
   * Sends the charge request exactly once and reads the provider's answer as a Payment, or
   * throws the typed error. Never retried here; the transport may retry it only when the request
   * carries an idempotency key the provider honours (PortOne V2).
   */
  sendCharge: (signal: AbortSignal | undefined) => Promise<Payment<P, Raw>>
  /** The provider's record of `orderId`, or null when it has none. Safe to repeat. */
  findPayment: (signal: AbortSignal | undefined) => Promise<Payment<P, Raw> | null>
  /** Epoch ms after which no lookup starts: the outcome is then unknown. */
  deadline: number
  /** The caller's signal. After an abort the order is looked up once, then left unknown. */
  signal?: AbortSignal
  /** The first wait between lookups of an unsettled order; doubles up to 8×. Default 1 000. */
  pollIntervalMs?: number
}

/**
 * Answers from which the provider provably did nothing: a 401 (the transport has already
 * refreshed the token and replayed once) or a 429. Thrown, like bad input, so the caller retries
 * later with the same order key.
 */
const wasNotProcessed = (error: BillingKeyError) =>
  error instanceof ValidationError ||
  error instanceof AuthenticationError ||
  error instanceof RateLimitError

/** The provider answered and refused: final, unless a lookup finds an earlier attempt. */
const isRefusal = (error: BillingKeyError) =>
  error instanceof ApiError && !(error instanceof ServerError) && !wasNotProcessed(error)

/**
 * One charge, sent once, with its outcome proved. A paid answer counts only for the amount asked;
 * a failed payment or a refusal is a decline; anything else (no answer, a 5xx, a pending
 * payment, an abort after sending) is reconciled by looking the order up until the deadline,
 * never by sending again. Throws only when nothing can have been charged (bad input, a failed
 * token call, a 401 or 429 answer with no payment on record): the caller may then retry with the
 * same order key.
 */
export async function settleCharge<P extends ProviderName, Raw>(
  options: SettleChargeOptions<P, Raw>,
): Promise<ChargeResult<P, Raw>> {
  const { provider, operation, orderId, amount, signal, deadline } = options
  const judge = (payment: Payment<P, Raw>): ChargeResult<P, Raw> | undefined => {
    if (payment.status === 'failed')
      return {
        outcome: 'declined',
        orderId,
        code: payment.failure?.code ?? null,
        reason: payment.failure?.reason ?? null,
        payment,
        error: null,
      }
    if (payment.status === 'paid' && payment.amount === amount)
      return { outcome: 'paid', orderId, payment: payment as Payment<P, Raw> & { status: 'paid' } }
    if (payment.status !== 'pending')
      return {
        outcome: 'unknown',
        orderId,
        payment,
        error: new ResponseError(
          payment.status === 'paid'
            ? `${provider} ${operation}: order ${orderId} was paid ${payment.amount}, not the ${amount} asked`
            : `${provider} ${operation}: order ${orderId} is ${payment.status}, not paid`,
          { provider, operation },
        ),
      }
  }

  if (signal?.aborted) throw abortError(signal, provider)
  let failure: BillingKeyError
  let seen: Payment<P, Raw> | null = null
  try {
    seen = await options.sendCharge(signal)
    const verdict = judge(seen)
    if (verdict) return verdict
    failure = new ResponseError(`${provider} ${operation}: order ${orderId} is still pending`, {
      provider,
      operation,
    })
  } catch (e) {
    failure = toBillingKeyError(e, { provider, operation })
    // Bad input, or the failure of another call (the token call): the charge never went out.
    if (failure instanceof ValidationError || failure.operation !== operation) throw failure
  }

  // Reconcile: the order key is the one way to learn what happened. After the caller's abort,
  // one lookup (on no signal: the abort is why we must ask), then stop.
  const aborted = () => signal?.aborted === true
  const onceOnly = aborted()
  let wait = options.pollIntervalMs ?? 1_000
  const maxWait = wait * 8
  let lookups = 0
  while (lookups === 0 || (!onceOnly && Date.now() + wait < deadline && !aborted())) {
    if (lookups++ > 0) {
      await sleep(wait, signal).catch(() => {})
      wait = Math.min(wait * 2, maxWait)
      if (aborted() && !onceOnly) break
    }
    let found: Payment<P, Raw> | null
    try {
      found = await options.findPayment(onceOnly ? undefined : signal)
    } catch {
      continue // A failed lookup proves nothing; the next one may answer.
    }
    if (found) {
      seen = found
      const verdict = judge(found)
      if (verdict) return verdict
    } else if (isRefusal(failure) || wasNotProcessed(failure)) {
      // The provider answered and holds nothing under this key: the refusal stands.
      break
    }
  }

  if (!seen && wasNotProcessed(failure)) throw failure
  if (!seen && isRefusal(failure)) {
    const error = failure as ApiError
    return {
      outcome: 'declined',
      orderId,
      code: error.code === undefined ? null : String(error.code),
      reason: error.message,
      payment: null,
      error,
    }
  }
  return { outcome: 'unknown', orderId, error: failure, payment: seen }
}
