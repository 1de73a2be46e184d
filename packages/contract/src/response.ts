import { deref, escapeToken, isObject, type JsonObject } from './document'
import type { ValidationIssue } from './issues'
import { isJson, type Operation } from './operations'
import type { Validator } from './validator'

/** The response key that documents `status`: the exact status, then its range, then `default`. */
export function responseKey(operation: Operation, status: number): string | undefined {
  const { statuses } = operation.info
  const range = `${Math.floor(status / 100)}XX`
  return [String(status), range, 'default'].find((key) => statuses.includes(key))
}

/** What is wrong with `body` as the response of `operation` with HTTP `status`. */
export function responseIssues(
  document: JsonObject,
  validator: Validator,
  operation: Operation,
  status: number,
  body: unknown,
): ValidationIssue[] {
  const key = responseKey(operation, status)
  if (key === undefined) {
    return [
      {
        pointer: '',
        message: `HTTP ${status} is not a documented response of ${operation.info.operationId}`,
        expected: { status: operation.info.statuses },
      },
    ]
  }
  const response = deref(document, {
    value: operation.responses[key],
    pointer: `${operation.pointer}/responses/${escapeToken(key)}`,
  })
  const content = isObject(response.value.content) ? response.value.content : {}
  const mediaType = Object.keys(content).find(isJson) ?? Object.keys(content)[0]
  if (mediaType === undefined) {
    if (body === undefined || body === null || body === '') return []
    return [{ pointer: '', message: `must be empty: HTTP ${key} documents no body` }]
  }
  return validator.media(`${response.pointer}/content/${escapeToken(mediaType)}`, body, '')
}
