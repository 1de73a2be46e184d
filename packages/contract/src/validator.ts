import Ajv2020, { type ErrorObject } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { escapeToken, isObject, type JsonObject } from './document'

export interface ValidationIssue {
  /** JSON pointer of the failing value, e.g. `/response/0/card_type` or `/query/page`. */
  pointer: string
  message: string
  /** What the contract wants there: `{ type }`, `{ enum }`, `{ required }`, `{ properties }`… */
  expected?: unknown
}

export interface ValidationResult {
  valid: boolean
  errors: ValidationIssue[]
}

/** The key the OpenAPI document is registered under; `$ref`s resolve against it. */
const DOCUMENT = 'openapi.json'

/** Schema keywords OpenAPI 3.1 adds to JSON Schema 2020-12. All are annotations for validation:
 * `discriminator` only names the property that `oneOf`/`anyOf` already select by. */
const OPENAPI_KEYWORDS = ['discriminator', 'xml', 'externalDocs', 'example']

/**
 * An Ajv (JSON Schema 2020-12, strict) that knows the document. The whole document is registered
 * as one schema so every `$ref` resolves in place; the document's own top-level fields and its
 * `x-` extensions become annotation keywords, because Ajv's strict mode rejects unknown keywords
 * and both appear where Ajv reads schemas. `coerce` is for values that arrive as strings (path,
 * query, header, form fields): they are converted by the schema's `type`, and a single value
 * fills an array.
 *
 * Schemas are not checked against the JSON Schema meta-schema (`validateSchema: false`). For the
 * document that check covered only its root, whose fields are annotations here: the meta-schema
 * does not descend into `paths` or `components`, so it never saw the spec's schemas. Those are
 * checked where they are compiled, in strict mode: a malformed or unknown keyword, an unknown
 * format or an undeclared `required` property throws then. The other schemas Ajv compiles are the
 * wrappers this package builds. Skipping the check spares compiling the meta-schema in every Ajv,
 * the largest part of loading a spec.
 */
export function createAjv(document: JsonObject, coerce: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    strict: true,
    validateSchema: false,
    allowUnionTypes: true,
    allErrors: true,
    verbose: true,
    coerceTypes: coerce ? 'array' : false,
  })
  addFormats(ajv)
  // Ajv understands OpenAPI 3.0's `nullable`; 3.1 dropped it for `type: [T, 'null']`, so a
  // leftover must fail loudly rather than quietly allow null.
  ajv.removeKeyword('nullable')
  const keywords = new Set([...OPENAPI_KEYWORDS, ...Object.keys(document), ...extensions(document)])
  ajv.addVocabulary([...keywords].filter((keyword) => !ajv.getKeyword(keyword)))
  ajv.addSchema(document, DOCUMENT)
  return ajv
}

/** A schema that validates against the schema at `pointer` in the document. */
export function refTo(pointer: string): { $ref: string } {
  return { $ref: `${DOCUMENT}#${pointer.split('/').map(encodeURIComponent).join('/')}` }
}

function extensions(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) extensions(item, found)
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key.startsWith('x-')) found.add(key)
      extensions(child, found)
    }
  }
  return found
}

/** Turns Ajv's errors into issues whose pointers lead to the value to fix. */
export function issuesOf(errors: readonly ErrorObject[], prefix: string): ValidationIssue[] {
  return unique(errors.map((error) => issueOf(error, prefix)))
}

/** Drops repeated issues: `allOf` branches often require the same property. */
export function unique(issues: ValidationIssue[]): ValidationIssue[] {
  return [...new Map(issues.map((issue) => [`${issue.pointer} ${issue.message}`, issue])).values()]
}

export function issueOf(error: ErrorObject, prefix: string): ValidationIssue {
  const { params, schema, parentSchema, propertyName } = error
  // a failure inside `propertyNames` is about a name of the object at instancePath
  const name = propertyName ?? (error.keyword === 'propertyNames' ? params.propertyName : undefined)
  const at = `${prefix}${error.instancePath}${name === undefined ? '' : `/${escapeToken(name)}`}`
  switch (error.keyword) {
    case 'required':
      return {
        pointer: `${at}/${escapeToken(params.missingProperty)}`,
        message: 'is required but missing',
        expected: { required: schema },
      }
    case 'additionalProperties':
      return {
        pointer: `${at}/${escapeToken(params.additionalProperty)}`,
        message: 'is not documented here',
        expected: { properties: Object.keys(parentSchema?.properties ?? {}) },
      }
    case 'unevaluatedProperties':
      return {
        pointer: `${at}/${escapeToken(params.unevaluatedProperty)}`,
        message: 'is not documented here',
      }
    case 'type':
      return {
        pointer: at,
        message: `must be ${[schema].flat().join(' or ')}`,
        expected: { type: schema },
      }
    case 'not':
      return { pointer: at, message: 'must not match this schema', expected: { not: schema } }
    case 'oneOf':
    case 'anyOf':
      return {
        pointer: at,
        message: error.message ?? error.keyword,
        expected: { [error.keyword]: (schema as unknown[]).map(schemaName) },
      }
    default:
      return {
        pointer: at,
        message: error.message ?? error.keyword,
        ...(isObject(schema) ? {} : { expected: { [error.keyword]: schema } }),
      }
  }
}

/** A short name for a subschema in messages: its `$ref` target, `title` or `type`. */
function schemaName(schema: unknown): unknown {
  if (!isObject(schema)) return schema
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop()
  return schema.title ?? schema.type ?? 'schema'
}

/** One line per issue: `<pointer>: <message> (expected …)`; the document root prints as `/`. */
export function formatErrors(result: ValidationResult): string {
  return result.errors
    .map(({ pointer, message, expected }) => {
      const shape = isObject(expected)
        ? ` (expected ${Object.entries(expected)
            .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
            .join(', ')})`
        : ''
      return `${pointer || '/'}: ${message}${shape}`
    })
    .join('\n')
}
