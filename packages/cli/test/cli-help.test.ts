import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cli, packageDir } from './helpers'

const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'))
const COMMANDS = ['audit', 'lookup', 'sandbox', 'validate']

describe('billingkey --help', () => {
  it.each([['--help'], ['-h'], ['help']])(
    '%s prints the overview on stdout and exits 0',
    async (flag) => {
      const { code, stdout, stderr } = await cli([flag])
      expect(code).toBe(0)
      expect(stderr).toBe('')
      expect(stdout).toContain('Usage: billingkey <command> [options]')
      for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'))
      for (const name of [
        'IAMPORT_API_KEY',
        'BOOTPAY_PRIVATE_KEY',
        'BOOTPAY_SECRET_KEY',
        'NO_COLOR',
      ]) {
        expect(stdout).toContain(name)
      }
    },
  )

  it.each(COMMANDS)(
    '%s: --help, -h and "help <command>" print the command help and exit 0',
    async (command) => {
      const runs = await Promise.all([
        cli([command, '--help']),
        cli([command, '-h']),
        cli(['help', command]),
      ])
      for (const { code, stdout, stderr } of runs) {
        expect(code).toBe(0)
        expect(stderr).toBe('')
        expect(stdout).toContain(`Usage: billingkey ${command}`)
        expect(stdout).toContain('Exit codes:')
        expect(stdout).toContain('Examples:')
      }
      expect(runs[1]?.stdout).toBe(runs[0]?.stdout)
      expect(runs[2]?.stdout).toBe(runs[0]?.stdout)
    },
  )

  it('--help wins over missing arguments', async () => {
    const { code, stdout } = await cli(['validate', '--help'])
    expect(code).toBe(0)
    expect(stdout).toContain('<operationId>')
  })

  it('--version and -V print the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = await cli([flag])
      expect(code).toBe(0)
      expect(stdout).toBe(`${version}\n`)
    }
  })
})

describe('usage errors exit 2 with a message and the usage on stderr', () => {
  it.each([
    [[], 'billingkey: no command given'],
    [['charge'], 'billingkey: unknown command "charge"'],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await cli(args)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain(message)
    expect(stderr).toContain('Usage: billingkey <command>')
  })

  it.each([
    [['audit'], 'which file?'],
    [['audit', 'a.csv', 'b.csv'], 'one file at a time'],
    [['audit', 'keys.csv', '--bogus'], "Unknown option '--bogus'"],
    [
      ['audit', 'keys.csv', '--format', 'xml'],
      '--format must be one of table, json, csv, jsonl, got "xml"',
    ],
    [
      ['audit', 'keys.csv', '--concurrency', '0'],
      '--concurrency must be a whole number from 1 to 64',
    ],
    [['audit', 'keys.csv', '--concurrency'], "Option '-c, --concurrency <value>' argument missing"],
    [['audit', 'keys.txt'], 'cannot tell the format of keys.txt'],
    [['lookup'], 'which provider?'],
    [['lookup', 'paypal', 'x'], 'unknown provider "paypal"'],
    [['lookup', 'iamport'], 'give at least one customer_uid'],
    [['lookup', 'iamport', 'x', '--receipt', 'r'], '--receipt and --key are for bootpay'],
    [['lookup', 'bootpay', 'x'], 'bootpay keys are given with --receipt'],
    [['lookup', 'bootpay'], 'give --receipt <receipt_id> or --key <billing_key>'],
    [['lookup', 'iamport', 'x', '--format', 'csv'], '--format must be one of table, json'],
    [['sandbox', '--port', '70000'], '--port must be a whole number from 0 to 65535'],
    [['sandbox', 'extra'], 'unexpected argument "extra"'],
    [['validate', 'iamport'], 'expected 4 arguments, got 1'],
  ])('%j', async (args, message) => {
    const { code, stdout, stderr } = await cli(args)
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain(`billingkey ${args[0]}: ${message}`)
    expect(stderr).toContain(`Usage: billingkey ${args[0]}`)
    expect(stderr).toContain(`Run 'billingkey ${args[0]} --help' for more.`)
  })

  it('shows control characters from the command line as escapes', async () => {
    const { code, stderr } = await cli(['lookup', 'pay\u001b[2Jpal', 'x'])
    expect(code).toBe(2)
    expect(stderr).toContain('unknown provider "pay\\u001b[2Jpal"')
    expect(stderr).not.toContain('\u001b')
  })
})
