export const REDACTED = '[REDACTED]'

// Credentials, tokens and card/identity fields of both providers' requests and responses, matched
// anywhere in a key (x-imptokenheader, imp_secret, card_pw, cash_receipt_identity_no …), in any
// case style (`private_key`, `privateKey`, `Private-Key`): hiding a harmless field is cheap,
// missing a secret one is not. `_` marks where a name may have a separator.
const WORDS = [
  'authorization',
  'cookie',
  'token',
  'secret',
  'password',
  'imp_key',
  'private_key',
  'client_key',
  'card',
  'expiry',
  'birth',
  'pwd',
  'cvc',
  'identity_no',
  'bank_account',
]

// Keys are compared with their separators removed, so one word covers every case style.
const SECRET_KEY = new RegExp(WORDS.join('|').replaceAll('_', ''), 'i')
const SEPARATORS = /[\W_]/g

// `key=value` (forms, queries), `"key":"value"` (JSON text) and `Key: value` (headers); a
// header's scheme word goes with its value so `Bearer <token>` is hidden whole. The key's tail is
// bounded so that a long run of word characters (a base64 blob in an error page) stays linear.
const SECRET_PAIR = new RegExp(
  `((${WORDS.join('|').replaceAll('_', '[_-]?')})[\\w-]{0,32}"?\\s*[:=]\\s*)("[^"]*"?|((bearer|basic)\\s+)?[^\\s&,;}"]*)`,
  'gi',
)

// An Authorization value anywhere, with no key before it (fetch's "Headers.set: "Bearer …" is an
// invalid header value").
const CREDENTIAL = /\b(bearer|basic)\s+[\w~+/.=-]+/gi

export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key.replace(SEPARATORS, ''))

/**
 * Secret values some client holds right now (credentials, the current token, the card data of a
 * request in flight), with how many holders each has. Process-wide because errors and log lines
 * are built in places that do not know their client (the transport, errorFromResponse).
 */
const known = new Map<string, number>()

// Shorter values (a 2-digit password, a CVC) would hide unrelated digits everywhere: those are
// left to redaction by name.
const MIN_SECRET_LENGTH = 6

/** A value as it appears raw, inside JSON text and inside a URL. */
const spellings = (value: string) => [
  ...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]),
]

/**
 * A client's own secret values, hidden by value wherever they appear in an error (message,
 * stack, body, cause) or a log line, from `add` until `delete` or `clear`: a server that quotes
 * them in its message text, or a runtime error that quotes a header, shows `[REDACTED]`.
 */
export class Redactor {
  #values = new Set<string>()

  /** Strings shorter than 6 characters, and anything not a string, are ignored. */
  add(value: unknown): this {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || this.#values.has(value))
      return this
    this.#values.add(value)
    for (const spelling of spellings(value)) known.set(spelling, (known.get(spelling) ?? 0) + 1)
    return this
  }

  /** Adds the value of every secret-named field (card_number, privateKey …) at any depth. */
  addSecretFields(value: unknown): this {
    try {
      JSON.stringify(value, (key, item) => {
        if (isSecretKey(key)) this.add(typeof item === 'number' ? String(item) : item)
        return item
      })
    } catch {} // a cycle or a BigInt: the fields seen so far are added
    return this
  }

  delete(value: string): void {
    if (!this.#values.delete(value)) return
    for (const spelling of spellings(value)) {
      const holders = (known.get(spelling) ?? 1) - 1
      if (holders) known.set(spelling, holders)
      else known.delete(spelling)
    }
  }

  clear(): void {
    for (const value of this.#values) this.delete(value)
  }
}

/** `run()`, with the secret-named fields of `sent` (a request's card data) hidden meanwhile. */
export async function withSecretsOf<T>(sent: unknown, run: () => Promise<T>): Promise<T> {
  const redactor = new Redactor().addSecretFields(sent)
  try {
    return await run()
  } finally {
    redactor.clear()
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
 * An error's cause as it was thrown, unless its message, stack or fields would show a secret:
 * then a copy of the same name with those redacted, its own cause in turn.
 */
export function redactCause(cause: unknown, depth = 0): unknown {
  if (depth > 8) return undefined // a cycle, or a chain too deep to be worth showing
  if (typeof cause === 'string') return redactText(cause)
  if (!(cause instanceof Error)) return cause
  const inner = redactCause(cause.cause, depth + 1)
  const message = redactText(cause.message)
  const stack = cause.stack && redactText(cause.stack)
  const fields = { ...cause }
  const safeFields = redact(fields)
  if (
    inner === cause.cause &&
    message === cause.message &&
    stack === cause.stack &&
    sameJson(safeFields, fields)
  )
    return cause
  const copy = new Error(message, inner === undefined ? undefined : { cause: inner })
  if (typeof safeFields === 'object') Object.assign(copy, safeFields)
  copy.name = cause.name
  copy.stack = stack
  return copy
}

function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b)
  } catch {
    return false
  }
}

export const redactHeaders = (headers: HeadersInit): Record<string, string> =>
  redact(Object.fromEntries(new Headers(headers)))
