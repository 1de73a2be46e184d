export const REDACTED = '[REDACTED]'

// Credentials, tokens and card/identity fields of both providers' requests and responses.
const KEYS =
  'authorization|x-imptokenheader|(?:set-)?cookie|imp_key|imp_secret|private_key|secret_key|client_key|access_token|token|password|card_number|card_no|card_pw|card_expire_(?:year|month)|expiry|birth|pwd_2digit|cvc|(?:card_|cash_receipt_)?identity_no|bank_account'

const SECRET_KEY = new RegExp(`^(?:${KEYS})$`, 'i')

// `key=value` (forms, queries), `"key":"value"` (JSON text) and `Key: value` (headers); a
// header's scheme word travels with its value so `Bearer <token>` is hidden whole.
const SECRET_PAIR = new RegExp(
  `(${KEYS})("?\\s*[:=]\\s*)("[^"]*"?|(?:(?:bearer|basic)\\s+)?[^\\s&,;}"]*)`,
  'gi',
)

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key)

export const redactText = (text: string): string => text.replace(SECRET_PAIR, `$1$2${REDACTED}`)

/** A deep copy with every secret key's value replaced and secret pairs inside strings hidden. */
export function redact<T>(value: T, seen = new Set<object>()): T {
  if (typeof value === 'string') return redactText(value) as T
  if (!value || typeof value !== 'object') return value
  if (seen.has(value)) return '[Circular]' as T
  seen.add(value)
  const out: Record<string, unknown> = Array.isArray(value) ? ([] as never) : {}
  for (const [key, item] of Object.entries(value))
    out[key] = isSecretKey(key) ? REDACTED : redact(item, seen)
  seen.delete(value)
  return out as T
}

export const redactHeaders = (headers: HeadersInit): Record<string, string> =>
  redact(Object.fromEntries(new Headers(headers)))
