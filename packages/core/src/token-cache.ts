import { race } from './signal'

export interface IssuedToken {
  accessToken: string
  /** Epoch ms on the SERVER's clock when `serverNow` is given, else on the local clock. */
  expiresAt: number
  /** Epoch ms, the server's clock at issue (iamport `now`); corrects for clock skew. */
  serverNow?: number
}

export interface TokenCacheOptions {
  /**
   * Requests a token. The signal is the cache's own, not a caller's: one caller giving up must
   * not fail the others waiting on the same request. It aborts once every waiter has given up.
   */
  fetchToken: (signal: AbortSignal) => Promise<IssuedToken>
  /** A token this close to expiry is refreshed first. Default 30 000. */
  refreshMarginMs?: number
  /** Default Date.now; tests inject a clock. */
  now?: () => number
}

/**
 * One token per expiry window however many calls run at once: concurrent callers share one
 * in-flight request, and a failure reaches each of them as the same error; the next get() tries
 * again.
 */
export class TokenCache {
  #options: TokenCacheOptions
  #token?: { value: string; expiresAt: number }
  #pending?: {
    promise: Promise<string>
    controller: AbortController
    /** Waiters that can still give up; Infinity once one without a signal waits. */
    waiters: number
  }

  constructor(options: TokenCacheOptions) {
    this.#options = options
  }

  get(signal?: AbortSignal): Promise<string> {
    const { fetchToken, refreshMarginMs = 30_000, now = Date.now } = this.#options
    const token = this.#token
    if (token && now() < token.expiresAt - refreshMarginMs) return Promise.resolve(token.value)
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (!this.#pending) {
      const sent = now()
      const controller = new AbortController()
      // The server's lifetime, counted from when the request left: never later than its clock.
      const promise = fetchToken(controller.signal)
        .then(({ accessToken, expiresAt, serverNow = sent }) => {
          this.#token = { value: accessToken, expiresAt: sent + expiresAt - serverNow }
          return accessToken
        })
        .finally(() => {
          this.#pending = undefined
        })
      this.#pending = { promise, controller, waiters: 0 }
    }
    const pending = this.#pending
    if (!signal) {
      pending.waiters = Number.POSITIVE_INFINITY
      return pending.promise
    }
    pending.waiters++
    // When the last waiter gives up, nobody needs the token: stop the request too, so an
    // interrupted program is not kept alive by it.
    const giveUp = () => {
      if (--pending.waiters === 0) pending.controller.abort(signal.reason)
    }
    signal.addEventListener('abort', giveUp)
    return race(pending.promise, signal).finally(() => signal.removeEventListener('abort', giveUp))
  }

  /** Drops the cached token; with `token`, only if it is still the cached one (after a 401). */
  invalidate(token?: string): void {
    if (token === undefined || token === this.#token?.value) this.#token = undefined
  }
}
