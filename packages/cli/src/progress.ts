import type { Output } from './io'

/** A provider client's rate limit, as the facade's progress reports it. */
export interface RateLimitState {
  /** Infinity when the client has no limit. */
  requestsPerSecond: number
  /** Requests started so far. */
  requests: number
  /** While a 429 holds the client's requests back. */
  pausedUntil?: Date
}

export interface Progress {
  done: number
  total: number
  rateLimits?: Partial<Record<string, RateLimitState>> | undefined
}

export interface ProgressReporter {
  update(progress: Progress): void
  /** Erases the live line (if any); with the final progress, prints how long the run took. */
  finish(progress?: Progress): void
}

const BAR_WIDTH = 24
const REDRAW_MS = 100

/**
 * On a terminal: one line on `output`, redrawn in place (at most every 100 ms, and at once when
 * a 429 pauses a provider), with a bar, done/total, the rate, the time left, and each provider's
 * requests per second against its limit, or the pause. Elsewhere (a pipe, a CI log): a plain
 * line each time another tenth of the keys is done, so the output depends on the counts only,
 * and a line when a 429 pauses a provider. The closing line counts the pauses.
 */
export function progressReporter(
  output: Output,
  options: { live: boolean; noun: string; now?: () => number },
): ProgressReporter {
  const now = options.now ?? (() => performance.now())
  const started = now()
  let drawn = Number.NEGATIVE_INFINITY
  let tenths = 0
  let live = false
  let limits: Progress['rateLimits']
  const paused = new Set<string>()
  const pauses = new Map<string, number>()

  const seconds = () => Math.max((now() - started) / 1000, 0.001)
  const rate = (done: number) => done / seconds()

  return {
    update({ done, total, rateLimits }) {
      if (total === 0) return
      // A pause starts when a provider that was not paused is: each is told once.
      const newly: [string, RateLimitState][] = []
      if (rateLimits) {
        limits = rateLimits
        for (const [provider, state] of Object.entries(rateLimits)) {
          if (!state?.pausedUntil) paused.delete(provider)
          else if (!paused.has(provider)) {
            paused.add(provider)
            pauses.set(provider, (pauses.get(provider) ?? 0) + 1)
            newly.push([provider, state])
          }
        }
      }
      if (options.live) {
        if (done < total && now() - drawn < REDRAW_MS && newly.length === 0) return
        drawn = now()
        live = true
        const line = liveLine(
          done,
          total,
          rate(done),
          output.columns || 80,
          limitsText(limits, seconds()),
        )
        output.write(`\r\u001b[2K${line}`)
        return
      }
      for (const [provider, state] of newly) {
        output.write(`${options.noun} ${done}/${total}: ${pauseText(provider, state)}\n`)
      }
      const reached = Math.floor((done * 10) / total)
      if (reached <= tenths) return
      tenths = reached
      output.write(`${options.noun} ${done}/${total} (${Math.floor((done * 100) / total)}%)\n`)
    },
    finish(progress) {
      if (live) output.write('\r\u001b[2K')
      if (!progress) return
      const { done } = progress
      const seconds = (now() - started) / 1000
      const paused = [...pauses].map(
        ([provider, count]) =>
          `; ${provider} paused ${count === 1 ? 'once' : `${count} times`} by a 429`,
      )
      output.write(
        `${options.noun} ${done} ${done === 1 ? 'key' : 'keys'} in ${duration(seconds)}` +
          `${done > 0 ? ` (${rate(done).toFixed(0)} keys/s)` : ''}${paused.join('')}\n`,
      )
    },
  }
}

export function liveLine(
  done: number,
  total: number,
  perSecond: number,
  columns = 80,
  limits = '',
): string {
  const filled = Math.round((done / total) * BAR_WIDTH)
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`
  const eta = perSecond > 0 && done > 0 ? duration((total - done) / perSecond) : '?'
  const text = [
    bar,
    `${done}/${total}`,
    `${Math.floor((done * 100) / total)}%`,
    `${perSecond.toFixed(perSecond < 10 ? 1 : 0)} keys/s`,
    `ETA ${eta}`,
    ...(limits ? [limits] : []),
  ].join('  ')
  // A line wider than the terminal wraps, and \r then only redraws its last part.
  return text.length < columns ? text : text.slice(BAR_WIDTH + 4, BAR_WIDTH + 4 + columns - 1)
}

/**
 * Each provider that has a limit or is paused: `bootpay 49.8/50 req/s`, or while a 429 holds it
 * back `bootpay paused 1.2s (429)`. Empty when no provider has either.
 */
export function limitsText(limits: Progress['rateLimits'], seconds: number): string {
  return Object.entries(limits ?? {})
    .flatMap(([provider, state]) => {
      if (!state) return []
      const left = (state.pausedUntil?.getTime() ?? 0) - Date.now()
      if (left > 0) return [`${provider} paused ${duration(left / 1000)} (429)`]
      if (!Number.isFinite(state.requestsPerSecond)) return []
      const perSecond = state.requests / Math.max(seconds, 0.001)
      return [`${provider} ${perSecond.toFixed(1)}/${state.requestsPerSecond} req/s`]
    })
    .join('  ')
}

/** `bootpay answered 429 Too Many Requests: its requests wait until 06:04:03 UTC (1.0s); limit 50 req/s` */
export function pauseText(provider: string, state: RateLimitState): string {
  const until = state.pausedUntil as Date
  const limit = Number.isFinite(state.requestsPerSecond)
    ? `; limit ${state.requestsPerSecond} req/s`
    : ''
  return (
    `${provider} answered 429 Too Many Requests: its requests wait until ` +
    `${until.toISOString().slice(11, 19)} UTC (${duration(Math.max(0, until.getTime() - Date.now()) / 1000)})${limit}`
  )
}

/** 4.2s, 59s, 3m 05s, 1h 02m */
export function duration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)}s`
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}
