export const REDACTED = '[REDACTED]'

// Credentials, tokens and card/identity fields of both providers' requests and responses.
const KEYS =
  'authorization|x-imptokenheader|(set-)?cookie|imp_(key|secret)|(private|secret|client)_key|(access_)?token|password|card_(number|no|pw|expire_year|expire_month)|expiry|birth|pwd_2digit|cvc|(card_|cash_receipt_)?identity_no|bank_account'

const SECRET_KEY = new RegExp(`^(${KEYS})$`, 'i')

// `key=value` (forms, queries), `"key":"value"` (JSON text) and `Key: value` (headers); a
// header's scheme word goes with its value so `Bearer <token>` is hidden whole.
const SECRET_PAIR = new RegExp(
  `((${KEYS})"?\\s*[:=]\\s*)("[^"]*"?|((bearer|basic)\\s+)?[^\\s&,;}"]*)`,
  'gi',
)

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key)

export const redactText = (text: string): string => text.replace(SECRET_PAIR, `$1${REDACTED}`)

/**
 * A JSON-shaped copy with every secret key's value replaced and secret pairs inside strings
 * hidden. It is for display: Dates become strings, and a value JSON cannot hold (a cycle, a
 * BigInt) becomes '[Unserializable]'.
 */
export function redact<T>(value: T): T {
  try {
    return value === undefined
      ? value
      : JSON.parse(
          JSON.stringify(value, (key, item) =>
            isSecretKey(key) ? REDACTED : typeof item === 'string' ? redactText(item) : item,
          ),
        )
  } catch {
    return '[Unserializable]' as T
  }
}

export const redactHeaders = (headers: HeadersInit): Record<string, string> =>
  redact(Object.fromEntries(new Headers(headers)))
