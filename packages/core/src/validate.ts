import { type ProviderName, ValidationError } from './errors'

interface Field {
  field: string
  provider?: ProviderName
  operation?: string
}

const fail = (rule: string, { field, provider, operation }: Field): never => {
  throw new ValidationError(`${field} ${rule}`, { field, provider, operation })
}

/**
 * A non-empty string of at most `maxLength` UTF-16 units, without control characters or
 * surrounding whitespace; else a ValidationError naming the field and the rule (never the value).
 */
export function assertIdentifier(value: unknown, options: Field & { maxLength: number }): string {
  if (typeof value !== 'string') return fail('must be a string', options)
  if (!value) fail('must not be empty', options)
  if (value.length > options.maxLength)
    fail(`must be at most ${options.maxLength} characters`, options)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  if (/[\0-\x1f\x7f-\x9f]/.test(value)) fail('must not contain control characters', options)
  if (value.trim() !== value) fail('must not start or end with whitespace', options)
  return value
}

export function assertNonEmptyList<T>(value: unknown, options: Field & { max?: number }): T[] {
  if (!Array.isArray(value)) return fail('must be an array', options)
  if (!value.length) fail('must not be empty', options)
  if (options.max !== undefined && value.length > options.max)
    fail(`must have at most ${options.max} items`, options)
  return value
}

/**
 * One path segment, percent-encoded so `/`, `?`, `#`, `%` and `.` stay inside it literally.
 * '', '.' and '..' are refused: URL parsers drop or resolve them (even as %2E%2E) whatever the
 * encoding, so they would change the path.
 */
export function encodePathSegment(value: string, field = 'path segment'): string {
  if (/^\.{0,2}$/.test(value)) fail('must not be empty, "." or ".."', { field })
  return encodeURIComponent(value).replace(
    /[.!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/**
 * openapi-fetch's `pathSerializer` built on encodePathSegment:
 * `createClient({ pathSerializer: serializePath })`.
 */
export const serializePath = (pathname: string, params: Record<string, unknown>): string =>
  pathname.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodePathSegment(String(params[name] ?? ''), name),
  )
