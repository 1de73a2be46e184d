// Reading the provider specs: shared by the site build, the browser test and the spec changelog.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

/** @typedef {Record<string, any>} Spec An OpenAPI 3.1 document, as parsed from YAML. */

/**
 * @typedef {object} Operation
 * @property {string} method lower-case HTTP method
 * @property {string} path the path template as written in the spec
 * @property {string | undefined} operationId
 * @property {string | undefined} summary
 * @property {string | undefined} description
 * @property {Record<string, any>[]} parameters path-level and operation-level parameters, resolved
 * @property {Record<string, any>} operation the Operation Object, unresolved
 */

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** The spec's location in the repository, relative to its root. */
export const specPath = (/** @type {string} */ provider) => `specs/${provider}/openapi.yaml`

/** The provider's client package: `@billingkey/<provider>` (also the prefix of its release tags). */
export const packageName = (/** @type {string} */ provider) => `@billingkey/${provider}`

/** Whether the provider's client package exists yet (`packages/<provider>`): a spec can come first. */
export const hasPackage = (/** @type {string} */ root, /** @type {string} */ provider) =>
  existsSync(join(root, 'packages', provider, 'package.json'))

/** Every provider with a spec under `<root>/specs`, sorted. */
export function listProviders(/** @type {string} */ root) {
  return readdirSync(join(root, 'specs'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, specPath(entry.name))))
    .map((entry) => entry.name)
    .sort()
}

/** @returns {Spec} */
export function parseSpec(/** @type {string} */ text) {
  const spec = parse(text)
  if (typeof spec !== 'object' || spec === null || typeof spec.openapi !== 'string') {
    throw new Error('not an OpenAPI document: no `openapi` version field')
  }
  return spec
}

/**
 * Follows `$ref`s (local ones, `#/...`) until it reaches a node that is not a reference.
 * @template T
 * @param {Spec} spec
 * @param {T} node
 * @returns {T}
 */
export function resolve(spec, node) {
  let current = /** @type {any} */ (node)
  const seen = new Set()
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    /** @type {string} */
    const ref = current.$ref
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, found ${ref}`)
    if (seen.has(ref)) throw new Error(`$ref cycle at ${ref}`)
    seen.add(ref)
    current = ref
      .slice(2)
      .split('/')
      .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
      .reduce((parent, token) => parent?.[token], spec)
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`)
  }
  return current
}

/**
 * Every operation of the spec, in the order the spec lists them.
 * @param {Spec} spec
 * @returns {Operation[]}
 */
export function listOperations(spec) {
  return Object.entries(spec.paths ?? {}).flatMap(([path, rawItem]) => {
    const item = resolve(spec, rawItem)
    return methods
      .filter((method) => item[method])
      .map((method) => {
        const operation = item[method]
        /** @type {Map<string, Record<string, any>>} */
        const parameters = new Map()
        for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
          const parameter = resolve(spec, raw)
          parameters.set(`${parameter.in}:${parameter.name}`, parameter)
        }
        return {
          method,
          path,
          operationId: operation.operationId,
          summary: operation.summary,
          description: operation.description,
          parameters: [...parameters.values()],
          operation,
        }
      })
  })
}
