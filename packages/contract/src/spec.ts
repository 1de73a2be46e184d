import { resolve } from 'node:path'
import type Ajv2020 from 'ajv/dist/2020.js'
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import {
  deref,
  escapeToken,
  isObject,
  type JsonObject,
  type Located,
  type ProviderName,
  providerNames,
  providerSpecPath,
  readDocument,
  valueAt,
} from './document'
import {
  createAjv,
  issueOf,
  refTo,
  unique,
  type ValidationIssue,
  type ValidationResult,
} from './validator'

export interface OperationInfo {
  operationId: string
  /** Lower-case HTTP method. */
  method: string
  /** The path template, e.g. `/subscribe/customers/{customer_uid}`. */
  path: string
  /** The documented response keys in document order: `'200'`, `'207'`, `'4XX'`, `'default'`… */
  statuses: string[]
}

/** A request as it went over the wire. */
export interface RequestToValidate {
  /** The pathname, path ids percent-encoded, e.g. `/subscribe/customers/customer_1234`. */
  path: string
  /** The raw query string without `?`, exactly as sent. */
  query?: string
  headers?: Record<string, string>
  /** The JSON body, or for a form-urlencoded body the encoded string or an object of fields. */
  body?: unknown
}

export interface RouteMatch {
  operation: OperationInfo
  /** Path parameters, percent-decoded. */
  params: Record<string, string>
}

export interface Spec {
  /** The OpenAPI document as parsed. */
  readonly document: unknown
  readonly operations: readonly OperationInfo[]
  /** Throws an Error naming the known operationIds when `operationId` is not one of them. */
  operation(operationId: string): OperationInfo
  validateRequest(operationId: string, request: RequestToValidate): ValidationResult
  /** Validates against the response documented for `status` (exact, then `2XX`, then
   * `default`); an undocumented status is itself an error. */
  validateResponse(operationId: string, status: number, body: unknown): ValidationResult
  /** The response key that documents `status` for the operation, if any. */
  responseKey(operationId: string, status: number): string | undefined
  /** Validates a value against the schema at a JSON pointer, e.g. `/components/schemas/Customer`. */
  validate(schemaPointer: string, value: unknown): ValidationResult
  /** The operation that serves a request; concrete paths win over templated ones. */
  match(method: string, pathname: string): RouteMatch | undefined
}

type Location = 'path' | 'query' | 'header'

interface Parameter {
  name: string
  required: boolean
  schemaPointer?: string
}

interface Operation {
  info: OperationInfo
  pointer: string
  route: RegExp
  /** Names of the path template's parameters, in order. */
  pathNames: string[]
  parameters: Record<Location, Parameter[]>
  requestBody?: Located
  responses: JsonObject
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

/** Header parameters that OpenAPI tells tools to ignore: the security scheme and the content
 * negotiation own them. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization'])

class OpenApiSpec implements Spec {
  readonly operations: readonly OperationInfo[]
  private readonly byId = new Map<string, Operation>()
  private readonly byRoute: Operation[]
  private readonly strict: Ajv2020
  private readonly coercing: Ajv2020
  private readonly validators = new Map<string, ValidateFunction>()
  private locations: WeakMap<object, string> | undefined

  constructor(
    readonly document: JsonObject,
    private readonly name: string,
  ) {
    if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1.')) {
      throw new Error(`${name} is not an OpenAPI 3.1 document (openapi: ${document.openapi})`)
    }
    for (const operation of this.readOperations()) {
      const { operationId } = operation.info
      if (this.byId.has(operationId)) {
        throw new Error(`${name}: operationId ${operationId} is used twice`)
      }
      this.byId.set(operationId, operation)
    }
    const all = [...this.byId.values()]
    this.operations = all.map((operation) => operation.info)
    this.byRoute = [
      ...all.filter((o) => o.pathNames.length === 0),
      ...all.filter((o) => o.pathNames.length > 0),
    ]
    this.strict = createAjv(document, false)
    this.coercing = createAjv(document, true)
  }

  operation(operationId: string): OperationInfo {
    return this.entry(operationId).info
  }

  responseKey(operationId: string, status: number): string | undefined {
    const { statuses } = this.entry(operationId).info
    const range = `${Math.floor(status / 100)}XX`
    return [String(status), range, 'default'].find((key) => statuses.includes(key))
  }

  validateRequest(operationId: string, request: RequestToValidate): ValidationResult {
    const operation = this.entry(operationId)
    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    )
    return result([
      ...this.pathIssues(operation, request.path),
      ...this.parameterIssues(operation, 'query', queryValues(request.query ?? '', operation)),
      ...this.parameterIssues(operation, 'header', headers),
      ...this.bodyIssues(operation, request.body, headers['content-type']),
    ])
  }

  validateResponse(operationId: string, status: number, body: unknown): ValidationResult {
    const operation = this.entry(operationId)
    const key = this.responseKey(operationId, status)
    if (key === undefined) {
      return result([
        {
          pointer: '',
          message: `HTTP ${status} is not a documented response of ${operationId}`,
          expected: { status: operation.info.statuses },
        },
      ])
    }
    const response = deref(this.document, {
      value: operation.responses[key],
      pointer: `${operation.pointer}/responses/${escapeToken(key)}`,
    })
    const content = isObject(response.value.content) ? response.value.content : {}
    const mediaType = Object.keys(content).find(isJson) ?? Object.keys(content)[0]
    if (mediaType === undefined) {
      if (body === undefined || body === null || body === '') return result([])
      return result([{ pointer: '', message: `must be empty: HTTP ${key} documents no body` }])
    }
    return result(this.check(`${response.pointer}/content/${escapeToken(mediaType)}`, body, ''))
  }

  validate(schemaPointer: string, value: unknown): ValidationResult {
    valueAt(this.document, schemaPointer) // says "nothing at <pointer>" before Ajv's ref error does
    return result(this.run(this.strict, schemaPointer, value, ''))
  }

  match(method: string, pathname: string): RouteMatch | undefined {
    const lower = method.toLowerCase()
    for (const operation of this.byRoute) {
      if (operation.info.method !== lower) continue
      const params = pathParams(operation, pathname)
      if (params) return { operation: operation.info, params }
    }
    return undefined
  }

  private entry(operationId: string): Operation {
    const operation = this.byId.get(operationId)
    if (!operation) {
      throw new Error(
        `Unknown operationId "${operationId}" in ${this.name}; known: ${[...this.byId.keys()].join(', ')}`,
      )
    }
    return operation
  }

  private *readOperations(): Generator<Operation> {
    const paths = isObject(this.document.paths) ? this.document.paths : {}
    for (const [path, value] of Object.entries(paths)) {
      const item = deref(this.document, { value, pointer: `/paths/${escapeToken(path)}` })
      for (const method of METHODS.filter((m) => isObject(item.value[m]))) {
        const pointer = `${item.pointer}/${method}`
        const operation = item.value[method] as JsonObject
        if (typeof operation.operationId !== 'string') {
          throw new Error(`${this.name}: ${method.toUpperCase()} ${path} has no operationId`)
        }
        const { route, names } = routeOf(path)
        const responses = isObject(operation.responses) ? operation.responses : {}
        yield {
          info: {
            operationId: operation.operationId,
            method,
            path,
            statuses: Object.keys(responses),
          },
          pointer,
          route,
          pathNames: names,
          parameters: this.readParameters([
            { value: item.value.parameters, pointer: `${item.pointer}/parameters` },
            { value: operation.parameters, pointer: `${pointer}/parameters` },
          ]),
          requestBody:
            operation.requestBody === undefined
              ? undefined
              : deref(this.document, {
                  value: operation.requestBody,
                  pointer: `${pointer}/requestBody`,
                }),
          responses,
        }
      }
    }
  }

  /** Path-item parameters, overridden by the operation's own of the same name and location. */
  private readParameters(lists: Located<unknown>[]): Record<Location, Parameter[]> {
    const byKey = new Map<string, { in: Location; parameter: Parameter }>()
    for (const list of lists) {
      if (!Array.isArray(list.value)) continue
      list.value.forEach((value, index) => {
        const { value: parameter, pointer } = deref(this.document, {
          value,
          pointer: `${list.pointer}/${index}`,
        })
        const location = parameter.in as Location | 'cookie'
        if (location === 'cookie') return
        checkSerialization(parameter, pointer)
        const name = String(parameter.name)
        if (location === 'header' && IGNORED_HEADERS.has(name.toLowerCase())) return
        byKey.set(`${location} ${name}`, {
          in: location,
          parameter: {
            name: location === 'header' ? name.toLowerCase() : name,
            required: parameter.required === true,
            schemaPointer: parameter.schema === undefined ? undefined : `${pointer}/schema`,
          },
        })
      })
    }
    const all = [...byKey.values()]
    const at = (location: Location) => all.filter((p) => p.in === location).map((p) => p.parameter)
    return { path: at('path'), query: at('query'), header: at('header') }
  }

  private pathIssues(operation: Operation, pathname: string): ValidationIssue[] {
    const params = pathParams(operation, pathname)
    if (params === undefined) {
      return [
        {
          pointer: '/path',
          message: `${pathname} does not match ${operation.info.path} or is not valid percent-encoding`,
          expected: { path: operation.info.path },
        },
      ]
    }
    return this.parameterIssues(operation, 'path', params)
  }

  private parameterIssues(
    operation: Operation,
    location: Location,
    values: Record<string, unknown>,
  ): ValidationIssue[] {
    const parameters = operation.parameters[location]
    const validate = this.compiled(`${operation.info.operationId} ${location}`, () =>
      this.coercing.compile({
        type: 'object',
        properties: Object.fromEntries(
          parameters.map((p) => [p.name, p.schemaPointer ? refTo(p.schemaPointer) : true]),
        ),
        required: parameters.filter((p) => p.required).map((p) => p.name),
        // A request carries many headers the contract has no reason to list; an unknown query
        // parameter, though, is a misspelt or undocumented one.
        additionalProperties: location !== 'query',
      }),
    )
    // pointers follow the request's own fields: /path, /query, /headers, /body
    const prefix = location === 'header' ? '/headers' : `/${location}`
    return validate(values) ? [] : this.explain(this.coercing, validate.errors ?? [], prefix)
  }

  private bodyIssues(
    operation: Operation,
    body: unknown,
    contentType: string | undefined,
  ): ValidationIssue[] {
    const requestBody = operation.requestBody
    if (requestBody === undefined) {
      return body === undefined
        ? []
        : [{ pointer: '/body', message: 'must be absent: the operation documents no request body' }]
    }
    if (body === undefined) {
      return requestBody.value.required === true
        ? [{ pointer: '/body', message: 'is required but missing' }]
        : []
    }
    const content = isObject(requestBody.value.content) ? requestBody.value.content : {}
    const types = Object.keys(content)
    const mediaType =
      contentType === undefined
        ? (types.find(isJson) ?? types[0])
        : types.find((type) => type === contentType.split(';')[0]?.trim().toLowerCase())
    if (mediaType === undefined) {
      return [
        {
          pointer: '/headers/content-type',
          message: `${contentType ?? 'none'} is not a documented request content type`,
          expected: { content: types },
        },
      ]
    }
    const pointer = `${requestBody.pointer}/content/${escapeToken(mediaType)}`
    if (mediaType !== 'application/x-www-form-urlencoded') return this.check(pointer, body, '/body')
    const fields = typeof body === 'string' ? formValues(body) : structuredClone(body)
    return this.check(pointer, fields, '/body', this.coercing)
  }

  /** Validates against a media type object's schema; a media type without one accepts anything. */
  private check(mediaType: string, value: unknown, prefix: string, ajv = this.strict) {
    const media = valueAt(this.document, mediaType)
    if (!isObject(media) || media.schema === undefined) return []
    return this.run(ajv, `${mediaType}/schema`, value, prefix)
  }

  private run(ajv: Ajv2020, pointer: string, value: unknown, prefix: string): ValidationIssue[] {
    return this.attempt(ajv, pointer, value, prefix).issues
  }

  /** Validates and explains; `depth` is how deep into the value Ajv's failures lie. */
  private attempt(ajv: Ajv2020, pointer: string, value: unknown, prefix: string) {
    const validate = this.compiled(
      `${ajv === this.strict ? 'strict' : 'coercing'} ${pointer}`,
      () => ajv.compile(refTo(pointer)),
    )
    const errors = validate(value) ? [] : (validate.errors ?? [])
    return {
      issues: this.explain(ajv, errors, prefix),
      depth: Math.max(0, ...errors.map((e) => e.instancePath.split('/').length)),
    }
  }

  /**
   * Ajv reports the failures of every branch of a failed `oneOf`/`anyOf`, most of them about
   * shapes the value was never meant to have (a found key checked against the error envelope).
   * Where the composition stands alone in its schema, the value is validated against each branch
   * by itself and only the closest branch is reported, followed by the composition's own line.
   * The closest branch is the one whose `const`s hold (a discriminator such as `status: PAID`
   * picks its branch), then declares the most of the value's properties (a key with a wrong
   * `card_type` is still a key, not a super key lacking `channelGroupId`), then faults the fewest
   * values, then fails deepest. Ajv reports a branch's failures right before the composition's,
   * so those are the ones replaced.
   */
  private explain(ajv: Ajv2020, errors: readonly ErrorObject[], prefix: string): ValidationIssue[] {
    const issues: ValidationIssue[] = []
    for (const error of errors) {
      const branches = this.compositionAt(error)
      if (branches !== undefined) {
        const at = `${prefix}${error.instancePath}`
        while (issues.length > 0 && isWithin(issues.at(-1)?.pointer ?? '', at)) issues.pop()
        issues.push(...this.closestBranch(ajv, branches, error.data, at))
      }
      issues.push(issueOf(error, prefix))
    }
    return unique(issues)
  }

  /** The failures of the branch closest to the value (see `explain`). */
  private closestBranch(ajv: Ajv2020, branches: string, value: unknown, at: string) {
    const properties = isObject(value) ? Object.keys(value) : []
    const candidates = (valueAt(this.document, branches) as unknown[]).map((_, index) => {
      const branch = `${branches}/${index}`
      const known = this.declared(branch)
      const { issues, depth } = this.attempt(ajv, branch, value, at)
      const faults = new Set(issues.filter((i) => !isComposition(i)).map((i) => i.pointer))
      return {
        issues,
        score: [
          -issues.filter((i) => isObject(i.expected) && 'const' in i.expected).length,
          properties.filter((p) => known.has(p)).length,
          -faults.size,
          depth,
        ],
      }
    })
    return candidates.reduce((best, next) => (outranks(next.score, best.score) ? next : best))
      .issues
  }

  /** The pointer of a failed composition's branch list, when nothing else in its schema can fail. */
  private compositionAt(error: ErrorObject): string | undefined {
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') return undefined
    // a oneOf that failed because several branches matched has no branch failures to sort out
    if (error.params.passingSchemas) return undefined
    const alone = Object.keys(error.parentSchema ?? {}).every(
      (key) => key === error.keyword || ANNOTATIONS.has(key) || key.startsWith('x-'),
    )
    return alone && Array.isArray(error.schema) ? this.pointers().get(error.schema) : undefined
  }

  /** The property names a schema declares, through `$ref`s and `allOf`. */
  private declared(pointer: string): Set<string> {
    const schema = valueAt(this.document, pointer)
    if (!isObject(schema)) return new Set()
    const { value, pointer: at } = deref(this.document, { value: schema, pointer })
    const all = Array.isArray(value.allOf) ? value.allOf : []
    return new Set([
      ...Object.keys(isObject(value.properties) ? value.properties : {}),
      ...all.flatMap((_, index) => [...this.declared(`${at}/allOf/${index}`)]),
    ])
  }

  /** The JSON pointer of every object and array in the document, by identity (Ajv's verbose
   * errors hand back the document's own schema objects). */
  private pointers(): WeakMap<object, string> {
    if (!this.locations) {
      const locations = new WeakMap<object, string>()
      const visit = (value: unknown, pointer: string) => {
        if (typeof value !== 'object' || value === null || locations.has(value)) return
        locations.set(value, pointer)
        for (const [key, child] of Object.entries(value))
          visit(child, `${pointer}/${escapeToken(key)}`)
      }
      visit(this.document, '')
      this.locations = locations
    }
    return this.locations
  }

  private compiled(key: string, compile: () => ValidateFunction): ValidateFunction {
    let validate = this.validators.get(key)
    if (!validate) {
      try {
        validate = compile()
      } catch (error) {
        throw new Error(
          `${this.name}: cannot compile the schema for ${key}: ${(error as Error).message}`,
        )
      }
      this.validators.set(key, validate)
    }
    return validate
  }
}

/** Keywords that never fail validation. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  'example',
  'discriminator',
  'externalDocs',
  'xml',
])

/** Compares scores position by position: the first difference decides. */
function outranks(score: number[], than: number[]): boolean {
  const index = score.findIndex((value, i) => value !== than[i])
  return index >= 0 && (score[index] ?? 0) > (than[index] ?? 0)
}

function isComposition(issue: ValidationIssue): boolean {
  return isObject(issue.expected) && ('oneOf' in issue.expected || 'anyOf' in issue.expected)
}

function isWithin(pointer: string, at: string): boolean {
  return pointer === at || pointer.startsWith(`${at}/`)
}

function result(errors: ValidationIssue[]): ValidationResult {
  return { valid: errors.length === 0, errors }
}

function isJson(mediaType: string): boolean {
  return /^application\/(.+\+)?json$/.test(mediaType)
}

function routeOf(template: string): { route: RegExp; names: string[] } {
  const names: string[] = []
  const source = template
    .split(/\{([^}]+)\}/)
    .map((part, index) => {
      if (index % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      names.push(part)
      return '([^/]+)'
    })
    .join('')
  return { route: new RegExp(`^${source}$`), names }
}

/** The percent-decoded path parameters, or undefined when the path does not match or does not
 * decode. */
function pathParams(operation: Operation, pathname: string): Record<string, string> | undefined {
  const match = operation.route.exec(pathname)
  if (!match) return undefined
  try {
    return Object.fromEntries(
      operation.pathNames.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]),
    )
  } catch {
    return undefined
  }
}

/** Only the default serializations (`simple` path and header values, `form` exploded query
 * values) are read; any other would be validated wrongly, so it is refused up front. */
function checkSerialization(parameter: JsonObject, pointer: string): void {
  const [style, explode] = parameter.in === 'query' ? ['form', true] : ['simple', false]
  if ((parameter.style ?? style) !== style || (parameter.explode ?? explode) !== explode) {
    throw new Error(`${pointer}: only the default parameter serialization is supported`)
  }
}

/**
 * The raw query grouped by documented parameter. `URLSearchParams` decodes the keys, so the
 * repeated key with raw or percent-encoded brackets (`customer_uid[]`, `customer_uid%5B%5D`) lands
 * on the parameter `customer_uid[]`; PHP's indexed form (`customer_uid[0]`) is mapped onto it too.
 * Every value is a list; Ajv's array coercion unwraps single values for scalar parameters.
 */
function queryValues(raw: string, operation: Operation): Record<string, string[]> {
  const names = new Set(operation.parameters.query.map((p) => p.name))
  const values: Record<string, string[]> = {}
  for (const [key, value] of new URLSearchParams(raw)) {
    const base = /^(.+)\[\d+\]$/.exec(key)?.[1]
    const indexed = base === undefined ? undefined : [`${base}[]`, base].find((n) => names.has(n))
    const name = names.has(key) ? key : (indexed ?? key)
    values[name] = [...(values[name] ?? []), value]
  }
  return values
}

function formValues(body: string): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  for (const [key, value] of new URLSearchParams(body)) {
    const previous = values[key]
    values[key] = previous === undefined ? value : [previous, value].flat()
  }
  return values
}

const specs = new Map<string, Spec>()
const documents = new WeakMap<object, Spec>()

/**
 * Loads an OpenAPI 3.1 document: a provider's packaged spec by name, a `.yaml`/`.json` file by
 * path, or an already parsed document. Synchronous and cached per source; validators compile on
 * first use and are cached per operation and part.
 */
export function loadSpec(source: ProviderName | string | object): Spec {
  if (typeof source === 'object') {
    let spec = documents.get(source)
    if (!spec) {
      spec = new OpenApiSpec(source as JsonObject, 'the OpenAPI document')
      documents.set(source, spec)
    }
    return spec
  }
  const file = (providerNames as readonly string[]).includes(source)
    ? providerSpecPath(source as ProviderName)
    : resolve(source)
  let spec = specs.get(file)
  if (!spec) {
    const document = readDocument(file)
    if (!isObject(document)) throw new Error(`${file} is not an OpenAPI document`)
    spec = new OpenApiSpec(document, file)
    specs.set(file, spec)
  }
  return spec
}
