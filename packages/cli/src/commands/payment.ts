import { choice, parse } from '../args'
import type { Command } from '../command'
import { notConfigured, stderrLogger } from '../connect'
import { ENV_HELP, envConfig } from '../env'
import { EXIT, InputError, UsageError } from '../errors'
import { colorEnabled, painter, printable } from '../text'

type IamportClient = import('@billingkey/iamport').IamportClient
type PortoneClient = import('@billingkey/portone').PortoneClient
/** A payment in the shared model, from either provider. */
type Payment =
  | NonNullable<Awaited<ReturnType<IamportClient['findPayment']>>>
  | Awaited<ReturnType<PortoneClient['getPayment']>>
type IamportOptions = import('@billingkey/iamport').IamportClientOptions
type PortoneOptions = import('@billingkey/portone').PortoneClientOptions

const usage =
  'billingkey payment iamport <merchant_uid> | portone <paymentId> [--format table|json] [--verbose]'

/** What each provider calls the caller's order key and its own payment id. */
const NAMES = {
  iamport: { order: 'merchant_uid', payment: 'imp_uid' },
  portone: { order: 'paymentId', payment: 'transactionId' },
} as const

export const payment: Command = {
  name: 'payment',
  summary: 'show what the provider holds for an order (settle an unknown charge outcome)',
  usage,
  help: `Usage: ${usage}

Looks the payment of an order up, at iamport by its merchant_uid or at PortOne V2 by the
paymentId you chose, and prints what the provider holds: its status (paid, failed, pending,
cancelled, partially_cancelled), the amount, when it was paid, failed or cancelled, the failure
reason, and the provider's own id (iamport's imp_uid, PortOne's transactionId). After a charge
whose outcome was unknown (a timeout, a lost answer), this says whether it went through: never
charge again under a new order key before it does.

Options:
  -f, --format <format>  table (default) or json (the payment without iamport's raw payload)
      --verbose          log every request and response to stderr, secrets redacted
  -h, --help             show this help

Exit codes:
  0  the provider holds a payment for the order
  1  the provider holds no payment for the order
  2  usage error, an order key the provider would refuse, bad credentials settings, or a failure
     of the run itself (the API refused the credentials, or does not serve payment lookups)

${ENV_HELP}

Examples:
  billingkey payment iamport order_20260301_0001
  billingkey payment iamport order_20260301_0001 --format json
  billingkey payment portone order-20260301-0001
`,

  async run(args, io) {
    const { values, positionals } = parse(args, {
      format: { type: 'string', short: 'f' },
      verbose: { type: 'boolean' },
    })
    const format = choice(values.format, '--format', ['table', 'json'] as const) ?? 'table'
    const [provider, orderId, ...extra] = positionals
    if (provider !== 'iamport' && provider !== 'portone') {
      throw new UsageError(
        provider === undefined
          ? 'which provider? iamport or portone'
          : `unknown provider "${printable(provider)}" (payment supports iamport and portone)`,
      )
    }
    const names = NAMES[provider]
    if (orderId === undefined) throw new UsageError(`give the ${names.order} of the order`)
    if (extra.length > 0) throw new UsageError(`give one ${names.order}`)

    const config = envConfig(io.env)
    const configured = config.iamport || config.bootpay || config.portone
    if (configured && !config[provider]) throw new InputError(notConfigured(provider))
    const logging = values.verbose
      ? { logger: stderrLogger(io.stderr), logLevel: 'debug' as const }
      : {}
    let close = async () => {}
    let baseUrl: string | undefined
    let credentials = config[provider]
    if (!credentials) {
      const { DEMO_CREDENTIALS, startSandbox } = await import('@billingkey/sandbox')
      const server = await startSandbox({ host: '127.0.0.1', port: 0 })
      close = () => server.close()
      io.stderr.write(
        `billingkey: no provider credentials in the environment; using the embedded sandbox at ${server.url} (demo data)\n`,
      )
      credentials = DEMO_CREDENTIALS[provider]
      baseUrl = server[provider].baseUrl
    }
    const options = { ...credentials, ...(baseUrl && { baseUrl }), ...logging }
    const signal = io.signal ? { signal: io.signal } : {}
    let found: Payment | null
    let apiUrl = ''
    try {
      if (provider === 'iamport') {
        const { createIamportClient } = await import('@billingkey/iamport')
        const client = createIamportClient(options as IamportOptions)
        apiUrl = client.baseUrl
        found = await client.findPayment(orderId, signal)
      } else {
        const { createPortoneClient } = await import('@billingkey/portone')
        const client = createPortoneClient(options as PortoneOptions)
        apiUrl = client.baseUrl
        found = await client.getPayment(orderId, signal).catch((error) => {
          if ((error as { code?: unknown }).code === 'PAYMENT_NOT_FOUND') return null
          throw error
        })
      }
    } catch (error) {
      // A proxy or an older sandbox may not serve payment lookups.
      if ((error as { status?: unknown }).status === 501) {
        throw new InputError(
          `the ${provider} API at ${apiUrl} does not serve payment lookups (501 Not Implemented)`,
        )
      }
      throw error
    } finally {
      await close()
    }

    if (!found) {
      const message = `${provider} holds no payment for ${names.order}=${printable(orderId)}`
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
      [names.payment, found.paymentId ?? '-'],
    ]
    const colour = found.status === 'paid' ? 'green' : found.status === 'failed' ? 'red' : 'bold'
    io.stdout.write(
      `${paint('bold', `${provider} ${names.order}=${printable(found.orderId)}`)}: ${paint(colour, found.status)}\n` +
        lines.map(([label, value]) => `  ${label.padEnd(14)}${printable(value)}\n`).join(''),
    )
    return EXIT.ok
  },
}
