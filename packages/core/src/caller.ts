import type { Transport } from './transport'
import { serializePath } from './validate'

export interface CallInit {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> }
  body?: unknown
  signal?: AbortSignal
}

/** openapi-fetch's result: `data` on a 2xx, else `error` (the JSON body, or its text). */
export interface CallResult {
  data?: unknown
  error?: unknown
  response: Response
}

export type Call = (path: string, init?: CallInit) => Promise<CallResult>

export type Caller = Record<'GET' | 'POST' | 'DELETE', Call>

/**
 * The part of openapi-fetch's client that the named methods use, at a fraction of its size, so a
 * provider package does not ship openapi-fetch to users who never touch the raw API: `{name}`
 * path params through serializePath; a query with `undefined`/`null` dropped, arrays as the key
 * repeated (`form`, exploded) and names as written (`customer_uid[]`), values percent-encoded; a
 * JSON body; the `{ data, error, response }` result. A 2xx body that is not JSON rejects with a
 * SyntaxError, as openapi-fetch's does; an empty body is `undefined`.
 * Not supported, as no named method sends them: objects or nested arrays in a query (openapi-fetch
 * serialises or refuses them; this stringifies them), and a `{name}` without its param (refused
 * here with a ValidationError; openapi-fetch sends the braces).
 *
 * `baseUrl` has no trailing slash. `Api` is the openapi-fetch `Client` subset a provider types it
 * as (its paths, from its spec): a test runs both on the same requests to prove they agree.
 */
export function createCaller<Api = Caller>(baseUrl: string, transport: Transport): Api {
  const call =
    (method: string): Call =>
    async (path, { params = {}, body, signal } = {}) => {
      const query = Object.entries(params.query ?? {})
        .flatMap(([name, value]) =>
          value == null
            ? []
            : [value].flat().map((item) => `${name}=${encodeURIComponent(item as string)}`),
        )
        .join('&')
      const json = body !== undefined
      const response = await transport(
        baseUrl + serializePath(path, params.path ?? {}) + (query && `?${query}`),
        {
          method,
          headers: json ? { 'content-type': 'application/json' } : {},
          body: json ? JSON.stringify(body) : undefined,
          signal,
        },
      )
      const text = await response.text()
      if (response.ok) return { data: text ? JSON.parse(text) : undefined, response }
      try {
        return { error: text ? JSON.parse(text) : undefined, response }
      } catch {
        return { error: text, response }
      }
    }
  return { GET: call('GET'), POST: call('POST'), DELETE: call('DELETE') } as Api
}
