import type { IncomingHttpHeaders } from 'node:http'
import type { ProviderName, ValidationResult } from '@billingkey/contract'

/** The providers the sandbox serves, as `@billingkey/core`'s PROVIDERS names them. */
export type { ProviderName }

/** A request that matched an operation of the provider's spec. */
export interface Exchange {
  operationId: string
  /** Path parameters, decoded. */
  params: Readonly<Record<string, string>>
  query: URLSearchParams
  headers: IncomingHttpHeaders
  /** The parsed JSON or form body; undefined when there is none. */
  body: unknown
  /** A slow-commit fault: a charge made by this request stays `ready` this long. */
  commitDelayMs?: number
}

export interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
}

/** What the server needs from one provider: its handlers and its ways of saying no. */
export interface Emulator {
  readonly provider: ProviderName
  /** The operations that take no credentials (the token calls). */
  readonly publicOperations: ReadonlySet<string>
  readonly handlers: Readonly<Record<string, (exchange: Exchange) => Reply>>
  /** Catches up with the sandbox clock (runs due schedules); called before every request. */
  tick?(): void
  authorized(headers: IncomingHttpHeaders): boolean
  unauthorized(): Reply
  /** A request the spec rejects; `declared` are the response keys the spec lists for it. */
  invalid(verdict: ValidationResult, declared: readonly string[]): Reply
  /** Any other failure (unknown route, injected 429 or 5xx) in the provider's error shape. */
  failure(status: number, message: string): Reply
  /** A body that starts like this provider's JSON and stops, for the malformed-JSON fault. */
  readonly truncatedBody: string
}

/** A string field of a parsed body, for handlers whose input the spec has already validated. */
export function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name]
  return typeof value === 'string' ? value : undefined
}
