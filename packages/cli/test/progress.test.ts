import { describe, expect, it } from 'vitest'
import { duration, limitsText, liveLine, progressReporter } from '../src/progress'

function sink(isTTY = false) {
  const chunks: string[] = []
  return { chunks, output: { isTTY, columns: 100, write: (chunk: string) => chunks.push(chunk) } }
}

describe('progressReporter, not a terminal', () => {
  it('prints a plain line each time another tenth is done, by count alone', () => {
    const { chunks, output } = sink()
    let clock = 0
    const progress = progressReporter(output, { live: false, noun: 'audited', now: () => clock })
    for (let done = 0; done <= 40; done++) progress.update({ done, total: 40 })
    clock = 2000
    progress.finish({ done: 40, total: 40 })
    expect(chunks).toEqual([
      ...[4, 8, 12, 16, 20, 24, 28, 32, 36, 40].map(
        (done) => `audited ${done}/40 (${(done * 100) / 40}%)\n`,
      ),
      'audited 40 keys in 2.0s (20 keys/s)\n',
    ])
  })

  it('prints each step of a short list once, and nothing for zero keys', () => {
    const { chunks, output } = sink()
    const progress = progressReporter(output, { live: false, noun: 'audited' })
    progress.update({ done: 0, total: 3 })
    progress.update({ done: 2, total: 3 })
    progress.update({ done: 2, total: 3 })
    progress.update({ done: 3, total: 3 })
    progress.update({ done: 0, total: 0 })
    expect(chunks).toEqual(['audited 2/3 (66%)\n', 'audited 3/3 (100%)\n'])
  })
})

describe('progressReporter, on a terminal', () => {
  it('redraws one line in place at most every 100 ms, always at the end, then erases it', () => {
    const { chunks, output } = sink(true)
    let clock = 0
    const progress = progressReporter(output, { live: true, noun: 'audited', now: () => clock })
    progress.update({ done: 1, total: 10 })
    clock = 50
    progress.update({ done: 2, total: 10 }) // too soon: skipped
    clock = 200
    progress.update({ done: 5, total: 10 })
    clock = 210
    progress.update({ done: 10, total: 10 }) // the last one is always drawn
    progress.finish()
    expect(chunks).toHaveLength(4)
    expect(chunks.slice(0, 3).every((chunk) => chunk.startsWith('\r\u001b[2K['))).toBe(true)
    expect(chunks[1]).toContain('5/10  50%')
    expect(chunks[2]).toContain('10/10  100%')
    expect(chunks[3]).toBe('\r\u001b[2K')
  })
})

describe('rate limits in the progress', () => {
  const limited = { requestsPerSecond: 50, requests: 100 }
  const pausedFor = (ms: number) => ({ ...limited, pausedUntil: new Date(Date.now() + ms) })

  it('off a terminal: a line when a 429 pauses a provider, once per pause; the end counts them', () => {
    const { chunks, output } = sink()
    let clock = 0
    const progress = progressReporter(output, { live: false, noun: 'audited', now: () => clock })
    progress.update({ done: 1, total: 100, rateLimits: { bootpay: limited } })
    progress.update({ done: 1, total: 100, rateLimits: { bootpay: pausedFor(2000) } })
    progress.update({ done: 1, total: 100, rateLimits: { bootpay: pausedFor(2500) } }) // the same pause
    progress.update({ done: 2, total: 100, rateLimits: { bootpay: limited } }) // over
    progress.update({ done: 3, total: 100, rateLimits: { bootpay: pausedFor(1000) } })
    clock = 10_000
    progress.finish({ done: 100, total: 100 })
    expect(chunks).toHaveLength(3)
    expect(chunks[0]).toMatch(
      /^audited 1\/100: bootpay answered 429 Too Many Requests: its requests wait until \d\d:\d\d:\d\d UTC \(2\.0s\); limit 50 req\/s\n$/,
    )
    expect(chunks[1]).toMatch(/^audited 3\/100: bootpay answered 429 .*\(1\.0s\)/)
    expect(chunks[2]).toBe('audited 100 keys in 10s (10 keys/s); bootpay paused 2 times by a 429\n')
  })

  it('on a terminal: a pause is drawn at once, however soon after the last redraw', () => {
    const { chunks, output } = sink(true)
    const progress = progressReporter(output, { live: true, noun: 'audited', now: () => 0 })
    progress.update({ done: 1, total: 10, rateLimits: { bootpay: limited } })
    progress.update({ done: 1, total: 10, rateLimits: { bootpay: pausedFor(3000) } })
    expect(chunks).toHaveLength(2)
    expect(chunks[1]).toContain('bootpay paused 3.0s (429)')
  })

  it('limitsText: each limited provider’s requests per second against its limit, or its pause', () => {
    expect(
      limitsText(
        {
          iamport: { requestsPerSecond: 50, requests: 10 },
          bootpay: { requestsPerSecond: 50, requests: 199 },
        },
        4,
      ),
    ).toBe('iamport 2.5/50 req/s  bootpay 49.8/50 req/s')
    expect(limitsText({ bootpay: pausedFor(1500) }, 4)).toBe('bootpay paused 1.5s (429)')
    // no limit and no pause: nothing to say
    expect(limitsText({ iamport: { requestsPerSecond: Infinity, requests: 10 } }, 4)).toBe('')
    expect(limitsText(undefined, 4)).toBe('')
  })
})

describe('liveLine', () => {
  it('shows a bar, the count, the share, the rate and the time left', () => {
    expect(liveLine(30, 120, 15, 100)).toBe(
      `[${'█'.repeat(6)}${'░'.repeat(18)}]  30/120  25%  15 keys/s  ETA 6.0s`,
    )
    expect(liveLine(0, 10, 0)).toContain('ETA ?')
  })

  it('drops the bar rather than wrap on a narrow terminal', () => {
    const line = liveLine(30, 120, 15, 40)
    expect(line.length).toBeLessThan(40)
    expect(line).toBe('30/120  25%  15 keys/s  ETA 6.0s')
  })
})

describe('duration', () => {
  it.each([
    [4.24, '4.2s'],
    [59.4, '59s'],
    [185, '3m 05s'],
    [3720, '1h 02m'],
  ])('%d s → %s', (seconds, text) => {
    expect(duration(seconds)).toBe(text)
  })
})
