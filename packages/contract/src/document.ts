import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export type ProviderName = 'iamport' | 'bootpay' | 'portone'

export const providerNames: readonly ProviderName[] = ['iamport', 'bootpay', 'portone']

export type JsonObject = Record<string, unknown>

/** A value of the document together with the JSON pointer it was found at. */
export interface Located<T = JsonObject> {
  value: T
  pointer: string
}

/**
 * The JSON copy of `specs/<provider>/openapi.yaml` that the build writes to the package's `specs/`
 * folder. `src/` and `dist/` sit at the same depth, so the path holds for the sources under test
 * and for both builds (tsup's shims give the CJS build an `import.meta.url`).
 */
export function providerSpecPath(provider: ProviderName): string {
  return fileURLToPath(new URL(`../specs/${provider}.json`, import.meta.url))
}

/**
 * Reads a YAML or JSON file and names the file in any error. A `.json` file skips the YAML parser,
 * which is a hundred times slower on a spec of this size.
 */
export function readDocument(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new Error(`Cannot read the OpenAPI document ${file}: ${(error as Error).message}`)
  }
  try {
    return file.endsWith('.json') ? JSON.parse(text) : parse(text)
  } catch (error) {
    throw new Error(`${file} is not valid YAML or JSON: ${(error as Error).message}`)
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function escapeToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1')
}

function unescapeToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~')
}

/** The value at a JSON pointer (`/components/schemas/Customer`); throws when nothing is there. */
export function valueAt(document: unknown, pointer: string): unknown {
  let value = document
  for (const token of pointer.split('/').slice(1).map(unescapeToken)) {
    value = isObject(value) || Array.isArray(value) ? (value as JsonObject)[token] : undefined
    if (value === undefined) throw new Error(`Nothing at ${pointer} in the OpenAPI document`)
  }
  return value
}

/**
 * Follows Reference Objects (`$ref: '#/components/…'`) to the object they name. References to
 * other files are refused: the packaged specs are single documents, and a user's split spec can be
 * joined with `redocly bundle` first.
 */
export function deref(document: unknown, start: Located<unknown>): Located {
  const seen = new Set<string>()
  let current = start
  while (isObject(current.value) && typeof current.value.$ref === 'string') {
    const ref = current.value.$ref
    if (!ref.startsWith('#')) {
      throw new Error(
        `$ref "${ref}" at ${current.pointer} points outside the document; bundle it first (redocly bundle)`,
      )
    }
    const pointer = decodeURIComponent(ref.slice(1))
    if (seen.has(pointer)) throw new Error(`$ref cycle at ${current.pointer}`)
    seen.add(pointer)
    current = { value: valueAt(document, pointer), pointer }
  }
  if (!isObject(current.value)) throw new Error(`Expected an object at ${current.pointer}`)
  return current as Located
}
