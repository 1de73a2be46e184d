import { ValidationError } from './errors'
import type { ProviderClientBase } from './provider'
import type { ProviderName } from './providers'

interface Field {
  field: string
  provider?: ProviderName
  operation?: string
}

/**
 * `provider`'s input failure: `fail(field, rule, operation?)` throws a ValidationError whose
 * message names the field and the broken rule, never the value.
 */
export const failFor =
  (provider?: ProviderName) => (field: string, rule: string, operation?: string) =>
    check(rule, { field, provider, operation }) as never

// Throws the rule `broken` names, unless it is false (so `failFor`'s fail never returns): the
// message names the field and the rule, never the value.
const check = (broken: string | false, { field, provider, operation }: Field) => {
  if (broken !== false)
    throw new ValidationError(`${field} ${broken}`, { field, provider, operation })
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

/** An amount of money: a finite number above 0 (0 or more with `zero`); else a ValidationError. */
export function assertAmount(value: unknown, options: Field & { zero?: boolean }): number {
  const { zero } = options
  check(
    !(typeof value === 'number' && Number.isFinite(value) && (zero ? value >= 0 : value > 0)) &&
      (zero ? 'must be a finite number, 0 or more' : 'must be a positive finite number'),
    options,
  )
  return value as number
}

/**
 * A request's pass-through fields (the provider's own, not checked one by one): each number
 * finite, each string text (assertText) of at most 10 000 UTF-16 units.
 */
export function assertFields(fields: object, options: Omit<Field, 'field'>): void {
  for (const [field, value] of Object.entries(fields)) {
    check(typeof value === 'number' && !Number.isFinite(value) && 'must be a finite number', {
      ...options,
      field,
    })
    if (typeof value === 'string') assertText(value, { ...options, field, maxLength: 10_000 })
  }
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

/**
 * openapi-fetch's `createClient` options for a provider client's `/api` entry: the client's
 * `baseUrl` and `fetch`, and `serializePath`, so an id stays inside its path segment.
 */
export const openapiOptions = ({ baseUrl, fetch }: ProviderClientBase) => ({
  baseUrl,
  fetch,
  pathSerializer: serializePath,
})
