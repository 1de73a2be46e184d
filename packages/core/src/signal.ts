import { AbortError, type BillingKeyError, TimeoutError } from './errors'
import type { ProviderName } from './providers'

/** The caller's abort as a typed error; `AbortSignal.timeout()` counts as a timeout. */
export const abortError = (signal: AbortSignal, provider?: ProviderName): BillingKeyError =>
  new ((signal.reason as Error | undefined)?.name === 'TimeoutError' ? TimeoutError : AbortError)(
    `${provider ?? 'request'} aborted by the caller's signal`,
    { provider, cause: signal.reason },
  )

/** What waits on each signal: one listener per signal, however many calls share it. */
const waiting = new WeakMap<AbortSignal, Set<() => void>>()

/**
 * Runs `fn` once when `signal` aborts (at once if it has), unless the returned function is called
 * first. A signal shared by many calls in flight (one run's signal over a whole audit) gets one
 * listener, not one per call: no MaxListenersExceededWarning on Node, nothing to raise.
 */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn()
    return () => {}
  }
  let calls = waiting.get(signal)
  if (!calls) {
    const set = new Set<() => void>()
    calls = set
    waiting.set(signal, set)
    signal.addEventListener('abort', () => {
      for (const call of set) call()
      set.clear()
    })
  }
  // A wrapper of its own, so the same `fn` may wait twice and each is removed alone.
  const call = () => fn()
  calls.add(call)
  return () => calls.delete(call)
}

/**
 * `promise`, or the signal's reason as soon as it aborts. The promise is always observed, so a
 * late rejection is never unhandled.
 */
export const race = <T>(promise: T | Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const off = onAbort(signal, () => reject(signal.reason))
    Promise.resolve(promise).then(resolve, reject).finally(off)
  })

/** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const slept = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  return signal ? race(slept, signal).finally(() => clearTimeout(timer)) : slept
}
