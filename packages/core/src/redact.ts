export const REDACTED = '[REDACTED]'

// Credentials, tokens and card/identity fields of both providers' requests and responses, matched
// anywhere in a key (x-imptokenheader, imp_secret, card_pw, cash_receipt_identity_no …): hiding
// a harmless field is cheap, missing a secret one is not.
const SECRETS =
  'authorization|cookie|token|secret|password|imp_key|private_key|client_key|card_|expiry|birth|pwd|cvc|identity_no|bank_account'

const SECRET_KEY = new RegExp(SECRETS, 'i')

// `key=value` (forms, queries), `"key":"value"` (JSON text) and `Key: value` (headers); a
// header's scheme word goes with its value so `Bearer <token>` is hidden whole. The key's tail is
// bounded so that a long run of word characters (a base64 blob in an error page) stays linear.
const SECRET_PAIR = new RegExp(
  `((${SECRETS})[\\w-]{0,32}"?\\s*[:=]\\s*)("[^"]*"?|((bearer|basic)\\s+)?[^\\s&,;}"]*)`,
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

// What `new Headers()` accepts, named without the DOM-only `HeadersInit` so Node projects compile.
type HeadersInput = ConstructorParameters<typeof Headers>[0]

export const redactHeaders = (headers: HeadersInput): Record<string, string> =>
  redact(Object.fromEntries(new Headers(headers)))
