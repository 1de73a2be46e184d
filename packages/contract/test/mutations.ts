import fc from 'fast-check'
import {
  deref,
  escapeToken,
  isObject,
  type JsonObject,
  type Located,
  valueAt,
} from '../src/document'
import type { Spec, ValidationResult } from '../src/index'

/** A value in a fixture body that the schema constrains: a place to break it. */
export interface Site {
  /** JSON pointer within the body. */
  pointer: string
  /** The JSON types the schema allows there; empty when it names none. */
  types: string[]
  /** Whether the parent object's schema requires the property. */
  required: boolean
}

function pathItemAt(spec: Spec, operationId: string): Located {
  const at = `/paths/${escapeToken(spec.operation(operationId).path)}`
  return deref(spec.document, { value: valueAt(spec.document, at), pointer: at })
}

function operationAt(spec: Spec, operationId: string): Located {
  const { method } = spec.operation(operationId)
  const item = pathItemAt(spec, operationId)
  return { value: item.value[method] as JsonObject, pointer: `${item.pointer}/${method}` }
}

function jsonSchemaOf(holder: Located): string | undefined {
  const content = isObject(holder.value.content) ? holder.value.content : {}
  const type = Object.keys(content).find((t) => t.endsWith('json'))
  return type === undefined ? undefined : `${holder.pointer}/content/${escapeToken(type)}/schema`
}

/** The pointer of the JSON schema that documents `status` for the operation. */
export function responseSchema(spec: Spec, operationId: string, status: number) {
  const key = spec.responseKey(operationId, status)
  if (key === undefined) return undefined
  const operation = operationAt(spec, operationId)
  const responses = operation.value.responses as JsonObject
  const pointer = `${operation.pointer}/responses/${escapeToken(key)}`
  return jsonSchemaOf(deref(spec.document, { value: responses[key], pointer }))
}

/** The pointer of the JSON schema of the operation's request body. */
export function requestSchema(spec: Spec, operationId: string) {
  const operation = operationAt(spec, operationId)
  const { requestBody } = operation.value
  if (requestBody === undefined) return undefined
  return jsonSchemaOf(
    deref(spec.document, { value: requestBody, pointer: `${operation.pointer}/requestBody` }),
  )
}

/** The operation's query parameters with the types their schemas allow. */
export function queryParameters(spec: Spec, operationId: string) {
  const lists = [pathItemAt(spec, operationId), operationAt(spec, operationId)]
  return lists
    .map((holder) => holder.value.parameters)
    .flatMap((list) => (Array.isArray(list) ? list : []))
    .map((value) => deref(spec.document, { value, pointer: '' }).value)
    .filter((parameter) => parameter.in === 'query')
    .map((parameter) => ({
      name: String(parameter.name),
      required: parameter.required === true,
      types: typesOf(spec.document, parameter.schema),
    }))
}

function resolve(document: unknown, pointer: string): string {
  const schema = valueAt(document, pointer)
  if (!isObject(schema) || typeof schema.$ref !== 'string') return pointer
  return resolve(document, decodeURIComponent(schema.$ref.slice(1)))
}

function typesOf(document: unknown, schema: unknown): string[] {
  const resolved =
    isObject(schema) && typeof schema.$ref === 'string'
      ? valueAt(document, resolve(document, decodeURIComponent(schema.$ref.slice(1))))
      : schema
  const type = isObject(resolved) ? resolved.type : undefined
  return type === undefined ? [] : [type].flat().map(String)
}

/**
 * Every constrained value of `value` under the schema at `schemaPointer`, the root included. It
 * descends through `$ref`, `allOf`, the one `oneOf`/`anyOf` branch the value matches, object
 * properties and the first array item.
 */
export function sitesOf(spec: Spec, schemaPointer: string, value: unknown): Site[] {
  const root = { pointer: '', types: typesOf(spec.document, { $ref: `#${schemaPointer}` }) }
  const sites = new Map<string, Site>()
  // `allOf` branches can each constrain the same value: merge them into one site
  for (const site of [{ ...root, required: false }, ...below(spec, schemaPointer, value, '')]) {
    const seen = sites.get(site.pointer)
    sites.set(site.pointer, {
      pointer: site.pointer,
      types: seen?.types.length ? seen.types : site.types,
      required: site.required || seen?.required === true,
    })
  }
  return [...sites.values()]
}

function below(spec: Spec, schemaPointer: string, value: unknown, at: string): Site[] {
  const document = spec.document
  const pointer = resolve(document, schemaPointer)
  const schema = valueAt(document, pointer) as JsonObject
  const sites: Site[] = []
  const branches = (key: string) =>
    Array.isArray(schema[key]) ? schema[key].map((_, i) => `${pointer}/${key}/${i}`) : []
  for (const branch of branches('allOf')) sites.push(...below(spec, branch, value, at))
  for (const key of ['oneOf', 'anyOf']) {
    const matching = branches(key).filter((branch) => spec.validate(branch, value).valid)
    if (matching.length === 1) sites.push(...below(spec, matching[0] as string, value, at))
  }
  if (isObject(value) && isObject(schema.properties)) {
    const required = Array.isArray(schema.required) ? schema.required : []
    for (const [name, child] of Object.entries(value)) {
      if (!(name in schema.properties)) continue
      const childSchema = `${pointer}/properties/${escapeToken(name)}`
      const childAt = `${at}/${escapeToken(name)}`
      const types = typesOf(document, schema.properties[name])
      sites.push({ pointer: childAt, types, required: required.includes(name) })
      sites.push(...below(spec, childSchema, child, childAt))
    }
  }
  if (Array.isArray(value) && value.length > 0 && schema.items !== undefined) {
    const types = typesOf(document, schema.items)
    sites.push({ pointer: `${at}/0`, types, required: false })
    sites.push(...below(spec, `${pointer}/items`, value[0], `${at}/0`))
  }
  return sites
}

function tokens(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

export function valueIn(root: unknown, pointer: string): unknown {
  return tokens(pointer).reduce((node, token) => (node as JsonObject)[token], root)
}

/** A copy of `root` with the value at `pointer` replaced, or removed when `value` is undefined. */
export function withValue(root: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value
  const copy = structuredClone(root)
  const cut = pointer.lastIndexOf('/')
  const parent = valueIn(copy, pointer.slice(0, cut)) as JsonObject
  const last = tokens(pointer.slice(cut))[0] as string
  if (value === undefined) delete parent[last]
  else parent[last] = value
  return copy
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/** Any JSON value whose type the schema's `type` does not allow. */
export function wrongValue(types: string[]): fc.Arbitrary<unknown> {
  const allowed = (value: unknown) => {
    const type = jsonType(value)
    return types.includes(type) || (type === 'integer' && types.includes('number'))
  }
  return fc.jsonValue({ maxDepth: 2 }).filter((value) => !allowed(value))
}

/** Why a broken copy was not rejected where it was broken, or undefined when it was. */
export function missedAt(result: ValidationResult, pointer: string): string | undefined {
  if (result.valid) return `${pointer || '/'}: accepted`
  const pointers = result.errors.map((e) => e.pointer)
  return pointers.includes(pointer) ? undefined : `${pointer}: rejected only at ${pointers}`
}
