import { ResponseError, TimeoutError } from './errors'
import { hideValues } from './redact'
import { onAbort, race } from './signal'

export interface IssuedToken {
  /** Checked before use: a non-empty string of visible ASCII, else the answer is a ResponseError. */
  accessToken: string
  /**
   * Epoch ms on the SERVER's clock when `serverNow` is given, else on the local clock. Missing,
   * not a number or not after `serverNow`: the token is kept for `defaultLifetimeMs`.
   */
  expiresAt: number
  /** Epoch ms, the server's clock at issue (iamport `now`); corrects for clock skew. */
  serverNow?: number
}

export interface TokenCacheOptions {
  /**
   * Requests a token. The signal is the cache's own, not a caller's: one caller giving up must
   * not fail the others waiting on the same request. It aborts once every waiter has given up
   * by its signal (an attempt's own timeout does not count: its retry will want the token).
   */
  fetchToken: (signal: AbortSignal) => Promise<IssuedToken>
  /** A token this close to expiry is refreshed first. Default 30 000. */
  refreshMarginMs?: number
  /** How long a token whose answer has no usable expiry is kept. Default 300 000 (5 minutes). */
  defaultLifetimeMs?: number
  /** Default Date.now; tests inject a clock. */
  now?: () => number
}

// What Headers.set accepts and a Bearer credential can hold: visible ASCII, no space or control.
const HEADER_SAFE = /^[\x21-\x7e]+$/

interface Pending {
  promise: Promise<string>
  controller: AbortController
  /** Waiters that can still give up; Infinity once one without a signal waits. */
  waiters: number
}

/**
 * One token per expiry window however many calls run at once: concurrent callers share one
 * in-flight request, and a failure reaches each of them as the same error; the next get() tries
 * again, unless the failure carried a Retry-After: until it passes, get() fails at once with it.
 * The current token is hidden by value in every error and log line.
 */
export class TokenCache {
  #options: TokenCacheOptions
  #token?: { value: string; expiresAt: number }
  #unhide = () => {}
  #blocked?: { until: number; error: unknown }
  #pending?: Pending

  constructor(options: TokenCacheOptions) {
    this.#options = options
  }

  get(signal?: AbortSignal): Promise<string> {
    const { refreshMarginMs = 30_000, now = Date.now } = this.#options
    const token = this.#token
    if (token && now() < token.expiresAt - refreshMarginMs) return Promise.resolve(token.value)
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.#blocked && now() < this.#blocked.until) return Promise.reject(this.#blocked.error)
    const pending = this.#pending ?? this.#request()
    if (!signal) {
      pending.waiters = Infinity
      return pending.promise
    }
    pending.waiters++
    // When the last waiter gives up, nobody needs the token: stop the request too, so an
    // interrupted program is not kept alive by it. An attempt's timeout is no such giving up:
    // the request runs on (within its own deadline) and the retry joins it, so the token
    // endpoint is not asked again while its Retry-After runs.
    const giveUp = () => {
      if (--pending.waiters > 0 || signal.reason instanceof TimeoutError) return
      pending.controller.abort(signal.reason)
      // A call starting in this same tick must start afresh, not join the aborted request.
      if (this.#pending === pending) this.#pending = undefined
    }
    return race(pending.promise, signal).finally(onAbort(signal, giveUp))
  }

  /** Drops the cached token; with `token`, only if it is still the cached one (after a 401). */
  invalidate(token?: string): void {
    if (token === undefined || token === this.#token?.value) this.#token = undefined
  }

  #request(): Pending {
    const { fetchToken, defaultLifetimeMs = 300_000, now = Date.now } = this.#options
    const sent = now()
    const controller = new AbortController()
    const promise = fetchToken(controller.signal)
      .then(
        (issued) => {
          const accessToken: unknown = issued?.accessToken
          // Never quoted: the value is a secret, and may hold the very bytes that break a header.
          if (typeof accessToken !== 'string' || !HEADER_SAFE.test(accessToken))
            throw new ResponseError('token request failed: no usable access token in the answer')
          // The server's lifetime, counted from when the request left: never later than its clock.
          const lifetime = issued.expiresAt - (issued.serverNow ?? sent)
          const usable = Number.isFinite(lifetime) && lifetime > 0
          this.#token = {
            value: accessToken,
            expiresAt: sent + (usable ? lifetime : defaultLifetimeMs),
          }
          this.#unhide()
          this.#unhide = hideValues([accessToken])
          return accessToken
        },
        (error: unknown) => {
          const retryAfterMs = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs
          if (typeof retryAfterMs === 'number' && retryAfterMs > 0)
            this.#blocked = { until: now() + retryAfterMs, error }
          throw error
        },
      )
      .finally(() => {
        if (this.#pending === pending) this.#pending = undefined
      })
    const pending = { promise, controller, waiters: 0 }
    this.#pending = pending
    return pending
  }
}
