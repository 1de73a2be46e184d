import { onAbort } from './signal'

export interface RateLimiterOptions {
  /** Requests allowed per second, over every call that shares the limiter; Infinity: no limit. */
  requestsPerSecond: number
  /** Requests that may start back to back after an idle spell. Default 1: evenly spaced. */
  burst?: number
}

/** What a client's rate limit is doing now: for a progress line, a dashboard, a log. */
export interface RateLimitState {
  /** The client's limit; Infinity when it has none. */
  requestsPerSecond: number
  /** Requests the client has started so far (token calls and retries included). */
  requests: number
  /** Set while a 429 holds every request of the client back: when they may start again. */
  pausedUntil?: Date
}

/** A client's rate limit, read-only: `client.fetch.rateLimit`, and each adapter's `rateLimit`. */
export interface RateLimitView {
  /** The configured rate; Infinity when there is none. */
  readonly requestsPerSecond: number
  state(): RateLimitState
  /**
   * Calls `listener` each time a 429 pauses the client (or lengthens the pause), with the state
   * then. Returns the function that stops it. A throwing listener is ignored.
   */
  onPause(listener: (state: RateLimitState) => void): () => void
}

export interface RateLimiter extends RateLimitView {
  /**
   * Resolves when one request may start, first come first served; rejects with the signal's
   * reason if it aborts first (the place in line is given up).
   */
  take(signal?: AbortSignal): Promise<void>
  /**
   * Holds every request back for `ms` from now: a 429's Retry-After pauses the whole client.
   * Returns when the pause ends (a longer one already under way is kept).
   */
  pause(ms: number): number
  /** How long the current pause still lasts, 0 when none. */
  pausedForMs(): number
}

interface Waiter {
  resolve: () => void
  /** When it asked for a turn. */
  queuedAt: number
  /** Stops waiting on the caller's signal. */
  off?: () => void
}

/**
 * A requests-per-second limit shared by all calls of one client (GCRA: each start pushes the
 * next allowed start back by 1/rate), with a pause that a 429 sets for everyone.
 */
export function createRateLimiter({
  requestsPerSecond,
  burst = 1,
}: RateLimiterOptions): RateLimiter {
  if (!(requestsPerSecond > 0) || !(burst >= 1)) {
    throw new RangeError('requestsPerSecond must be a positive number and burst at least 1')
  }
  const interval = 1000 / requestsPerSecond
  const tolerance = (Math.floor(burst) - 1) * interval
  let next = 0 // when the next request would start at the exact rate
  let pausedUntil = 0
  let requests = 0
  const listeners = new Set<(state: RateLimitState) => void>()
  const queue: Waiter[] = []
  let timer: ReturnType<typeof setTimeout> | undefined

  const release = () => {
    clearTimeout(timer)
    timer = undefined
    while (queue.length > 0) {
      const now = Date.now()
      const at = Math.max(pausedUntil, next - tolerance)
      if (at > now) {
        timer = setTimeout(release, at - now)
        return
      }
      const waiter = queue.shift() as Waiter
      // The next slot counts from when this one was due, not from when a (late) timer ran: a busy
      // event loop fires timers a few ms late, and losing that at every request ran below the
      // rate (a CLI audit at 50 per second took 8% longer). Up to one interval is made up.
      const due = Math.max(at, waiter.queuedAt)
      next = Math.max(next, due, now - interval) + interval
      requests++
      waiter.off?.()
      waiter.resolve()
    }
  }

  return {
    requestsPerSecond,
    take: (signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason)
        const waiter: Waiter = { resolve, queuedAt: Date.now() }
        waiter.off =
          signal &&
          onAbort(signal, () => {
            queue.splice(queue.indexOf(waiter), 1)
            reject(signal.reason)
          })
        queue.push(waiter)
        if (!timer) release()
      }),
    pause(ms) {
      const until = Date.now() + ms
      if (until <= pausedUntil) return pausedUntil
      pausedUntil = until
      if (queue.length > 0) release()
      const now = state()
      for (const listener of listeners) {
        try {
          listener(now)
        } catch {}
      }
      return until
    },
    pausedForMs: () => Math.max(0, pausedUntil - Date.now()),
    state,
    onPause(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }

  function state(): RateLimitState {
    return pausedUntil > Date.now()
      ? { requestsPerSecond, requests, pausedUntil: new Date(pausedUntil) }
      : { requestsPerSecond, requests }
  }
}
