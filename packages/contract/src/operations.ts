import { deref, escapeToken, isObject, type JsonObject, type Located } from './document'

export interface OperationInfo {
  operationId: string
  /** Lower-case HTTP method. */
  method: string
  /** The path template, e.g. `/subscribe/customers/{customer_uid}`. */
  path: string
  /** The documented response keys in document order: `'200'`, `'207'`, `'4XX'`, `'default'`… */
  statuses: string[]
}

export type Location = 'path' | 'query' | 'header'

export interface Parameter {
  name: string
  required: boolean
  schemaPointer?: string
}

/** One operation of the document, read once: where it is, how it routes, what it documents. */
export interface Operation {
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

/** Every operation of the document's `paths`; `name` says which document in errors. */
export function* readOperations(document: JsonObject, name: string): Generator<Operation> {
  const paths = isObject(document.paths) ? document.paths : {}
  for (const [path, value] of Object.entries(paths)) {
    const item = deref(document, { value, pointer: `/paths/${escapeToken(path)}` })
    for (const method of METHODS.filter((m) => isObject(item.value[m]))) {
      const pointer = `${item.pointer}/${method}`
      const operation = item.value[method] as JsonObject
      if (typeof operation.operationId !== 'string') {
        throw new Error(`${name}: ${method.toUpperCase()} ${path} has no operationId`)
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
        parameters: readParameters(document, [
          { value: item.value.parameters, pointer: `${item.pointer}/parameters` },
          { value: operation.parameters, pointer: `${pointer}/parameters` },
        ]),
        requestBody:
          operation.requestBody === undefined
            ? undefined
            : deref(document, { value: operation.requestBody, pointer: `${pointer}/requestBody` }),
        responses,
      }
    }
  }
}

/** Path-item parameters, overridden by the operation's own of the same name and location. */
function readParameters(
  document: JsonObject,
  lists: Located<unknown>[],
): Record<Location, Parameter[]> {
  const byKey = new Map<string, { in: Location; parameter: Parameter }>()
  for (const list of lists) {
    if (!Array.isArray(list.value)) continue
    list.value.forEach((value, index) => {
      const { value: parameter, pointer } = deref(document, {
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

/** Only the default serializations (`simple` path and header values, `form` exploded query
 * values) are read; any other would be validated wrongly, so it is refused up front. */
function checkSerialization(parameter: JsonObject, pointer: string): void {
  const [style, explode] = parameter.in === 'query' ? ['form', true] : ['simple', false]
  if ((parameter.style ?? style) !== style || (parameter.explode ?? explode) !== explode) {
    throw new Error(`${pointer}: only the default parameter serialization is supported`)
  }
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
export function pathParams(
  operation: Operation,
  pathname: string,
): Record<string, string> | undefined {
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

export function isJson(mediaType: string): boolean {
  return /^application\/(.+\+)?json$/.test(mediaType)
}
