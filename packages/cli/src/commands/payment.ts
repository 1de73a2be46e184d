import { choice, parse } from '../args'
import type { Command } from '../command'
import { notConfigured, stderrLogger } from '../connect'
import { ENV_HELP, envConfig } from '../env'
import { EXIT, InputError, UsageError } from '../errors'
import { colorEnabled, painter, printable } from '../text'

const usage = 'billingkey payment iamport <merchant_uid> [--format table|json] [--verbose]'

export const payment: Command = {
  name: 'payment',
  summary: 'show what the provider holds for an order (settle an unknown charge outcome)',
  usage,
  help: `Usage: ${usage}

Looks the payment of an order up at iamport by its merchant_uid and prints what iamport holds:
its status (paid, failed, pending, cancelled, partially_cancelled), the amount, when it was paid,
failed or cancelled, the failure reason, and iamport's imp_uid. After a charge whose outcome was
unknown (a timeout, a lost answer), this says whether it went through: never charge again under a
new merchant_uid before it does.

Options:
  -f, --format <format>  table (default) or json (the payment without iamport's raw payload)
      --verbose          log every request and response to stderr, secrets redacted
  -h, --help             show this help

Exit codes:
  0  iamport holds a payment for the order
  1  iamport holds no payment for the order
  2  usage error, a merchant_uid iamport would refuse, bad credentials settings, or a failure
     of the run itself (the API refused the credentials, or does not serve payment lookups)

${ENV_HELP}

Examples:
  billingkey payment iamport order_20260301_0001
  billingkey payment iamport order_20260301_0001 --format json
`,

  async run(args, io) {
    const { values, positionals } = parse(args, {
      format: { type: 'string', short: 'f' },
      verbose: { type: 'boolean' },
    })
    const format = choice(values.format, '--format', ['table', 'json'] as const) ?? 'table'
    const [provider, merchantUid, ...extra] = positionals
    if (provider !== 'iamport') {
      throw new UsageError(
        provider === undefined
          ? 'which provider? iamport'
          : `unknown provider "${printable(provider)}" (payment supports iamport)`,
      )
    }
    if (merchantUid === undefined) throw new UsageError('give the merchant_uid of the order')
    if (extra.length > 0) throw new UsageError('give one merchant_uid')

    const config = envConfig(io.env)
    const configured = config.iamport || config.bootpay || config.portone
    if (configured && !config.iamport) throw new InputError(notConfigured('iamport'))
    const { createIamportClient } = await import('@billingkey/iamport')
    const logging = values.verbose
      ? { logger: stderrLogger(io.stderr), logLevel: 'debug' as const }
      : {}
    let close = async () => {}
    let options = config.iamport
    if (!options) {
      const { DEMO_CREDENTIALS, startSandbox } = await import('@billingkey/sandbox')
      const server = await startSandbox({ host: '127.0.0.1', port: 0 })
      close = () => server.close()
      io.stderr.write(
        `billingkey: no provider credentials in the environment; using the embedded sandbox at ${server.url} (demo data)\n`,
      )
      options = { ...DEMO_CREDENTIALS.iamport, baseUrl: server.iamport.baseUrl }
    }
    const client = createIamportClient({ ...options, ...logging })
    let found: Awaited<ReturnType<typeof client.findPayment>>
    try {
      found = await client.findPayment(merchantUid, io.signal ? { signal: io.signal } : {})
    } catch (error) {
      // A proxy or an older sandbox may not serve payment lookups.
      if ((error as { status?: unknown }).status === 501) {
        throw new InputError(
          `the iamport API at ${client.baseUrl} does not serve payment lookups (501 Not Implemented)`,
        )
      }
      throw error
    } finally {
      await close()
    }

    if (!found) {
      const message = `iamport holds no payment for merchant_uid=${printable(merchantUid)}`
      if (format === 'json') io.stdout.write(`${JSON.stringify(null)}\n`)
      io.stderr.write(`billingkey payment: ${message}\n`)
      return EXIT.attention
    }
    const { raw: _raw, ...shown } = found
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(shown, null, 2)}\n`)
      return EXIT.ok
    }
    const paint = painter(colorEnabled(io.stdout, io.env))
    const date = (value: Date | null) => (value ? value.toISOString() : '-')
    const failure = found.failure
      ? [found.failure.code, found.failure.reason].filter((part) => part).join(' · ') || '-'
      : '-'
    const lines: [string, string][] = [
      ['amount', `${found.amount} ${found.currency}`],
      ['cancelled', found.cancelledAmount > 0 ? `${found.cancelledAmount} ${found.currency}` : '-'],
      ['paid', date(found.paidAt)],
      ['failed', date(found.failedAt)],
      ['cancelled at', date(found.cancelledAt)],
      ['failure', failure],
      ['imp_uid', found.paymentId ?? '-'],
    ]
    const colour = found.status === 'paid' ? 'green' : found.status === 'failed' ? 'red' : 'bold'
    io.stdout.write(
      `${paint('bold', `iamport merchant_uid=${printable(found.orderId)}`)}: ${paint(colour, found.status)}\n` +
        lines.map(([label, value]) => `  ${label.padEnd(14)}${printable(value)}\n`).join(''),
    )
    return EXIT.ok
  },
}
