import { AbortError, type BillingKeyError, TimeoutError } from './errors'
import type { ProviderName } from './providers'

/** The caller's abort as a typed error; `AbortSignal.timeout()` counts as a timeout. */
export const abortError = (signal: AbortSignal, provider?: ProviderName): BillingKeyError =>
  new ((signal.reason as Error | undefined)?.name === 'TimeoutError' ? TimeoutError : AbortError)(
    `${provider ?? 'request'} aborted by the caller's signal`,
    { provider, cause: signal.reason },
  )

/**
 * `promise`, or the signal's reason as soon as it aborts. The promise is always observed, so a
 * late rejection is never unhandled.
 */
export const race = <T>(promise: T | Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason)
    signal.addEventListener('abort', abort)
    if (signal.aborted) abort()
    Promise.resolve(promise)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', abort))
  })

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  return race(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), signal).finally(
    () => clearTimeout(timer),
  )
}
