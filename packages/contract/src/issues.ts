import type { ErrorObject } from 'ajv/dist/2020.js'
import { escapeToken, isObject } from './document'

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

export function resultOf(errors: ValidationIssue[]): ValidationResult {
  return { valid: errors.length === 0, errors }
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
