export const REDACTED = '[REDACTED]'

// Credentials, tokens and card/identity fields of both providers' requests and responses, matched
// anywhere in a key (x-imptokenheader, imp_secret, card_pw, cash_receipt_identity_no …), in any
// case style (`private_key`, `privateKey`, `Private-Key`): hiding a harmless field is cheap,
// missing a secret one is not. `_` marks where a name may have a separator.
const WORDS =
  'authorization|cookie|token|secret|password|imp_key|private_key|client_key|card|expiry|birth|pwd|cvc|identity_no|bank_account'

// Keys are compared with their separators removed, so one word covers every case style.
const SECRET_KEY = new RegExp(WORDS.replaceAll('_', ''), 'i')
const SEPARATORS = /[\W_]/g

// `key=value` (forms, queries), `"key":"value"` (JSON text) and `Key: value` (headers); a
// header's scheme word goes with its value so `Bearer <token>` is hidden whole. The key's tail is
// bounded so that a long run of word characters (a base64 blob in an error page) stays linear.
const SECRET_PAIR = new RegExp(
  `((${WORDS.replaceAll('_', '[_-]?')})[\\w-]{0,32}"?\\s*[:=]\\s*)("[^"]*"?|((bearer|basic)\\s+)?[^\\s&,;}"]*)`,
  'gi',
)

// An Authorization value anywhere, with no key before it (fetch's "Headers.set: "Bearer …" is an
// invalid header value").
const CREDENTIAL = /\b(bearer|basic)\s+[\w~+/.=-]+/gi

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key.replace(SEPARATORS, ''))

/**
 * Secret values some client holds right now (credentials, the current token, the card data of a
 * call in flight), each with how many holders it has. Process-wide because errors and log lines
 * are built in places that do not know their client (the transport, errorFromResponse).
 */
const known = new Map<string, number>()

/**
 * Hides these values wherever they appear in an error (message, stack, body, cause) or a log
 * line, until the returned function is called: a server that quotes them in its message text, or
 * a runtime error quoting a header, shows `[REDACTED]`. Anything but a string of 6 or more
 * characters is ignored (a 2-digit password would hide unrelated digits everywhere: short ones
 * are left to redaction by name).
 */
export function hideValues(values: readonly unknown[]): () => void {
  const hidden = values.filter((value) => typeof value === 'string' && value.length > 5) as string[]
  for (const value of hidden) known.set(value, (known.get(value) ?? 0) + 1)
  return () => {
    for (const value of hidden.splice(0)) {
      const holders = (known.get(value) ?? 1) - 1
      if (holders) known.set(value, holders)
      else known.delete(value)
    }
  }
}

/** `run()`, with the values of the secret-named fields of `sent` (its card data) hidden meanwhile. */
export async function withSecretsOf<T>(sent: unknown, run: () => Promise<T>): Promise<T> {
  const values: unknown[] = []
  try {
    JSON.stringify(sent, (key, item) => {
      if (isSecretKey(key)) values.push(item)
      return item
    })
  } catch {} // a cycle or a BigInt: the fields seen so far are hidden
  const unhide = hideValues(values)
  try {
    return await run()
  } finally {
    unhide()
  }
}

export function redactText(text: string): string {
  let safe = text.replace(SECRET_PAIR, `$1${REDACTED}`).replace(CREDENTIAL, `$1 ${REDACTED}`)
  for (const value of known.keys())
    if (safe.includes(value)) safe = safe.replaceAll(value, REDACTED)
  return safe
}

/**
 * A JSON-shaped copy with every secret key's value replaced and secrets inside strings hidden.
 * It is for display: Dates become strings, and a value JSON cannot hold (a cycle, a BigInt)
 * becomes '[Unserializable]'.
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

/**
 * An error's cause as it was thrown, unless its message or stack (or its own cause's) would show
 * a secret: then a copy of the same name, with those and its fields redacted.
 */
export function redactCause(cause: unknown, depth = 0): unknown {
  if (!(cause instanceof Error)) return typeof cause === 'string' ? redactText(cause) : cause
  // Past 8 levels (a cycle), the rest of the chain is dropped.
  const inner = depth < 8 ? redactCause(cause.cause, depth + 1) : undefined
  const { name, message, stack = '' } = cause
  if (inner === cause.cause && redactText(message + stack) === message + stack) return cause
  const fields = redact({ ...cause })
  const copy = Object.assign(
    new Error(redactText(message), inner === undefined ? undefined : { cause: inner }),
    typeof fields === 'object' && fields,
  )
  copy.name = name
  copy.stack = redactText(stack)
  return copy
}

// What `new Headers()` accepts, named without the DOM-only `HeadersInit` so Node projects compile.
type HeadersInput = ConstructorParameters<typeof Headers>[0]

export const redactHeaders = (headers: HeadersInput): Record<string, string> =>
  redact(Object.fromEntries(new Headers(headers)))
