import type { Output } from './io'

export interface Progress {
  done: number
  total: number
}

export interface ProgressReporter {
  update(progress: Progress): void
  /** Erases the live line (if any); with the final progress, prints how long the run took. */
  finish(progress?: Progress): void
}

const BAR_WIDTH = 24
const REDRAW_MS = 100

/**
 * On a terminal: one line on `output`, redrawn in place (at most every 100 ms), with a bar,
 * done/total, the rate and the time left. Elsewhere (a pipe, a CI log): a plain line each time
 * another tenth of the keys is done, so the output depends on the counts only.
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

  const rate = (done: number) => done / Math.max((now() - started) / 1000, 0.001)

  return {
    update({ done, total }) {
      if (total === 0) return
      if (options.live) {
        if (done < total && now() - drawn < REDRAW_MS) return
        drawn = now()
        live = true
        output.write(`\r\u001b[2K${liveLine(done, total, rate(done), output.columns || 80)}`)
        return
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
      output.write(
        `${options.noun} ${done} ${done === 1 ? 'key' : 'keys'} in ${duration(seconds)}` +
          `${done > 0 ? ` (${rate(done).toFixed(0)} keys/s)` : ''}\n`,
      )
    },
  }
}

export function liveLine(done: number, total: number, perSecond: number, columns = 80): string {
  const filled = Math.round((done / total) * BAR_WIDTH)
  const bar = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`
  const eta = perSecond > 0 && done > 0 ? duration((total - done) / perSecond) : '?'
  const text = [
    bar,
    `${done}/${total}`,
    `${Math.floor((done * 100) / total)}%`,
    `${perSecond.toFixed(perSecond < 10 ? 1 : 0)} keys/s`,
    `ETA ${eta}`,
  ].join('  ')
  // A line wider than the terminal wraps, and \r then only redraws its last part.
  return text.length < columns ? text : text.slice(BAR_WIDTH + 4, BAR_WIDTH + 4 + columns - 1)
}

/** 4.2s, 59s, 3m 05s, 1h 02m */
export function duration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)}s`
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}
