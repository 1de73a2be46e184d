import { ValidationError } from './errors'
import type { ProviderName } from './providers'

interface Field {
  field: string
  provider?: ProviderName
  operation?: string
}

// The message names the field and the broken rule, never the value.
const check = (broken: string | false, { field, provider, operation }: Field) => {
  if (broken) throw new ValidationError(`${field} ${broken}`, { field, provider, operation })
}

// The rules of any text: a string, at most maxLength UTF-16 units, well-formed Unicode (a lone
// surrogate has no UTF-8 form: percent-encoding it, for a path or a query, would throw a URIError).
const textRule = (value: unknown, maxLength: number) =>
  typeof value !== 'string'
    ? 'is not a string'
    : value.length > maxLength
      ? `is longer than ${maxLength} characters`
      : /\p{Cs}/u.test(value) && 'must be well-formed Unicode'

/**
 * A non-empty string of at most `maxLength` UTF-16 units, without control characters,
 * surrounding whitespace or a lone surrogate; else a ValidationError.
 */
export function assertIdentifier(value: unknown, options: Field & { maxLength: number }): string {
  check(
    textRule(value, options.maxLength) ||
      (!value
        ? 'is empty'
        : // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
          /[\0-\x1f\x7f-\x9f]/.test(value as string)
          ? 'contains a control character'
          : (value as string).trim() !== value && 'starts or ends with whitespace'),
    options,
  )
  return value as string
}

/**
 * A path id: an identifier (assertIdentifier) that is not, and has no, "." or ".." segment.
 * Encoding keeps any id inside its path segment, but such segments are resolved by every URL
 * parser even when percent-encoded: an id holding one can only be a mistake or an attack.
 */
export function assertPathId(value: unknown, options: Field & { maxLength: number }): string {
  const id = assertIdentifier(value, options)
  check(/(^|\/)\.\.?(\/|$)/.test(id) && 'must not contain "." or ".." segments', options)
  return id
}

/** Free text sent in a query (a reason, a name): at most `maxLength` UTF-16 units, well-formed. */
export function assertText(value: unknown, options: Field & { maxLength: number }): string {
  check(textRule(value, options.maxLength), options)
  return value as string
}

/** A list with an entry at every index (a sparse list's holes read as undefined). */
export function assertNonEmptyList<T>(value: unknown, options: Field): T[] {
  check(!Array.isArray(value) ? 'is not an array' : !value.length && 'is empty', options)
  return Array.from(value as T[])
}

/**
 * One path segment, percent-encoded so `/`, `?`, `#`, `%` and `.` stay inside it literally.
 * '', '.' and '..' are refused: URL parsers drop or resolve them (even as %2E%2E) whatever the
 * encoding, so they would change the path.
 */
export function encodePathSegment(value: string, field = 'path segment'): string {
  // Letters, digits, `_` and `-` (most ids): their own encoding, and never '', '.' or '..'.
  if (/^[\w-]+$/.test(value)) return value
  check(/^\.{0,2}$/.test(value) && 'is empty, "." or ".."', { field })
  return encodeURIComponent(value).replace(
    /[.!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/**
 * A `{name}` path template filled through encodePathSegment; createCaller's, and
 * openapi-fetch's as `createClient({ pathSerializer: serializePath })`.
 */
export const serializePath = (pathname: string, params: Record<string, unknown>): string =>
  // Split, not a replace with a callback: a third of the time. Every odd part is a name.
  pathname
    .split(/[{}]/)
    .map((part, i) => (i % 2 ? encodePathSegment(String(params[part] ?? ''), part) : part))
    .join('')
