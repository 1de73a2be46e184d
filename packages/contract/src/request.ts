import { refTo } from './ajv'
import { escapeToken, isObject } from './document'
import type { ValidationIssue } from './issues'
import { isJson, type Location, type Operation, pathParams } from './operations'
import type { Validator } from './validator'

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

/** What is wrong with a request to `operation`: its path, query, headers and body, in that order. */
export function requestIssues(
  validator: Validator,
  operation: Operation,
  request: RequestToValidate,
): ValidationIssue[] {
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  )
  return [
    ...pathIssues(validator, operation, request.path),
    ...parameterIssues(validator, operation, 'query', queryValues(request.query ?? '', operation)),
    ...parameterIssues(validator, operation, 'header', headers),
    ...bodyIssues(validator, operation, request.body, headers['content-type']),
  ]
}

function pathIssues(
  validator: Validator,
  operation: Operation,
  pathname: string,
): ValidationIssue[] {
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
  return parameterIssues(validator, operation, 'path', params)
}

function parameterIssues(
  validator: Validator,
  operation: Operation,
  location: Location,
  values: Record<string, unknown>,
): ValidationIssue[] {
  const parameters = operation.parameters[location]
  // pointers follow the request's own fields: /path, /query, /headers, /body
  const prefix = location === 'header' ? '/headers' : `/${location}`
  return validator.built(
    `${operation.info.operationId} ${location}`,
    () => ({
      type: 'object',
      properties: Object.fromEntries(
        parameters.map((p) => [p.name, p.schemaPointer ? refTo(p.schemaPointer) : true]),
      ),
      required: parameters.filter((p) => p.required).map((p) => p.name),
      // A request carries many headers the contract has no reason to list; an unknown query
      // parameter, though, is a misspelt or undocumented one.
      additionalProperties: location !== 'query',
    }),
    values,
    prefix,
  )
}

function bodyIssues(
  validator: Validator,
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
  if (mediaType !== 'application/x-www-form-urlencoded') {
    return validator.media(pointer, body, '/body')
  }
  const fields = typeof body === 'string' ? formValues(body) : structuredClone(body)
  return validator.media(pointer, fields, '/body', true)
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
