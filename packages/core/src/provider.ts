import {
  buildRequest,
  type InitOf,
  type Method,
  type Operation,
  type PathsWith,
  type CallInit as RequestInit,
  type SuccessBody,
} from './caller'
import { errorFromResponse, toBillingKeyError } from './classify'
import { type ApiErrorClass, ResponseError, ServerError } from './errors'
import type { CallOptions, ClientOptions } from './model'
import type { ProviderName } from './providers'
import { hideValues, withSecretsOf } from './redact'
import { type IssuedToken, TokenCache } from './token-cache'
import { createTransport, type Endpoint, type Transport } from './transport'

/** What a failure body says: iamport `code`/`message`, Bootpay `error_code`/`message`. */
export interface Failure<Code extends string | number = string | number> {
  code: Code
  message?: string | null
}

/**
 * Why a value is not what the contract promises (`'is null, not an object'`), or a falsy value
 * when it is.
 */
export type Shape = (value: unknown) => string | false | undefined

/** How a provider authenticates: a token endpoint, or a fixed header (Basic; no token call). */
export type Authentication =
  | { basic: string }
  | {
      token: {
        operation: string
        /** A POST under the base URL; never authorized, always safe to repeat. */
        path: string
        body: unknown
        /** The token from the token call's payload. */
        read: (payload: never) => IssuedToken
      }
    }

/** A provider package's whole description of its API; core's kit does the rest. */
export interface ProviderDeclaration<Code extends string | number = string | number> {
  provider: ProviderName
  /** The credentials the client holds: hidden by value in every error and log line. */
  secrets: readonly string[]
  /** The production API root. */
  baseUrl: string
  auth: Authentication
  /** POSTs that are safe to repeat, besides the token call. Default: none. */
  isIdempotentPost?: (request: Endpoint) => boolean
  /** The provider's failure in a body (any status), or undefined when the body reports none. */
  failureOf: (body: unknown) => Failure<Code> | undefined
  /** The payload of a success body: iamport `response`, Bootpay the body itself. */
  payloadOf: (body: unknown) => unknown
  /** The error class when the code says more than the status (not found, expired, …). */
  classOf?: (failure: Failure<Code> | undefined, status: number) => ApiErrorClass | undefined
}

/**
 * Type-level function from a 2xx body to what a call returns: `interface X extends Unwrap {
 * payload: … this['body'] … }`. The default returns the body.
 */
export interface Unwrap {
  body: unknown
  payload: unknown
}
/** The default Unwrap: a call returns the body itself (Bootpay). */
export interface PayloadIsBody extends Unwrap {
  payload: this['body']
}
type PayloadOf<U extends Unwrap, B> = (U & { body: B })['payload']

/**
 * One operation, typed from the provider's `paths`: its path, params and body are checked against
 * the spec; it resolves to the payload, or rejects with the typed error of the answer. `expect`
 * checks the payload's shape: a 2xx the client cannot honestly map is a ResponseError.
 */
export type TypedCall<Paths, U extends Unwrap = PayloadIsBody> = <
  M extends Method,
  P extends PathsWith<Paths, M>,
>(
  operation: string,
  method: M,
  path: P,
  init: InitOf<Operation<Paths, P, M>> & { expect?: Shape; timeoutMs?: number },
) => Promise<PayloadOf<U, SuccessBody<Operation<Paths, P, M>>>>

/** What every provider client exposes of its wiring, and what its `/api` entry is built on. */
export interface ProviderClientBase {
  /** The API root every request goes to, without a trailing slash. */
  readonly baseUrl: string
  /**
   * `fetch` with the client's auth, retries, timeouts and logging, for any endpoint of the
   * provider: the package's `/api` entry (`createIamportApi(client)`, `createBootpayApi(client)`,
   * `createPortoneApi(client)`) builds the typed openapi-fetch client for the whole spec on it.
   */
  readonly fetch: Transport
}

export interface ProviderClient<Paths, U extends Unwrap = PayloadIsBody>
  extends ProviderClientBase {
  readonly call: TypedCall<Paths, U>
  /** A valid access token: the cached one, or a new one near expiry (token auth only). */
  getToken(options?: CallOptions): Promise<string>
}

const decoder = new TextDecoder()

/** An object with each of `fields` present (not null). */
export const objectWith =
  (...fields: string[]): Shape =>
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      // The kind of value, never the value: a body may hold anything.
      return `is ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}, not an object`
    const missing = fields.find((field) => (value as Record<string, unknown>)[field] == null)
    return missing && `has no ${missing}`
  }

/** A list whose every item fits `item`. */
export const listOf =
  (item: Shape): Shape =>
  (value) => {
    if (!Array.isArray(value)) return 'is not a list'
    for (const [index, entry] of value.entries()) {
      const wrong = item(entry)
      if (wrong) return `has an item ${index} that ${wrong}`
    }
  }

/**
 * A provider client's machinery from its declaration: base URL, token cache, transport (Bearer
 * from the token call, or a fixed Basic header; one replay after a 401 but a Basic key's 401 is final; retries
 * for GET, DELETE, the token call and `isIdempotentPost`), and typed calls that read the body
 * once, parse it once and classify it once.
 */
export function createProviderClient<
  Paths,
  U extends Unwrap = PayloadIsBody,
  Code extends string | number = string | number,
>(declaration: ProviderDeclaration<Code>, options: ClientOptions): ProviderClient<Paths, U> {
  const { provider, auth, failureOf, payloadOf, classOf } = declaration
  const baseUrl = (options.baseUrl ?? declaration.baseUrl).replace(/\/+$/, '')
  const tokenUrl = 'token' in auth ? baseUrl + auth.token.path : undefined
  const basic = 'basic' in auth && auth.basic
  const isTokenCall = ({ url }: Endpoint) => url === tokenUrl
  hideValues(declaration.secrets)

  const tokens = new TokenCache({
    // The cache's signal aborts once every caller waiting on the token has given up.
    fetchToken: async (signal) => {
      const { operation, path, body, read } = (auth as Extract<Authentication, { token: unknown }>)
        .token
      const payload = await call(
        operation,
        'POST',
        path as never,
        {
          body,
          signal,
          expect: objectWith('access_token'),
        } as never,
      )
      return read(payload as never)
    },
  })

  const fetch = createTransport({
    ...options,
    provider,
    headers: { accept: 'application/json' },
    authorize: async (request, signal) =>
      isTokenCall(request) ? undefined : basic || `Bearer ${await tokens.get(signal)}`,
    // A Basic key pair cannot be refreshed: its 401 is final.
    onUnauthorized: (_, authorization) => {
      tokens.invalidate(authorization.slice('Bearer '.length))
      return !basic
    },
    isIdempotent: (request) =>
      request.method !== 'POST' ||
      isTokenCall(request) ||
      Boolean(declaration.isIdempotentPost?.(request)),
    // A 5xx the provider's code classifies as no failure of its own (PortOne's 502 PG_PROVIDER,
    // a decline) is its final answer: a retry would only risk losing it.
    isFinal: (response, bytes) => {
      try {
        const body = JSON.parse(decoder.decode(bytes))
        return (classOf?.(failureOf(body), response.status) ?? ServerError) !== ServerError
      } catch {}
    },
  })

  // A request's card data is hidden by value while the call runs, wherever a server echoes it.
  type CallInit = RequestInit & { expect?: Shape }
  const call = (operation: string, method: string, path: string, init: CallInit) =>
    init.body === undefined
      ? exchange(operation, method, path, init)
      : withSecretsOf(init.body, () => exchange(operation, method, path, init))

  async function exchange(
    operation: string,
    method: string,
    path: string,
    init: CallInit,
  ): Promise<unknown> {
    const details = { provider, operation }
    let body: unknown
    let response: Response
    try {
      const reply = await fetch.send(buildRequest(baseUrl, method, path, init))
      response = reply.response
      const text = decoder.decode(reply.body)
      try {
        body = text ? JSON.parse(text) : undefined
      } catch (e) {
        // A 2xx must be JSON; a failure's body may be a proxy's page, kept as text.
        if (response.ok) throw e
        body = text
      }
    } catch (e) {
      throw toBillingKeyError(e, details)
    }
    const failure = failureOf(body)
    if (!response.ok || failure) {
      throw errorFromResponse({
        ...details,
        response,
        body,
        code: failure?.code,
        message: failure?.message ?? undefined,
        as: classOf?.(failure, response.status),
      })
    }
    const payload = payloadOf(body)
    const wrong = payload === undefined ? 'is missing' : init.expect?.(payload)
    if (wrong) {
      throw new ResponseError(`${provider} ${operation} failed: the answer's payload ${wrong}`, {
        ...details,
        status: response.status,
        body,
      })
    }
    return payload
  }

  return {
    baseUrl,
    fetch,
    call: call as TypedCall<Paths, U>,
    getToken: ({ signal } = {}) =>
      tokens.get(signal).catch((e) => {
        throw toBillingKeyError(e, { provider, operation: 'getToken' })
      }),
  }
}
