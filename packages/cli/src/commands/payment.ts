import type { BootpayClient } from '@billingkey/bootpay'
import type { IamportClient } from '@billingkey/iamport'
import type { PortoneClient } from '@billingkey/portone'
import { choice, parse } from '../args'
import type { Command } from '../command'
import { notConfigured, stderrLogger } from '../connect'
import { ENV_HELP, envConfig } from '../env'
import { EXIT, InputError, UsageError } from '../errors'
import { colorEnabled, painter, printable } from '../text'

const usage =
  'billingkey payment iamport <merchant_uid> | bootpay <order_id> | portone <paymentId> [--format table|json] [--verbose]'

/** What differs between the providers: the names of the order key and of the provider's id. */
const PROVIDERS = {
  iamport: { name: 'iamport', orderKey: 'merchant_uid', paymentId: 'imp_uid' },
  bootpay: { name: 'Bootpay', orderKey: 'order_id', paymentId: 'receipt_id' },
  portone: { name: 'PortOne V2', orderKey: 'paymentId', paymentId: 'transactionId' },
} as const
type Provider = keyof typeof PROVIDERS
/** What every client answers for an order: the shared Payment, or null. */
type Finder = Pick<IamportClient | BootpayClient | PortoneClient, 'baseUrl'> & {
  findPayment(
    orderId: string,
    options: { signal?: AbortSignal },
  ): Promise<
    | Awaited<ReturnType<IamportClient['findPayment'] | BootpayClient['findPayment']>>
    | Awaited<ReturnType<PortoneClient['getPayment']>>
    | null
  >
}

export const payment: Command = {
  name: 'payment',
  summary: 'show what the provider holds for an order (settle an unknown charge outcome)',
  usage,
  help: `Usage: ${usage}

Looks the payment of an order up by the order key you charged it under (iamport merchant_uid,
Bootpay order_id, PortOne V2 paymentId) and prints what the provider holds: its status (paid,
failed, pending, cancelled, partially_cancelled), the amount, when it was paid, failed or
cancelled, the failure reason, and the provider's own id (iamport imp_uid, Bootpay receipt_id,
PortOne transactionId). After a charge whose
outcome was unknown (a timeout, a lost answer), this says whether it went through: never charge
again under a new order key before it does.

Options:
  -f, --format <format>  table (default) or json (the payment without the provider's raw payload)
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
  billingkey payment bootpay order_20260301_0001 --format json
  billingkey payment portone order-20260301-0001
`,

  async run(args, io) {
    const { values, positionals } = parse(args, {
      format: { type: 'string', short: 'f' },
      verbose: { type: 'boolean' },
    })
    const format = choice(values.format, '--format', ['table', 'json'] as const) ?? 'table'
    const [provider, orderId, ...extra] = positionals
    if (provider !== 'iamport' && provider !== 'bootpay' && provider !== 'portone') {
      throw new UsageError(
        provider === undefined
          ? 'which provider? iamport, bootpay or portone'
          : `unknown provider "${printable(provider)}" (payment supports iamport, bootpay and portone)`,
      )
    }
    const { name, orderKey, paymentId } = PROVIDERS[provider]
    if (orderId === undefined) throw new UsageError(`give the ${orderKey} of the order`)
    if (extra.length > 0) throw new UsageError(`give one ${orderKey}`)

    const config = envConfig(io.env)
    const configured = config.iamport || config.bootpay || config.portone
    if (configured && !config[provider]) throw new InputError(notConfigured(provider))
    const logging = values.verbose
      ? { logger: stderrLogger(io.stderr), logLevel: 'debug' as const }
      : {}
    let close = async () => {}
    let options: object | undefined = config[provider]
    if (!options) {
      const { DEMO_CREDENTIALS, startSandbox } = await import('@billingkey/sandbox')
      const server = await startSandbox({ host: '127.0.0.1', port: 0 })
      close = () => server.close()
      io.stderr.write(
        `billingkey: no provider credentials in the environment; using the embedded sandbox at ${server.url} (demo data)\n`,
      )
      options = { ...DEMO_CREDENTIALS[provider], baseUrl: server[provider].baseUrl }
    }
    const client = await clientOf(provider, { ...options, ...logging })
    let found: Awaited<ReturnType<Finder['findPayment']>>
    try {
      found = await client.findPayment(orderId, io.signal ? { signal: io.signal } : {})
    } catch (error) {
      // A proxy or an older sandbox may not serve payment lookups.
      if ((error as { status?: unknown }).status === 501) {
        throw new InputError(
          `the ${name} API at ${client.baseUrl} does not serve payment lookups (501 Not Implemented)`,
        )
      }
      throw error
    } finally {
      await close()
    }

    if (!found) {
      const message = `${name} holds no payment for ${orderKey}=${printable(orderId)}`
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
      [paymentId, found.paymentId ?? '-'],
    ]
    const colour = found.status === 'paid' ? 'green' : found.status === 'failed' ? 'red' : 'bold'
    io.stdout.write(
      `${paint('bold', `${provider} ${orderKey}=${printable(found.orderId)}`)}: ${paint(colour, found.status)}\n` +
        lines.map(([label, value]) => `  ${label.padEnd(14)}${printable(value)}\n`).join(''),
    )
    return EXIT.ok
  },
}

/** The provider's client; only that provider's package is loaded. */
async function clientOf(provider: Provider, options: object): Promise<Finder> {
  if (provider === 'iamport') {
    const { createIamportClient } = await import('@billingkey/iamport')
    return createIamportClient(options as Parameters<typeof createIamportClient>[0])
  }
  if (provider === 'bootpay') {
    const { createBootpayClient } = await import('@billingkey/bootpay')
    return createBootpayClient(options as Parameters<typeof createBootpayClient>[0])
  }
  const { createPortoneClient } = await import('@billingkey/portone')
  const client = createPortoneClient(options as Parameters<typeof createPortoneClient>[0])
  return {
    baseUrl: client.baseUrl,
    // PortOne answers an unknown paymentId with PAYMENT_NOT_FOUND: no payment for the order.
    findPayment: (orderId, options) =>
      client.getPayment(orderId, options).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === 'PAYMENT_NOT_FOUND') return null
        throw error
      }),
  }
}
