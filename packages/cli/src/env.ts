import { InputError } from './errors'
import type { Io } from './io'

export type IamportCredentials = { apiKey: string; apiSecret: string }
export type BootpayCredentials =
  | { applicationId: string; privateKey: string }
  | { clientKey: string; secretKey: string }
export type PortoneCredentials = { apiSecret: string; storeId?: string }

/** The providers configured in the environment; none at all means the embedded sandbox. */
export interface EnvConfig {
  iamport?: IamportCredentials & { baseUrl?: string }
  bootpay?: BootpayCredentials & { baseUrl?: string }
  portone?: PortoneCredentials & { baseUrl?: string }
}

/** Every variable the CLI reads, for --help. */
export const ENV_HELP = `Environment:
  IAMPORT_API_KEY, IAMPORT_API_SECRET          iamport (PortOne V1) REST API key and secret
  BOOTPAY_APPLICATION_ID, BOOTPAY_PRIVATE_KEY  Bootpay REST application id and private key
  BOOTPAY_CLIENT_KEY, BOOTPAY_SECRET_KEY       or: Bootpay client key and secret key
  PORTONE_API_SECRET                           PortOne V2 API secret
  PORTONE_STORE_ID                             optional: the PortOne store (the secret's own if unset)
  IAMPORT_BASE_URL, BOOTPAY_BASE_URL,          optional: another API base URL (a proxy, a sandbox)
  PORTONE_BASE_URL
  NO_COLOR                                     set to anything: no colours
  With no credentials set at all, commands run against an embedded sandbox with demo data
  (iamport, Bootpay and PortOne V2).`

/**
 * Reads provider credentials. Each provider needs both variables of a pair: one without the
 * other, two Bootpay pairs at once, or a base URL without credentials is an InputError that
 * names the variables (never their values).
 */
export function envConfig(env: Io['env']): EnvConfig {
  const get = (name: string) => env[name] || undefined
  const config: EnvConfig = {}

  const iamport = pair(get, 'IAMPORT_API_KEY', 'IAMPORT_API_SECRET')
  if (iamport) config.iamport = { apiKey: iamport[0], apiSecret: iamport[1] }

  const token = pair(get, 'BOOTPAY_APPLICATION_ID', 'BOOTPAY_PRIVATE_KEY')
  const basic = pair(get, 'BOOTPAY_CLIENT_KEY', 'BOOTPAY_SECRET_KEY')
  if (token && basic) {
    throw new InputError(
      'set BOOTPAY_APPLICATION_ID and BOOTPAY_PRIVATE_KEY, or BOOTPAY_CLIENT_KEY and BOOTPAY_SECRET_KEY, not both',
    )
  }
  if (token) config.bootpay = { applicationId: token[0], privateKey: token[1] }
  if (basic) config.bootpay = { clientKey: basic[0], secretKey: basic[1] }

  const apiSecret = get('PORTONE_API_SECRET')
  const storeId = get('PORTONE_STORE_ID')
  if (storeId && !apiSecret)
    throw new InputError('PORTONE_STORE_ID is set, but PORTONE_API_SECRET is not')
  if (apiSecret) config.portone = { apiSecret, ...(storeId ? { storeId } : {}) }

  for (const provider of ['iamport', 'bootpay', 'portone'] as const) {
    const name = `${provider.toUpperCase()}_BASE_URL`
    const baseUrl = get(name)
    if (!baseUrl) continue
    const settings = config[provider]
    if (!settings) throw new InputError(`${name} is set, but no ${provider} credentials are`)
    if (!isHttpUrl(baseUrl)) throw new InputError(`${name} is not an http:// or https:// URL`)
    settings.baseUrl = baseUrl
  }
  return config
}

function pair(
  get: (name: string) => string | undefined,
  first: string,
  second: string,
): [string, string] | undefined {
  const a = get(first)
  const b = get(second)
  if (a && b) return [a, b]
  if (a || b) throw new InputError(`${a ? first : second} is set, but ${a ? second : first} is not`)
  return undefined
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value)
    return protocol === 'http:' || protocol === 'https:'
  } catch {
    return false
  }
}
