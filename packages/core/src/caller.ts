import { ValidationError } from './errors'
import type { PlainRequest } from './transport'
import { serializePath } from './validate'

export interface CallInit {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> }
  body?: unknown
  /** Extra headers, lower-case names (PortOne's `idempotency-key`). */
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Per-attempt timeout for this call, instead of the client's `timeoutMs`. */
  timeoutMs?: number
}

export type Method = 'GET' | 'POST' | 'DELETE'

// Types over openapi-typescript's `paths`, so a typed call is checked against the spec as
// openapi-fetch's client is, without shipping openapi-fetch.
type Lower = { GET: 'get'; POST: 'post'; DELETE: 'delete' }
/** The paths of `Paths` that have method `M`. */
export type PathsWith<Paths, M extends Method> = {
  [P in keyof Paths]: Paths[P] extends { [K in Lower[M]]: object } ? P : never
}[keyof Paths] &
  string
export type Operation<Paths, P extends keyof Paths, M extends Method> = Paths[P] extends {
  [K in Lower[M]]: infer O
}
  ? O
  : never
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never
type Given<T> = [T] extends [never] ? false : [T] extends [undefined] ? false : true
type PathOf<O> = O extends { parameters: { path: infer T } } ? T : never
type QueryOf<O> = O extends { parameters: { query?: infer T } } ? T : never
type BodyOf<O> = O extends { requestBody?: infer R } ? Json<NonNullable<R>> : never
type Params<O> = (Given<PathOf<O>> extends true ? { path: PathOf<O> } : { path?: never }) &
  (Given<QueryOf<O>> extends true ? { query?: QueryOf<O> } : { query?: never })
/** The init of a call to operation `O`: its params and JSON body as the spec types them. */
export type InitOf<O> = Pick<CallInit, 'signal' | 'headers'> &
  (Given<PathOf<O>> extends true ? { params: Params<O> } : { params?: Params<O> }) &
  (Given<BodyOf<O>> extends true ? { body: BodyOf<O> } : { body?: never })
/** The JSON body of operation `O`'s 2xx answers. */
export type SuccessBody<O> = O extends { responses: infer R }
  ? { [S in keyof R]: S extends 200 | 201 | 202 | 207 ? Json<R[S]> : never }[keyof R]
  : never

/**
 * The plain request for `method path` under `baseUrl` (no trailing slash): `{name}` path params
 * through serializePath; a query with `undefined`/`null` dropped, arrays as the key repeated
 * (`form`, exploded) and names as written (`customer_uid[]`), values percent-encoded, as
 * openapi-fetch sends them; a JSON body. Not supported, as no named method sends them: objects or
 * nested arrays in a query (openapi-fetch serialises or refuses them; this stringifies them).
 * A `{name}` without its param, or a query value that is not well-formed Unicode, is a
 * ValidationError.
 */
export function buildRequest(
  baseUrl: string,
  method: string,
  path: string,
  { params = {}, body, headers, signal, timeoutMs }: CallInit = {},
): PlainRequest {
  let query = ''
  for (const [name, value] of Object.entries(params.query ?? {})) {
    if (value == null) continue
    for (const item of [value].flat()) {
      try {
        query += `${query ? '&' : '?'}${name}=${encodeURIComponent(item as string)}`
      } catch {
        // A lone surrogate has no UTF-8 form: encodeURIComponent throws a bare URIError.
        throw new ValidationError(`${name} must be well-formed Unicode`, { field: name })
      }
    }
  }
  const url = baseUrl + serializePath(path, params.path ?? {}) + query
  return body === undefined
    ? { method, url, headers, signal, timeoutMs }
    : {
        method,
        url,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        signal,
        timeoutMs,
      }
}
