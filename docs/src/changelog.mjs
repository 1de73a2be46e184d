// The spec changelog: what changed between two versions of a spec, and which changes break users.
// The rules are in docs/README.md ("What counts as breaking"); each one has a test in
// test/changelog.test.ts.
import { listOperations, resolve } from './spec.mjs'

/** @typedef {import('./spec.mjs').Spec} Spec */
/** @typedef {import('./spec.mjs').Operation} Operation */
/** @typedef {'request' | 'response'} Direction who writes the value: the caller, or the provider */

/**
 * @typedef {object} Change
 * @property {string} where e.g. 'query parameter `customer_uid[]`', 'response 200 `response.card_name`'
 * @property {string} what e.g. 'removed', 'type `string` → `string | null` (widened)'
 * @property {boolean} breaking
 */

/**
 * @typedef {object} OperationDiff
 * @property {string} method
 * @property {string} path
 * @property {string | undefined} operationId
 * @property {string | undefined} summary
 * @property {'added' | 'removed' | 'changed'} status
 * @property {boolean} breaking
 * @property {Change[]} changes empty unless `status` is 'changed'
 */

/**
 * What a schema allows, flattened over `$ref`, `allOf`, `oneOf` and `anyOf`.
 * @typedef {object} SchemaView
 * @property {Set<string> | null} types JSON types (null: any)
 * @property {Set<string> | null} values allowed non-null values as JSON (null: any value of `types`)
 * @property {string | undefined} format
 * @property {Map<string, any>} properties
 * @property {Set<string>} required
 * @property {any} items
 */

/** An OpenAPI document without operations: the base when a spec has no released version yet. */
export const emptySpec = { openapi: '3.1.0', info: { title: '', version: '0.0.0' }, paths: {} }

/**
 * Compares two versions of a spec, operation by operation (matched by method and path; path
 * parameter names do not matter for the match).
 * @param {Spec} before
 * @param {Spec} after
 * @returns {OperationDiff[]} the added, removed and changed operations, in the order of `after`
 *   (then the removed ones)
 */
export function diffSpecs(before, after) {
  const key = (/** @type {Operation} */ op) =>
    `${op.method} ${op.path.replaceAll(/\{[^}]*\}/g, '{}')}`
  const oldOps = new Map(listOperations(before).map((op) => [key(op), op]))
  const newOps = listOperations(after)
  const newKeys = new Set(newOps.map(key))
  /** @type {OperationDiff[]} */
  const diffs = []
  for (const op of newOps) {
    const old = oldOps.get(key(op))
    if (!old) {
      diffs.push(summarize(op, 'added', false, []))
      continue
    }
    const changes = diffOperation(before, after, old, op)
    if (changes.length > 0) {
      diffs.push(
        summarize(
          op,
          'changed',
          changes.some((change) => change.breaking),
          changes,
        ),
      )
    }
  }
  for (const [k, op] of oldOps) {
    if (!newKeys.has(k)) diffs.push(summarize(op, 'removed', true, []))
  }
  return diffs
}

/**
 * @param {Operation} op
 * @param {OperationDiff['status']} status
 * @param {boolean} breaking
 * @param {Change[]} changes
 * @returns {OperationDiff}
 */
function summarize(op, status, breaking, changes) {
  const { method, path, operationId, summary } = op
  return { method, path, operationId, summary, status, breaking, changes }
}

/**
 * @param {Spec} before
 * @param {Spec} after
 * @param {Operation} oldOp
 * @param {Operation} newOp
 * @returns {Change[]}
 */
function diffOperation(before, after, oldOp, newOp) {
  /** @type {Change[]} */
  const changes = []
  const report = (/** @type {string} */ where, /** @type {string} */ what, breaking = false) =>
    changes.push({ where, what, breaking })
  const ctx = { before, after, report }

  if (oldOp.operationId !== newOp.operationId) {
    report('operation', `operationId \`${oldOp.operationId}\` → \`${newOp.operationId}\``, true)
  }
  if (!oldOp.operation.deprecated && newOp.operation.deprecated) report('operation', 'deprecated')
  if (oldOp.operation.deprecated && !newOp.operation.deprecated) {
    report('operation', 'no longer deprecated')
  }

  const paramKey = (/** @type {Record<string, any>} */ p) =>
    `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`
  const oldParams = new Map(oldOp.parameters.map((p) => [paramKey(p), p]))
  const newParams = new Map(newOp.parameters.map((p) => [paramKey(p), p]))
  for (const [k, p] of oldParams) {
    if (!newParams.has(k)) report(`${p.in} parameter \`${p.name}\``, 'removed', true)
  }
  for (const [k, p] of newParams) {
    const where = `${p.in} parameter \`${p.name}\``
    const old = oldParams.get(k)
    if (old) {
      diffRequired(ctx, 'request', where, Boolean(old.required), Boolean(p.required))
      diffSchema(ctx, 'request', where, '', old.schema, p.schema, [])
    } else {
      report(where, p.required ? 'added, required' : 'added, optional', Boolean(p.required))
    }
  }

  const oldBody = resolve(before, oldOp.operation.requestBody)
  const newBody = resolve(after, newOp.operation.requestBody)
  if (oldBody && !newBody) report('request body', 'removed', true)
  if (!oldBody && newBody) {
    const required = Boolean(newBody.required)
    report('request body', required ? 'added, required' : 'added, optional', required)
  }
  if (oldBody && newBody) {
    diffRequired(
      ctx,
      'request',
      'request body',
      Boolean(oldBody.required),
      Boolean(newBody.required),
    )
    diffContent(ctx, 'request', 'request body', oldBody.content, newBody.content)
  }

  const oldResponses = oldOp.operation.responses ?? {}
  const newResponses = newOp.operation.responses ?? {}
  const success = (/** @type {string} */ status) => status.startsWith('2')
  for (const status of Object.keys(oldResponses)) {
    if (!(status in newResponses)) report(`response ${status}`, 'removed', success(status))
  }
  for (const [status, response] of Object.entries(newResponses)) {
    if (!(status in oldResponses)) {
      report(`response ${status}`, 'added', success(status))
      continue
    }
    const oldContent = resolve(before, oldResponses[status]).content
    diffContent(ctx, 'response', `response ${status}`, oldContent, resolve(after, response).content)
  }
  return changes
}

/**
 * @typedef {object} Context
 * @property {Spec} before
 * @property {Spec} after
 * @property {(where: string, what: string, breaking?: boolean) => void} report
 */

/**
 * A body's media type and schema: the JSON one when there are several.
 * @param {Context} ctx
 * @param {Direction} direction
 * @param {string} where
 * @param {Record<string, any> | undefined} oldContent
 * @param {Record<string, any> | undefined} newContent
 */
function diffContent(ctx, direction, where, oldContent, newContent) {
  const pick = (/** @type {Record<string, any> | undefined} */ content) => {
    const types = Object.keys(content ?? {})
    return types.find((type) => type.includes('json')) ?? types[0]
  }
  const oldType = pick(oldContent)
  const newType = pick(newContent)
  if (oldType && !newType) ctx.report(where, 'body removed', true)
  if (!oldType && newType) ctx.report(where, 'body added', direction === 'request')
  if (oldType && newType && oldType !== newType) {
    ctx.report(where, `media type \`${oldType}\` → \`${newType}\``, true)
  }
  if (oldType && oldType === newType) {
    const oldSchema = oldContent?.[oldType]?.schema
    diffSchema(ctx, direction, where, '', oldSchema, newContent?.[newType]?.schema, [])
  }
}

/**
 * A field's or parameter's `required` flag. A caller must send what became required; a reader
 * can no longer count on what became optional.
 * @param {Context} ctx
 * @param {Direction} direction
 * @param {string} where
 * @param {boolean} was
 * @param {boolean} is
 */
function diffRequired(ctx, direction, where, was, is) {
  if (was === is) return
  if (direction === 'request') ctx.report(where, is ? 'now required' : 'now optional', is)
  else ctx.report(where, is ? 'now always present' : 'now optional (may be absent)', !is)
}

/**
 * @param {Context} ctx
 * @param {Direction} direction
 * @param {string} where
 * @param {string} path the field's path inside the body or parameter: `a.b`, `a[]`, `a[].b`
 * @param {any} oldRaw
 * @param {any} newRaw
 * @param {[unknown, unknown][]} ancestors the schema pairs being compared above this one
 */
function diffSchema(ctx, direction, where, path, oldRaw, newRaw, ancestors) {
  const oldSchema = resolve(ctx.before, oldRaw)
  const newSchema = resolve(ctx.after, newRaw)
  // A recursive schema is compared once per path; the depth bound ends the rarer cycles that
  // merging allOf/oneOf fields can build out of ever new schemas.
  if (ancestors.length > maxDepth) return
  if (ancestors.some(([a, b]) => a === oldSchema && b === newSchema)) return
  const inner = [...ancestors, /** @type {[unknown, unknown]} */ ([oldSchema, newSchema])]
  const a = view(ctx.before, oldSchema)
  const b = view(ctx.after, newSchema)
  const at = path ? `${where} \`${path}\`` : where

  const { details, narrowed, widened } = compareValues(a, b)
  if (details.length > 0) {
    const how = narrowed && widened ? 'changed' : narrowed ? 'narrowed' : 'widened'
    ctx.report(at, `${details.join('; ')} (${how})`, direction === 'request' ? narrowed : widened)
  }

  if (allows(a, 'object') && allows(b, 'object')) {
    for (const name of a.properties.keys()) {
      if (!b.properties.has(name)) ctx.report(`${where} \`${join(path, name)}\``, 'removed', true)
    }
    for (const [name, schema] of b.properties) {
      const field = join(path, name)
      const fieldAt = `${where} \`${field}\``
      if (a.properties.has(name)) {
        diffRequired(ctx, direction, fieldAt, a.required.has(name), b.required.has(name))
        diffSchema(ctx, direction, where, field, a.properties.get(name), schema, inner)
      } else if (direction === 'request') {
        const required = b.required.has(name)
        ctx.report(fieldAt, required ? 'added, required' : 'added, optional', required)
      } else {
        ctx.report(fieldAt, 'added')
      }
    }
  }
  if (allows(a, 'array') && allows(b, 'array') && a.items && b.items) {
    diffSchema(ctx, direction, where, `${path}[]`, a.items, b.items, inner)
  }
}

const maxDepth = 32

const join = (/** @type {string} */ path, /** @type {string} */ name) =>
  path ? `${path}.${name}` : name

const allows = (/** @type {SchemaView} */ view, /** @type {string} */ type) =>
  view.types === null || view.types.has(type)

/**
 * Whether the set of values a schema allows shrank (narrowed), grew (widened), or both.
 * @param {SchemaView} a
 * @param {SchemaView} b
 */
function compareValues(a, b) {
  /** @type {string[]} */
  const details = []
  let narrowed = false
  let widened = false
  const code = (/** @type {Iterable<string>} */ items) =>
    [...items].map((item) => `\`${item}\``).join(' | ')

  if (a.types && !b.types) {
    widened = true
    details.push(`type no longer restricted (was ${code(a.types)})`)
  } else if (!a.types && b.types) {
    narrowed = true
    details.push(`type now ${code(b.types)}`)
  } else if (a.types && b.types) {
    const covers = (/** @type {Set<string>} */ set, /** @type {string} */ type) =>
      set.has(type) || (type === 'integer' && set.has('number'))
    const lost = [...a.types].some((type) => !covers(/** @type {Set<string>} */ (b.types), type))
    const gained = [...b.types].some((type) => !covers(/** @type {Set<string>} */ (a.types), type))
    narrowed ||= lost
    widened ||= gained
    if (lost || gained) details.push(`type ${code(a.types)} → ${code(b.types)}`)
  }

  if (a.values && !b.values) {
    widened = true
    details.push(`no longer limited to ${code(a.values)}`)
  } else if (!a.values && b.values) {
    narrowed = true
    details.push(`now limited to ${code(b.values)}`)
  } else if (a.values && b.values) {
    const removed = [...a.values].filter((value) => !b.values?.has(value))
    const added = [...b.values].filter((value) => !a.values?.has(value))
    if (removed.length > 0) {
      narrowed = true
      details.push(`value ${code(removed)} removed`)
    }
    if (added.length > 0) {
      widened = true
      details.push(`value ${code(added)} added`)
    }
  }

  if (a.format !== b.format) {
    narrowed ||= b.format !== undefined
    widened ||= a.format !== undefined
    details.push(`format \`${a.format ?? 'none'}\` → \`${b.format ?? 'none'}\``)
  }
  return { details, narrowed, widened }
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function jsonType(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/**
 * @template T
 * @param {(Set<T> | null)[]} sets
 * @returns {Set<T> | null} null when any set is null (unrestricted)
 */
function union(sets) {
  return sets.some((set) => set === null) ? null : new Set(sets.flatMap((set) => [...(set ?? [])]))
}

/**
 * @template T
 * @param {Set<T> | null} a
 * @param {Set<T> | null} b
 * @returns {Set<T> | null}
 */
function intersect(a, b) {
  if (a === null) return b
  if (b === null) return a
  return new Set([...a].filter((item) => b.has(item)))
}

/** @type {SchemaView} what no schema (or `true`, or `{}`) allows: anything */
const anything = {
  types: null,
  values: null,
  format: undefined,
  properties: new Map(),
  required: new Set(),
  items: undefined,
}

/** @type {WeakMap<object, SchemaView>} the schemas flattened so far: each one is flattened once */
const views = new WeakMap()

/**
 * @param {Spec} spec
 * @param {any} raw
 * @returns {SchemaView}
 */
function view(spec, raw) {
  const schema = resolve(spec, raw)
  if (!schema || typeof schema !== 'object') return anything
  let known = views.get(schema)
  if (!known) {
    known = flatten(spec, schema)
    views.set(schema, known)
  }
  return known
}

/**
 * @param {Spec} spec
 * @param {Record<string, any>} schema
 * @returns {SchemaView}
 */
function flatten(spec, schema) {
  /** @type {unknown[] | undefined} */
  const listed = schema.const !== undefined ? [schema.const] : schema.enum
  /** @type {Set<string> | null} */
  let types = null
  if (schema.type !== undefined) types = new Set([schema.type].flat())
  else if (listed) types = new Set(listed.map(jsonType))
  /** @type {Set<string> | null} */
  let values = null
  if (listed) values = new Set(listed.filter((v) => v !== null).map((v) => JSON.stringify(v)))
  else if (types?.size === 1 && types.has('null')) values = new Set()

  /** @type {SchemaView} */
  let result = {
    types,
    values,
    format: schema.format,
    properties: new Map(Object.entries(schema.properties ?? {})),
    required: new Set(schema.required ?? []),
    items: schema.items,
  }
  for (const part of schema.allOf ?? []) result = both(result, view(spec, part))
  const variants = schema.oneOf ?? schema.anyOf ?? []
  if (variants.length > 0) {
    result = both(result, either(variants.map((/** @type {any} */ s) => view(spec, s))))
  }
  return result
}

/**
 * What two schemas allow together (`allOf`): a field defined by both must satisfy both.
 * @param {SchemaView} a
 * @param {SchemaView} b
 * @returns {SchemaView}
 */
function both(a, b) {
  const properties = new Map(a.properties)
  for (const [name, schema] of b.properties) {
    properties.set(
      name,
      properties.has(name) ? combine('allOf', properties.get(name), schema) : schema,
    )
  }
  return {
    types: intersect(a.types, b.types),
    values: intersect(a.values, b.values),
    format: a.format ?? b.format,
    properties,
    required: new Set([...a.required, ...b.required]),
    items: a.items && b.items ? combine('allOf', a.items, b.items) : (a.items ?? b.items),
  }
}

/**
 * What one of several schemas allows (`oneOf`, `anyOf`): a field is required when every object
 * variant requires it.
 * @param {SchemaView[]} variants
 * @returns {SchemaView}
 */
function either(variants) {
  /** @type {Map<string, any>} */
  const properties = new Map()
  /** @type {any} */
  let items
  for (const variant of variants) {
    for (const [name, schema] of variant.properties) {
      properties.set(
        name,
        properties.has(name) ? combine('anyOf', properties.get(name), schema) : schema,
      )
    }
    if (variant.items) items = items ? combine('anyOf', items, variant.items) : variant.items
  }
  const objects = variants.filter((variant) => variant.properties.size > 0)
  const formats = new Set(variants.map((variant) => variant.format))
  return {
    types: union(variants.map((variant) => variant.types)),
    values: union(variants.map((variant) => variant.values)),
    format: formats.size === 1 ? [...formats][0] : undefined,
    properties,
    required: new Set(
      [...(objects[0]?.required ?? [])].filter((name) =>
        objects.every((v) => v.required.has(name)),
      ),
    ),
    items,
  }
}

/** @type {Record<'allOf' | 'anyOf', WeakMap<object, WeakMap<object, object>>>} */
const combined = { allOf: new WeakMap(), anyOf: new WeakMap() }

/**
 * `{ allOf: [a, b] }` or `{ anyOf: [a, b] }`, the same object for the same pair, so that a cycle
 * through merged fields meets the same schemas again and ends (see `ancestors` in diffSchema).
 * @param {'allOf' | 'anyOf'} keyword
 * @param {any} a
 * @param {any} b
 */
function combine(keyword, a, b) {
  if (a === b) return a
  if (typeof a !== 'object' || typeof b !== 'object') return { [keyword]: [a, b] }
  const byB = combined[keyword].get(a) ?? new WeakMap()
  combined[keyword].set(a, byB)
  const schema = byB.get(b) ?? { [keyword]: [a, b] }
  byB.set(b, schema)
  return schema
}

/**
 * The changelog as Markdown a reviewer can paste into a pull request.
 * @param {string} title
 * @param {OperationDiff[]} diffs
 */
export function renderMarkdown(title, diffs) {
  const breaking = diffs.reduce(
    (count, diff) =>
      count + (diff.status === 'removed' ? 1 : diff.changes.filter((c) => c.breaking).length),
    0,
  )
  const mark = (/** @type {boolean} */ isBreaking) => (isBreaking ? '**BREAKING** ' : '')
  const name = (/** @type {OperationDiff} */ diff) =>
    `\`${diff.method.toUpperCase()} ${diff.path}\`${diff.operationId ? ` (\`${diff.operationId}\`)` : ''}`
  const lines = [`## ${title}`, '']
  if (diffs.length === 0) {
    lines.push('No changes to operations or fields.')
    return `${lines.join('\n')}\n`
  }
  lines.push(
    breaking === 0
      ? 'No breaking changes.'
      : `**${breaking} breaking change${breaking === 1 ? '' : 's'}**: the package needs a major release.`,
  )
  /**
   * @param {string} heading
   * @param {OperationDiff['status']} status
   * @param {(diff: OperationDiff) => string[]} render
   */
  const section = (heading, status, render) => {
    const list = diffs.filter((diff) => diff.status === status)
    if (list.length > 0) lines.push('', `### ${heading}`, '', ...list.flatMap(render))
  }
  section('Added operations', 'added', (diff) => [
    `- ${name(diff)}${diff.summary ? `: ${diff.summary}` : ''}`,
  ])
  section('Removed operations', 'removed', (diff) => [`- ${mark(true)}${name(diff)}`])
  section('Changed operations', 'changed', (diff) => [
    `- ${name(diff)}`,
    ...diff.changes.map((change) => `  - ${mark(change.breaking)}${change.where}: ${change.what}`),
  ])
  return `${lines.join('\n')}\n`
}
