import { once } from 'node:events'
import type { Sandbox } from '@billingkey/sandbox'
import { integer, parse } from '../args'
import type { Command } from '../command'
import { EXIT, InputError, UsageError } from '../errors'
import { PROVIDERS } from '../refs'
import { printable } from '../text'

const usage =
  'billingkey sandbox [--port <port>] [--seed <n>] [--rate <n>] [--latency <ms>] [--verbose]'

export const sandbox: Command = {
  name: 'sandbox',
  summary: 'run the local sandbox of the three providers in the foreground',
  usage,
  help: `Usage: ${usage}

Runs the sandbox of iamport, Bootpay and PortOne V2 on loopback (127.0.0.1) until Ctrl-C or
SIGTERM: the three APIs from their specs, with seeded demo keys, lookups, charges, schedules and
delete. Prints the base
URLs, the demo credentials, and the environment variables that point billingkey (or your own
code) at it.

Options:
  -p, --port <port>  the port to listen on (default 0: any free port)
      --seed <n>     the seed of the demo data; the same seed gives the same keys
      --rate <n>     each provider's rate limit, as a real one has it: more than <n>
                     requests a second (<n> may come back to back) are answered 429
                     with Retry-After in the provider's error shape (default: no limit)
      --latency <ms> hold each answer for a latency drawn around a median of <ms>, with a
                     long tail (95% under 3 × <ms>), from the seed (default 0)
      --verbose      log each request to stderr: method, path, status, operation
                     (never headers or bodies)
  -h, --help         show this help

Exit codes:
  0  stopped by Ctrl-C (SIGINT) or SIGTERM
  2  usage error, or the sandbox could not start (e.g. the port is in use)

Examples:
  billingkey sandbox --port 4010
  billingkey sandbox --seed 42
  billingkey sandbox --rate 50 --latency 50    # like a provider under load
`,

  async run(args, io) {
    const { values, positionals } = parse(args, {
      port: { type: 'string', short: 'p' },
      seed: { type: 'string' },
      rate: { type: 'string' },
      latency: { type: 'string' },
      verbose: { type: 'boolean' },
    })
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument "${printable(positionals[0] ?? '')}"`)
    const port = integer(values.port, '--port', 0, 65_535) ?? 0
    const seed = integer(values.seed, '--seed', 0, Number.MAX_SAFE_INTEGER)
    const rate = integer(values.rate, '--rate', 1, 1_000_000)
    const latency = integer(values.latency, '--latency', 0, 60_000)
    const { formatBanner, startSandbox } = await import('@billingkey/sandbox')
    const server = await startSandbox({
      host: '127.0.0.1',
      port,
      ...(seed !== undefined ? { seed } : {}),
      ...(rate !== undefined
        ? {
            limits: Object.fromEntries(
              PROVIDERS.map((provider) => [provider, { requestsPerSecond: rate }]),
            ),
          }
        : {}),
      ...(latency ? { latency: { medianMs: latency } } : {}),
      ...(values.verbose ? { log: (line: string) => io.stderr.write(`${line}\n`) } : {}),
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new InputError(
          `port ${port} is in use: pick another with --port, or 0 for any free one`,
        )
      }
      throw error
    })
    const emulating = [
      rate !== undefined && `at most ${rate} requests a second per provider (429 beyond)`,
      latency && `a latency around ${latency} ms`,
    ].filter(Boolean)
    io.stdout.write(
      `${formatBanner(server)}\n${emulating.length ? `  Emulating ${emulating.join(' and ')}.\n` : ''}\n${envLines(server)}\nPress Ctrl-C to stop.\n`,
    )
    // Runs until the signal aborts (the bin aborts it on SIGINT/SIGTERM); without one, for good.
    if (!io.signal) await new Promise<never>(() => {})
    else if (!io.signal.aborted) await once(io.signal, 'abort')
    await server.close()
    io.stderr.write('billingkey sandbox: stopped\n')
    return EXIT.ok
  },
}

/** The environment that points billingkey (or code that reads the same variables) at `server`. */
export function envLines(server: Sandbox): string {
  const { iamport, bootpay, portone } = server.credentials
  return [
    '  Point billingkey at it from another shell:',
    `    export IAMPORT_API_KEY=${iamport.apiKey} IAMPORT_API_SECRET=${iamport.apiSecret}`,
    `    export IAMPORT_BASE_URL=${server.iamport.baseUrl}`,
    `    export BOOTPAY_APPLICATION_ID=${bootpay.applicationId} BOOTPAY_PRIVATE_KEY=${bootpay.privateKey}`,
    `    export BOOTPAY_BASE_URL=${server.bootpay.baseUrl}`,
    `    export PORTONE_API_SECRET=${portone.apiSecret} PORTONE_STORE_ID=${portone.storeId}`,
    `    export PORTONE_BASE_URL=${server.portone.baseUrl}`,
    '',
  ].join('\n')
}
