import { describe, expect, it } from 'vitest'
import { createLog, REDACTED } from '../src'
import { captureLogger } from './helpers'

describe('createLog', () => {
  it('is off without a logger', () => {
    expect(() => createLog()('error', 'x', { a: 1 })).not.toThrow()
  })

  it('defaults to info when a logger is given', () => {
    const { logger, lines } = captureLogger()
    const log = createLog(logger)
    log('debug', 'hidden')
    log('info', 'shown')
    log('warn', 'shown too')
    expect(lines.map((l) => [l.level, l.message.split(' ')[0]])).toEqual([
      ['info', 'shown'],
      ['warn', 'shown'],
    ])
  })

  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['off', []],
  ] as const)('at %s writes %o', (level, written) => {
    const { logger, lines } = captureLogger()
    const log = createLog(logger, level)
    for (const at of ['debug', 'info', 'warn', 'error'] as const) log(at, at)
    expect(lines.map((l) => l.level)).toEqual(written)
  })

  it('writes redacted fields into the message and as the second argument', () => {
    const { logger, lines } = captureLogger()
    createLog(logger, 'debug')('debug', 'billingkey response', {
      url: 'https://api.iamport.kr/users/getToken?imp_secret=s3cret',
      status: 200,
      authorization: 'Bearer t0ken',
    })
    const [line] = lines
    expect(line?.message).toBe(
      `billingkey response {"url":"https://api.iamport.kr/users/getToken?imp_secret=${REDACTED}","status":200,"authorization":"${REDACTED}"}`,
    )
    expect(line?.rest).toEqual([
      {
        url: `https://api.iamport.kr/users/getToken?imp_secret=${REDACTED}`,
        status: 200,
        authorization: REDACTED,
      },
    ])
  })

  it('works with console-shaped loggers without losing `this`', () => {
    const seen: string[] = []
    const logger = {
      prefix: '>',
      debug() {},
      info(this: { prefix: string }, message: string) {
        seen.push(`${this.prefix} ${message}`)
      },
      warn() {},
      error() {},
    }
    createLog(logger)('info', 'hello')
    expect(seen).toEqual(['> hello'])
  })
})
