import { describe, expect, it } from 'vitest'
import { choice, integer, parse } from '../src/args'
import { UsageError } from '../src/errors'

describe('parse', () => {
  const options = { format: { type: 'string', short: 'f' }, verbose: { type: 'boolean' } } as const

  it('reads options and positionals, and knows -h/--help', () => {
    expect(parse(['a.csv', '-f', 'json', '--verbose', '--help'], options)).toEqual({
      values: { format: 'json', verbose: true, help: true },
      positionals: ['a.csv'],
    })
    expect(parse(['--', '--not-an-option'], options).positionals).toEqual(['--not-an-option'])
  })

  it.each([
    [['--bogus'], "Unknown option '--bogus'"],
    [['--format'], "Option '-f, --format <value>' argument missing"],
    [['--verbose=yes'], "Option '--verbose' does not take an argument"],
  ])('%j is a UsageError with the first sentence of the reason', (args, message) => {
    expect(() => parse(args, options)).toThrow(UsageError)
    expect(() => parse(args, options)).toThrow(new UsageError(message))
  })
})

describe('integer', () => {
  it('accepts whole numbers in range and passes undefined through', () => {
    expect(integer('8', '--concurrency', 1, 64)).toBe(8)
    expect(integer('0', '--port', 0, 65_535)).toBe(0)
    expect(integer(undefined, '--port', 0, 65_535)).toBeUndefined()
  })

  it.each(['0', '65', '-1', '1.5', '1e3', ' 8', '', 'eight'])('rejects %j for 1-64', (value) => {
    expect(() => integer(value, '--concurrency', 1, 64)).toThrow(
      `--concurrency must be a whole number from 1 to 64, got "${value}"`,
    )
  })
})

describe('choice', () => {
  it('accepts one of the choices, and names them when it gets another', () => {
    expect(choice('csv', '--format', ['table', 'csv'])).toBe('csv')
    expect(choice(undefined, '--format', ['table', 'csv'])).toBeUndefined()
    expect(() => choice('CSV', '--format', ['table', 'csv'])).toThrow(
      '--format must be one of table, csv, got "CSV"',
    )
  })
})
