import { resolve } from 'node:path'
import {
  isObject,
  type JsonObject,
  type ProviderName,
  providerNames,
  providerSpecPath,
  readDocument,
  valueAt,
} from './document'
import { resultOf, type ValidationResult } from './issues'
import { type Operation, type OperationInfo, pathParams, readOperations } from './operations'
import { type RequestToValidate, requestIssues } from './request'
import { responseIssues, responseKey } from './response'
import { Validator } from './validator'

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

/** A document's operations by id and by route, each call handed to the code that does it. */
class OpenApiSpec implements Spec {
  readonly operations: readonly OperationInfo[]
  private readonly byId = new Map<string, Operation>()
  private readonly byRoute: Operation[]
  private readonly validator: Validator

  constructor(
    readonly document: JsonObject,
    private readonly name: string,
  ) {
    if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1.')) {
      throw new Error(`${name} is not an OpenAPI 3.1 document (openapi: ${document.openapi})`)
    }
    for (const operation of readOperations(document, name)) {
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
    this.validator = new Validator(document, name)
  }

  operation(operationId: string): OperationInfo {
    return this.entry(operationId).info
  }

  responseKey(operationId: string, status: number): string | undefined {
    return responseKey(this.entry(operationId), status)
  }

  validateRequest(operationId: string, request: RequestToValidate): ValidationResult {
    return resultOf(requestIssues(this.validator, this.entry(operationId), request))
  }

  validateResponse(operationId: string, status: number, body: unknown): ValidationResult {
    const operation = this.entry(operationId)
    return resultOf(responseIssues(this.document, this.validator, operation, status, body))
  }

  validate(schemaPointer: string, value: unknown): ValidationResult {
    valueAt(this.document, schemaPointer) // says "nothing at <pointer>" before Ajv's ref error does
    return resultOf(this.validator.schema(schemaPointer, value, ''))
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
