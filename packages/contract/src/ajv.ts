import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { isObject, type JsonObject } from './document'

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
