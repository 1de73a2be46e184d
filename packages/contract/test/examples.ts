import { deref, escapeToken, isObject } from '../src/document'

/** An example written in a spec, with the pointer of the schema it illustrates. */
export interface Example {
  /** Where the example is written, e.g. `/components/schemas/Key/properties/inserted/examples/0`. */
  at: string
  schema: string
  value: unknown
}

/** Keywords whose value is a subschema, a list of them or a map of them. */
const ONE = [
  'additionalProperties',
  'items',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
]
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems']
const MAP = ['properties', 'patternProperties', '$defs', 'dependentSchemas']

/**
 * The schemas of a document (every `schema` of a media type, parameter or header, and every
 * component schema) and every example in it: `example`/`examples` beside those schemas (each
 * named example resolved to its Example Object's `value`), and `example`/`examples` inside every
 * schema and subschema, each paired with the schema it must validate against.
 */
export function schemasAndExamples(document: unknown): { schemas: string[]; examples: Example[] } {
  const schemas: string[] = []
  const examples: Example[] = []

  function schema(value: unknown, at: string): void {
    if (!isObject(value)) return
    if ('example' in value) examples.push({ at: `${at}/example`, schema: at, value: value.example })
    if (Array.isArray(value.examples)) {
      for (const [index, example] of value.examples.entries()) {
        examples.push({ at: `${at}/examples/${index}`, schema: at, value: example })
      }
    }
    for (const key of ONE) schema(value[key], `${at}/${key}`)
    for (const key of LIST) {
      const list = value[key]
      if (Array.isArray(list))
        for (const [index, item] of list.entries()) schema(item, `${at}/${key}/${index}`)
    }
    for (const key of MAP) {
      const map = value[key]
      if (isObject(map)) {
        for (const [name, item] of Object.entries(map))
          schema(item, `${at}/${key}/${escapeToken(name)}`)
      }
    }
  }

  /** Finds the objects that hold a `schema`: media types, parameters and headers. */
  function walk(value: unknown, at: string): void {
    if (Array.isArray(value))
      for (const [index, item] of value.entries()) walk(item, `${at}/${index}`)
    if (!isObject(value)) return
    if ('schema' in value) {
      const schemaAt = `${at}/schema`
      schemas.push(schemaAt)
      if ('example' in value)
        examples.push({ at: `${at}/example`, schema: schemaAt, value: value.example })
      if (isObject(value.examples)) {
        for (const [name, entry] of Object.entries(value.examples)) {
          const example = deref(document, {
            value: entry,
            pointer: `${at}/examples/${escapeToken(name)}`,
          })
          if ('value' in example.value) {
            examples.push({
              at: `${example.pointer}/value`,
              schema: schemaAt,
              value: example.value.value,
            })
          }
        }
      }
      schema(value.schema, schemaAt)
    }
    for (const [key, child] of Object.entries(value)) {
      // schemas are read by `schema`; a named example counts where a media type uses it
      const skip =
        key === 'schema' || key === 'examples' || (at === '/components' && key === 'schemas')
      if (!skip) walk(child, `${at}/${escapeToken(key)}`)
    }
  }

  walk(document, '')
  const components = isObject(document) && isObject(document.components) ? document.components : {}
  for (const [name, value] of Object.entries(
    isObject(components.schemas) ? components.schemas : {},
  )) {
    const at = `/components/schemas/${escapeToken(name)}`
    schemas.push(at)
    schema(value, at)
  }
  return { schemas, examples }
}
