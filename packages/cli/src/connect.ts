import { formatWithOptions } from 'node:util'
import type { BillingKeys, ProviderAdapters } from '@billingkey/client'
import { type EnvConfig, envConfig } from './env'
import type { Io, Output } from './io'
import { type Failure, PROVIDERS, type Provider } from './refs'

export interface Connection {
  keys: BillingKeys<ProviderAdapters>
  /** closes the embedded sandbox, if one was started */
  close(): Promise<void>
}

/**
 * The facade over the providers configured in the environment. With no credentials at all, an
 * embedded sandbox is started on loopback (and closed by `close()`), and one line on stderr says
 * so; `sandbox: true` starts it in any case (`audit --example`). With --verbose, the clients log
 * every request to stderr; core redacts what they log. The packages load here, not at startup,
 * so --help and usage errors stay instant.
 */
export async function connect(
  io: Io,
  options: {
    verbose: boolean
    /** the embedded sandbox, whatever the environment says */
    sandbox?: boolean
    /** each provider client's rate limit (`--rate`); default none */
    requestsPerSecond?: number | undefined
  },
): Promise<Connection> {
  const config: EnvConfig = options.sandbox ? {} : envConfig(io.env)
  const [
    { createBillingKeys },
    { createIamportAdapter, createIamportClient },
    { createBootpayAdapter, createBootpayClient },
    { createPortoneAdapter, createPortoneClient },
  ] = await Promise.all([
    import('@billingkey/client'),
    import('@billingkey/iamport'),
    import('@billingkey/bootpay'),
    import('@billingkey/portone'),
  ])
  const common = {
    ...(options.verbose ? { logger: stderrLogger(io.stderr), logLevel: 'debug' as const } : {}),
    ...(options.requestsPerSecond ? { requestsPerSecond: options.requestsPerSecond } : {}),
  }
  if (config.iamport || config.bootpay || config.portone) {
    const keys = createBillingKeys<ProviderAdapters>({
      iamport:
        config.iamport &&
        createIamportAdapter(createIamportClient({ ...config.iamport, ...common })),
      bootpay:
        config.bootpay &&
        createBootpayAdapter(createBootpayClient({ ...config.bootpay, ...common })),
      portone:
        config.portone &&
        createPortoneAdapter(createPortoneClient({ ...config.portone, ...common })),
    })
    return { keys, close: async () => {} }
  }
  const { DEMO_CREDENTIALS, startSandbox } = await import('@billingkey/sandbox')
  const server = await startSandbox({ host: '127.0.0.1', port: 0 })
  io.stderr.write(
    options.sandbox
      ? `billingkey: using the embedded sandbox at ${server.url} (demo data)\n`
      : `billingkey: no provider credentials in the environment; using the embedded sandbox at ${server.url} (demo data)\n`,
  )
  const keys = createBillingKeys<ProviderAdapters>({
    iamport: createIamportAdapter(
      createIamportClient({
        ...DEMO_CREDENTIALS.iamport,
        baseUrl: server.iamport.baseUrl,
        ...common,
      }),
    ),
    bootpay: createBootpayAdapter(
      createBootpayClient({
        ...DEMO_CREDENTIALS.bootpay,
        baseUrl: server.bootpay.baseUrl,
        ...common,
      }),
    ),
    portone: createPortoneAdapter(
      createPortoneClient({
        ...DEMO_CREDENTIALS.portone,
        baseUrl: server.portone.baseUrl,
        ...common,
      }),
    ),
  })
  return { keys, close: () => server.close() }
}

const VARIABLES: Record<Provider, string> = {
  iamport: 'IAMPORT_API_KEY, IAMPORT_API_SECRET',
  bootpay: 'BOOTPAY_APPLICATION_ID, BOOTPAY_PRIVATE_KEY or BOOTPAY_CLIENT_KEY, BOOTPAY_SECRET_KEY',
  portone: 'PORTONE_API_SECRET (and PORTONE_STORE_ID)',
}

/**
 * A line for each provider that refused the credentials: its lookups all failed for a reason
 * that is not about the keys, so the run has no result to trust (exit 2).
 */
export function refusedCredentials(errors: readonly (Failure | undefined)[]): string[] {
  const providers = new Set(
    errors.filter((error) => error?.name === 'AuthenticationError').map((error) => error?.provider),
  )
  return PROVIDERS.filter((provider) => providers.has(provider)).map(
    (provider) => `${provider} refused the credentials: check ${VARIABLES[provider]}`,
  )
}

/** What to set to use a provider that is not configured. */
export function notConfigured(provider: Provider): string {
  return NOT_CONFIGURED[provider]
}

const NOT_CONFIGURED: Record<Provider, string> = {
  iamport: 'iamport is not configured: set IAMPORT_API_KEY and IAMPORT_API_SECRET',
  bootpay:
    'bootpay is not configured: set BOOTPAY_APPLICATION_ID and BOOTPAY_PRIVATE_KEY ' +
    '(or BOOTPAY_CLIENT_KEY and BOOTPAY_SECRET_KEY)',
  portone: 'portone is not configured: set PORTONE_API_SECRET',
}

export function stderrLogger(stderr: Output) {
  const line =
    (level: string) =>
    (message: string, ...rest: unknown[]) =>
      stderr.write(
        `[${level}] ${formatWithOptions({ breakLength: Number.POSITIVE_INFINITY }, message, ...rest)}\n`,
      )
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') }
}
