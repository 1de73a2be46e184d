// Compares a hand-written spec with the provider's official OpenAPI document: everything ours
// declares (paths, parameters, request and response fields, enum values, error types) must exist
// upstream with a compatible type. A place marked `x-upstream-difference` differs on purpose: it is
// listed with its reason instead, and flagged as stale once upstream agrees with it.
import { isObject, type JsonObject, valueAt } from '../src/document'

export interface KnownDifference {
  /** Where in our spec, e.g. `POST /payments/{paymentId}/billing-key header Idempotency-Key`. */
  at: string
  /** The spec's `x-upstream-difference` text. */
  why: string
  /** Upstream now has it as ours does: the marker can go. */
  stale: boolean
}

export interface UpstreamComparison {
  /** One line per path, parameter, field or value of ours that upstream lacks or types otherwise. */
  problems: string[]
  known: KnownDifference[]
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace']
const DIFFERENCE = 'x-upstream-difference'

type Schema = JsonObject

export function compareWithUpstream(ours: unknown, upstream: unknown): UpstreamComparison {
  const problems: string[] = []
  const known: KnownDifference[] = []
  const resolve = (document: unknown, node: unknown): Schema => {
    let value = node
    for (let hops = 0; isObject(value) && typeof value.$ref === 'string'; hops++) {
      if (hops > 50) throw new Error(`$ref cycle at ${value.$ref}`)
      value = valueAt(document, decodeURIComponent(value.$ref.slice(1)))
    }
    return isObject(value) ? value : {}
  }
  const mine = (node: unknown) => resolve(ours, node)
  const theirs = (node: unknown) => resolve(upstream, node)

  /** Runs `check` into its own list; a marked place records the difference instead. */
  function guarded(raw: unknown, at: string, report: string[], check: (out: string[]) => void) {
    const why = differenceOf(raw) ?? differenceOf(mine(raw))
    if (why === undefined) return check(report)
    const found: string[] = []
    check(found)
    known.push({ at, why, stale: found.length === 0 })
  }

  function compareSchema(ourRaw: unknown, theirRaw: unknown, at: string, out: string[]) {
    const our = flatten(ours, mine(ourRaw))
    const alternatives = our.oneOf ?? our.anyOf
    if (!Array.isArray(alternatives)) return compareAlternative(ourRaw, theirRaw, at, out)
    guarded(ourRaw, at, out, (report) => {
      for (const alternative of alternatives) compareAlternative(alternative, theirRaw, at, report)
    })
  }

  /** One schema of ours (a union's branch, or a plain schema) against upstream's, through
   * upstream's discriminated union when it has one: the branch our discriminator value names. */
  function compareAlternative(ourRaw: unknown, theirRaw: unknown, at: string, out: string[]) {
    const their = flatten(upstream, theirs(theirRaw))
    const branches = their.oneOf ?? their.anyOf
    const property = isObject(their.discriminator) ? String(their.discriminator.propertyName) : ''
    const values = Array.isArray(branches)
      ? discriminatorValues(flatten(ours, mine(ourRaw)), property)
      : []
    const label = values.length > 0 ? `${at}[${property}=${values.join('|')}]` : at
    guarded(ourRaw, label, out, (report) => {
      if (!Array.isArray(branches)) return compareObject(ourRaw, their, label, report)
      // ours names no branch: it must fit every one
      if (values.length === 0) {
        for (const [index, branch] of branches.entries())
          compareObject(ourRaw, flatten(upstream, theirs(branch)), `${at}[${index}]`, report)
      }
      for (const value of values) {
        const branch = mappingOf(their)[value]
        if (branch === undefined)
          report.push(`${label}: no such ${property} upstream (it has ${keysOf(mappingOf(their))})`)
        else compareObject(ourRaw, flatten(upstream, theirs({ $ref: branch })), label, report)
      }
    })
  }

  function compareObject(ourRaw: unknown, their: Schema, at: string, out: string[]) {
    const our = flatten(ours, mine(ourRaw))
    if (Array.isArray(our.oneOf ?? our.anyOf)) return compareSchema(ourRaw, their, at, out)
    const ourTypes = typesOf(our)
    const theirTypes = typesOf(their)
    const misfit = ourTypes.filter((type) => !fits(type, theirTypes, their.nullable === true))
    if (theirTypes.length > 0 && misfit.length > 0) {
      out.push(`${at}: ${ourTypes.join(' | ')} here, ${theirTypes.join(' | ')} upstream`)
    }
    if (typeof our.format === 'string' && their.format !== undefined && our.format !== their.format)
      out.push(`${at}: format ${our.format} here, ${String(their.format)} upstream`)
    const theirValues = valuesOf(their)
    if (theirValues !== undefined) {
      for (const value of valuesOf(our) ?? []) {
        if (!theirValues.includes(value))
          out.push(`${at}: value ${JSON.stringify(value)} is not in upstream's enum`)
      }
    }
    const theirProperties = isObject(their.properties) ? their.properties : {}
    const theirRequired = Array.isArray(their.required) ? their.required : []
    for (const [name, schema] of Object.entries(isObject(our.properties) ? our.properties : {})) {
      const label = `${at}.${name}`
      if (!(name in theirProperties)) {
        guarded(schema, label, out, (report) => report.push(`${label}: missing upstream`))
        continue
      }
      compareSchema(schema, theirProperties[name], label, out)
    }
    for (const name of Array.isArray(our.required) ? our.required : []) {
      if (name in theirProperties && !theirRequired.includes(name))
        out.push(`${at}.${name}: required here, optional upstream`)
    }
    if (our.items !== undefined) {
      if (their.items === undefined) out.push(`${at}: an array here, not upstream`)
      else compareSchema(our.items, their.items, `${at}[]`, out)
    }
  }

  function compareParameters(
    ourItem: Schema,
    ourOp: Schema,
    theirOp: Schema,
    at: string,
    out: string[],
  ) {
    const theirParameters = parametersOf(theirOp, {}, theirs)
    for (const raw of [...asList(ourItem.parameters), ...asList(ourOp.parameters)]) {
      const parameter = mine(raw)
      const label = `${at} ${String(parameter.in)} ${String(parameter.name)}`
      guarded(raw, label, out, (report) => {
        const match = theirParameters.get(parameterKey(parameter))
        if (!match) return report.push(`${label}: missing upstream`)
        if ((parameter.required === true) !== (match.required === true))
          report.push(
            `${label}: required ${parameter.required === true} here, ${match.required === true} upstream`,
          )
        const ourSchema = parameter.schema ?? jsonSchemaOf(parameter)
        const theirSchema = match.schema ?? jsonSchemaOf(match)
        if (ourSchema !== undefined && theirSchema !== undefined)
          compareSchema(ourSchema, theirSchema, label, report)
      })
    }
  }

  function compareResponses(ourOp: Schema, theirOp: Schema, at: string, out: string[]) {
    const theirResponses = isObject(theirOp.responses) ? theirOp.responses : {}
    for (const [status, raw] of Object.entries(isObject(ourOp.responses) ? ourOp.responses : {})) {
      const label = `${at} ${status}`
      guarded(raw, label, out, (report) => {
        if (!(status in theirResponses)) return report.push(`${label}: no such response upstream`)
        const theirResponse = theirs(theirResponses[status])
        const ourSchema = jsonSchemaOf(mine(raw))
        const theirSchema = jsonSchemaOf(theirResponse)
        if (ourSchema === undefined) return
        if (theirSchema === undefined) return report.push(`${label}: no JSON body upstream`)
        compareSchema(ourSchema, theirSchema, `${label} body`, report)
        if (Number(status) >= 400)
          report.push(...unlistedErrors(ourSchema, theirSchema, theirResponse, label))
      })
    }
  }

  /** Error types of ours that upstream's union has but does not list for this status. */
  function unlistedErrors(ourRaw: unknown, theirRaw: unknown, response: Schema, at: string) {
    const their = theirs(theirRaw)
    const description = typeof response.description === 'string' ? response.description : ''
    const our = mine(ourRaw)
    const alternatives = Array.isArray(our.oneOf) ? our.oneOf : [ourRaw]
    return alternatives.flatMap((alternative) => {
      if (differenceOf(mine(alternative)) !== undefined) return []
      return discriminatorValues(flatten(ours, mine(alternative)), 'type').flatMap((type) => {
        const name = mappingOf(their)[type]?.split('/').pop()
        return name === undefined || description.includes(`\`${name}\``)
          ? []
          : [`${at}: upstream does not list ${type} (${name}) for this status`]
      })
    })
  }

  const ourPaths = pathsOf(ours)
  const theirPaths = pathsOf(upstream)
  for (const [path, rawItem] of Object.entries(ourPaths)) {
    const ourItem = mine(rawItem)
    const theirItem = theirPaths[path] === undefined ? undefined : theirs(theirPaths[path])
    for (const method of METHODS.filter((m) => isObject(ourItem[m]))) {
      const at = `${method.toUpperCase()} ${path}`
      const ourOp = ourItem[method] as Schema
      guarded(ourOp, at, problems, (report) => {
        const theirOp = theirItem?.[method]
        if (!isObject(theirOp)) return report.push(`${at}: no such operation upstream`)
        compareParameters(ourItem, ourOp, theirOp, at, report)
        if (ourOp.requestBody !== undefined) {
          const ourBody = jsonSchemaOf(mine(ourOp.requestBody))
          const theirBody = isObject(theirOp.requestBody)
            ? jsonSchemaOf(theirs(theirOp.requestBody))
            : undefined
          if (theirBody === undefined) report.push(`${at} request body: none upstream`)
          else if (ourBody !== undefined)
            compareSchema(ourBody, theirBody, `${at} request body`, report)
        }
        compareResponses(ourOp, theirOp, at, report)
      })
    }
  }
  return { problems: [...new Set(problems)], known: uniqueKnown(known) }
}

function pathsOf(document: unknown): JsonObject {
  const paths = isObject(document) ? document.paths : undefined
  return isObject(paths) ? paths : {}
}

function differenceOf(node: unknown): string | undefined {
  return isObject(node) && typeof node[DIFFERENCE] === 'string'
    ? node[DIFFERENCE].trim().replace(/\s+/g, ' ')
    : undefined
}

/** A schema with its `allOf` parts merged: properties, required and the first type. */
function flatten(document: unknown, schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema
  const merged: Schema = { ...schema, allOf: undefined, properties: {}, required: [] }
  for (const part of [schema, ...schema.allOf]) {
    let value: unknown = part
    while (isObject(value) && typeof value.$ref === 'string')
      value = valueAt(document, decodeURIComponent(value.$ref.slice(1)))
    if (!isObject(value)) continue
    const flat = value === schema ? value : flatten(document, value)
    Object.assign(merged.properties as JsonObject, isObject(flat.properties) ? flat.properties : {})
    ;(merged.required as unknown[]).push(...(Array.isArray(flat.required) ? flat.required : []))
    merged.type ??= flat.type
  }
  return merged
}

function discriminatorValues(schema: Schema, property: string): string[] {
  const properties = isObject(schema.properties) ? schema.properties : {}
  const value = properties[property]
  return isObject(value) ? (valuesOf(value) ?? []).map(String) : []
}

function mappingOf(schema: Schema): Record<string, string> {
  const discriminator = isObject(schema.discriminator) ? schema.discriminator : {}
  return (isObject(discriminator.mapping) ? discriminator.mapping : {}) as Record<string, string>
}

function valuesOf(schema: Schema): unknown[] | undefined {
  if ('const' in schema) return [schema.const]
  return Array.isArray(schema.enum) ? schema.enum : undefined
}

function typesOf(schema: Schema): string[] {
  if (schema.type !== undefined) return [schema.type].flat().map(String)
  const values = valuesOf(schema)
  return values === undefined
    ? []
    : [...new Set(values.map((v) => (v === null ? 'null' : typeof v)))]
}

function fits(type: string, theirs: string[], nullable: boolean): boolean {
  if (type === 'null') return nullable || theirs.includes('null')
  return theirs.includes(type) || (type === 'integer' && theirs.includes('number'))
}

function jsonSchemaOf(holder: Schema): unknown {
  const content = isObject(holder.content) ? holder.content : {}
  const json = Object.keys(content).find((type) => /^application\/(.+\+)?json$/.test(type))
  return json === undefined ? undefined : (content[json] as JsonObject).schema
}

function parameterKey(parameter: Schema): string {
  const name = String(parameter.name)
  return `${String(parameter.in)} ${parameter.in === 'header' ? name.toLowerCase() : name}`
}

function parametersOf(op: Schema, item: Schema, resolve: (node: unknown) => Schema) {
  const all = [...asList(item.parameters), ...asList(op.parameters)].map(resolve)
  return new Map(all.map((parameter) => [parameterKey(parameter), parameter]))
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

function keysOf(mapping: Record<string, string>): string {
  return Object.keys(mapping).join(', ')
}

function uniqueKnown(known: KnownDifference[]): KnownDifference[] {
  const seen = new Map(known.map((k) => [k.at, k]))
  return [...seen.values()]
}
