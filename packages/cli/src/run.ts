import { version } from '../package.json'
import type { Command } from './command'
import { audit } from './commands/audit'
import { lookup } from './commands/lookup'
import { payment } from './commands/payment'
import { sandbox } from './commands/sandbox'
import { validate } from './commands/validate'
import { ENV_HELP } from './env'
import { EXIT, UsageError } from './errors'
import { defaultIo, type Io } from './io'
import { printable } from './text'

const COMMANDS: readonly Command[] = [audit, lookup, payment, sandbox, validate]

const HELP = `billingkey ${version}: look up and audit stored billing keys (빌링키) at iamport (PortOne V1),
Bootpay and PortOne V2, look an order's payment up at iamport or Bootpay, run a local sandbox of
iamport and Bootpay, and check captured responses against their specs.

Usage: billingkey <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join('\n')}

Options:
  -h, --help     show this help; billingkey <command> --help shows a command's
  -V, --version  print the version

${ENV_HELP}

Exit codes:
  0    done, and every key looked at can be charged (validate: the response is valid)
  1    done, and something needs attention: a key to renew or replace, an unknown key, a failed
       lookup (validate: the response is invalid)
  2    no result to trust: a usage error, an unreadable or malformed input, bad credentials
       settings, credentials a provider refused, or a failure of the run itself; the message
       on stderr says which
  130  interrupted (Ctrl-C)

Examples:
  billingkey audit --example
  billingkey audit keys.csv
  billingkey audit keys.jsonl --format json --out report.json
  billingkey lookup iamport customer_1234
  billingkey payment iamport order_20260301_0001
  billingkey payment bootpay order_20260301_0001
  billingkey sandbox --port 4010
`

/**
 * Runs the billingkey command line (`argv` without node and the script) and resolves to its exit
 * code; it never calls process.exit. `io` replaces stdout, stderr, the environment, the working
 * directory, and lets an AbortSignal stop the run.
 */
export async function run(argv: readonly string[], io: Partial<Io> = {}): Promise<number> {
  const streams = defaultIo(io)
  const [first, ...rest] = argv
  // `billingkey help <command>` is `billingkey <command> --help`
  const [name, ...args] = first === 'help' && rest.length > 0 ? [...rest, '--help'] : argv
  if (name === '-h' || name === '--help' || name === 'help') {
    streams.stdout.write(HELP)
    return EXIT.ok
  }
  if (name === '-V' || name === '--version') {
    streams.stdout.write(`${version}\n`)
    return EXIT.ok
  }
  const command = COMMANDS.find((candidate) => candidate.name === name)
  if (!command) {
    streams.stderr.write(
      `billingkey: ${name === undefined ? 'no command given' : `unknown command "${printable(name)}"`}\n\n` +
        `Usage: billingkey <command> [options]; commands: ${COMMANDS.map((c) => c.name).join(', ')}\n` +
        `Run 'billingkey --help' for more.\n`,
    )
    return EXIT.usage
  }
  const flags = args.includes('--') ? args.slice(0, args.indexOf('--')) : args
  if (flags.includes('-h') || flags.includes('--help')) {
    streams.stdout.write(command.help)
    return EXIT.ok
  }
  try {
    return await command.run(args, streams)
  } catch (error) {
    if (streams.signal?.aborted) {
      streams.stderr.write(`billingkey ${command.name}: interrupted\n`)
      return EXIT.interrupted
    }
    // UsageError and InputError say what to fix; anything else is a failure of the run. Errors
    // of the clients are redacted at the source, so no message here holds a secret.
    const message = error instanceof Error ? error.message : String(error)
    streams.stderr.write(`billingkey ${command.name}: ${message}\n`)
    if (error instanceof UsageError) {
      streams.stderr.write(
        `\nUsage: ${command.usage}\nRun 'billingkey ${command.name} --help' for more.\n`,
      )
    }
    return EXIT.usage
  }
}
