import { setMaxListeners } from 'node:events'
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { formatErrors, loadSpec, type Spec } from '@billingkey/contract'
import { createBootpay } from './bootpay'
import { DEMO_CREDENTIALS, type DemoCredentials } from './credentials'
import type { Emulator, ProviderName, Reply } from './emulator'
import { AFTER_COMMIT_KINDS, createFaults, type FaultKind, type FaultRule } from './faults'
import { createIamport } from './iamport'
import type { IamportWebhook } from './iamport-payments'
import { createLedger, type LedgerAudit, type LedgerEntry, type LedgerStatus } from './ledger'
import { createGateway, type GatewayOptions } from './limits'
import { createPortone } from './portone'
import { createDataSet, DEFAULT_SEED } from './seed'

export interface SandboxOptions extends GatewayOptions {
  /** Default 0: an ephemeral port. */
  port?: number
  /** Default 127.0.0.1: loopback only. */
  host?: string
  /** Seeds the data set, the ids of issued keys, the fault draws and the latency. Default DEFAULT_SEED. */
  seed?: number
  faults?: readonly FaultRule[]
  /**
   * The sandbox clock (epoch ms): token lifetimes, key expiry, the data set's times, when slow
   * charges settle and schedules run. `advanceClock` moves it further.
   */
  now?: () => number
  /** One line per request (method, path, status, operation, fault). Never headers or bodies. */
  log?: (line: string) => void
  /**
   * Check every response the sandbox sends against the spec and keep the violations in
   * `sandbox.violations` (injected faults, being off-contract on purpose, are not checked).
   * For tests; it costs a validation per response.
   */
  validateResponses?: boolean
}

export type { GatewayOptions, LatencyOptions, ProviderLimit } from './limits'

export interface OperationCounts {
  [operationId: string]: number
}

export interface SandboxStats {
  /** Every request, matched or not. */
  requests: number
  /** Requests per provider and operationId (token calls included), faulted ones too. */
  operations: Record<ProviderName, OperationCounts>
  /** Responses sent, by HTTP status. */
  statuses: Record<string, number>
  /** Faults injected, by kind. */
  faults: Partial<Record<FaultKind, number>>
  /** Requests that matched no operation (answered 404). */
  unmatched: number
  /** Requests answered 429 by a provider's `limits`, per provider. */
  rateLimited: Partial<Record<ProviderName, number>>
}

/** The sandbox's books, read-only: what every charge really did, for tests to check clients against. */
export interface SandboxLedger {
  /** Every charge attempt, oldest first. */
  entries(): readonly LedgerEntry[]
  /** A payment's status now, on the sandbox clock (`ready` until a slow commit settles). */
  statusOf(entry: LedgerEntry): LedgerStatus
  /** Payments, paid ones, and the order keys paid more than once (must be none). */
  audit(): LedgerAudit
}

export interface ResponseViolation {
  provider: ProviderName
  operationId: string
  status: number
  /** What the spec says is wrong, one line per problem. */
  errors: string
}

/** The sandbox without a socket: its state, its controls and a `fetch` that serves it in process. */
export interface InProcessSandbox {
  readonly seed: number
  /** Point an iamport client here: `createIamportClient({ ...credentials.iamport, baseUrl })`. */
  readonly iamport: { readonly baseUrl: string }
  readonly bootpay: {
    readonly baseUrl: string
    /**
     * The customer consents to a requested bank-account key (in reality, an ARS call); without
     * it the first publish attempt fails with SUBSCRIBE_PUBLISH_NOT_READY and consent arrives
     * then. Returns false when no such request is pending.
     */
    consent(receiptId: string): boolean
  }
  /** PortOne V2: `createPortoneClient({ ...credentials.portone, baseUrl, fetch })`. */
  readonly portone: { readonly baseUrl: string }
  /** The demo credentials, the only ones the sandbox accepts. */
  readonly credentials: DemoCredentials
  /**
   * A `fetch` answered by the sandbox's request handler in this process, no socket: the same
   * state, faults, stats and checks as over HTTP. A request is routed by its path
   * (`/iamport/…`, `/bootpay/…`, `/portone/…`), whatever its origin; a `reset` fault rejects it with a
   * `TypeError` as a dropped connection does, and its `signal` aborts it.
   */
  readonly fetch: typeof fetch
  /** Replaces the fault rules; their `times` counters and the fault draws start over. */
  setFaults(rules: readonly FaultRule[]): void
  /** A snapshot of the request counters. */
  stats(): SandboxStats
  resetStats(): void
  /** With `validateResponses`: the off-contract responses sent so far (the first 100). */
  readonly violations: readonly ResponseViolation[]
  /** The payments charged through this sandbox (every provider), read-only. */
  readonly ledger: SandboxLedger
  /**
   * Moves the sandbox clock `ms` forward, runs the schedules that fall due, and resolves once
   * their webhooks have been delivered (or have failed).
   */
  advanceClock(ms: number): Promise<void>
}

/** A sandbox listening on a port; its `fetch` serves the same state without the socket. */
export interface Sandbox extends InProcessSandbox {
  /** e.g. `http://127.0.0.1:54321` */
  readonly url: string
  readonly port: number
  /** Stops listening and drops open connections; pending latency faults are abandoned. */
  close(): Promise<void>
}

const PROVIDERS: readonly ProviderName[] = ['iamport', 'bootpay', 'portone']
/** Where webhooks may go: this machine only. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])
const MAX_BODY_BYTES = 1024 * 1024
const MAX_VIOLATIONS = 100

// A typical proxy error page: what a client meets when the provider's gateway fails.
const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'

/** One request as the handler sees it, whichever way it came (a socket or the in-process fetch). */
interface Incoming {
  method: string
  /** The path and query as sent, e.g. `/iamport/subscribe/customers?customer_uid[]=a`. */
  target: string
  headers: IncomingHttpHeaders
  body: Buffer | undefined
}

/** The handler's answer: a reply to send, or `RESET` to drop the connection unanswered. */
const RESET = Symbol('reset')
type Outcome = Reply | typeof RESET

/** Where the in-process sandbox says it is: a reserved name that no real fetch resolves. */
const IN_PROCESS_ORIGIN = 'http://sandbox.invalid'

/**
 * A sandbox served in this process only: no port, no socket. Its `fetch` is what the clients take
 * (`createIamportClient({ ...sandbox.credentials.iamport, baseUrl: sandbox.iamport.baseUrl,
 * fetch: sandbox.fetch })`). `port` and `host` are ignored.
 */
export function createSandbox(options: SandboxOptions = {}): InProcessSandbox {
  return createState(options).at(IN_PROCESS_ORIGIN)
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = createState(options)
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) =>
        state.handle({
          method: request.method ?? 'GET',
          target: request.url ?? '/',
          headers: request.headers,
          body,
        }),
      )
      .then((outcome) => {
        if (outcome === RESET) resetConnection(request.socket)
        else send(response, outcome)
      })
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) {
          response.writeHead(413, { connection: 'close' }).end()
          return
        }
        // Closing, or the client went away mid-request: there is no one to answer.
        if (state.closing.signal.aborted || request.destroyed) return
        response.destroy()
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host}:${address.port}`
  return {
    ...state.at(url),
    url,
    port: address.port,
    close() {
      state.closing.abort()
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
    },
  }
}

/** The emulators, faults and counters of one sandbox, and the handler that serves them. */
function createState(options: SandboxOptions) {
  const seed = options.seed ?? DEFAULT_SEED
  const clock = options.now ?? Date.now
  let offset = 0
  const now = () => clock() + offset
  const log = options.log
  const data = createDataSet(seed, now())
  const ledger = createLedger(now)
  const deliveries = new Set<Promise<void>>()
  const bootpay = createBootpay({ seed, now, data: data.bootpay, ledger, notify: post })
  const emulators: Record<ProviderName, Emulator> = {
    iamport: createIamport({ seed, now, data: data.iamport, ledger, notify }),
    bootpay,
    portone: createPortone({ seed, now, data: data.portone, ledger }),
  }
  const specs: Record<ProviderName, Spec> = {
    iamport: loadSpec('iamport'),
    bootpay: loadSpec('bootpay'),
    portone: loadSpec('portone'),
  }
  const operationsOf = (provider: ProviderName) =>
    new Set(specs[provider].operations.map((o) => o.operationId))
  const faults = createFaults(seed, {
    iamport: operationsOf('iamport'),
    bootpay: operationsOf('bootpay'),
    portone: operationsOf('portone'),
  })
  faults.set(options.faults ?? [])
  let stats = emptyStats()
  const violations: ResponseViolation[] = []
  const closing = new AbortController()
  const gateway = createGateway(options, seed, closing.signal)
  // Every pending delay (latency, slow-commit) listens to it: many at once is the design, not a leak.
  setMaxListeners(0, closing.signal)
  // What a commit-then-silent request waits on: nothing, until the sandbox closes.
  const silence = new Promise<never>((_, reject) =>
    closing.signal.addEventListener('abort', () => reject(closing.signal.reason), { once: true }),
  )
  silence.catch(() => {})

  /** POSTs a webhook to a loopback `notice_url`; any other host is refused, never contacted. */
  function notify(url: string, webhook: IamportWebhook) {
    post(url, webhook, webhook.merchant_uid)
  }

  /** POSTs JSON to a loopback URL (a webhook, a Bootpay feedback); any other host is never contacted. */
  function post(url: string, payload: unknown, orderId: string) {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      log?.(`webhook not sent: ${orderId}'s URL is not a URL`)
      return
    }
    if (!LOOPBACK.has(target.hostname)) {
      log?.(`webhook not sent: ${target.hostname} is not a loopback host`)
      return
    }
    const delivery = fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.any([closing.signal, AbortSignal.timeout(10_000)]),
    })
      .then((response) => {
        log?.(`webhook ${orderId} → ${target.origin}${target.pathname}: ${response.status}`)
        return response.body?.cancel()
      })
      .catch((error: Error) => {
        log?.(`webhook ${orderId} → ${target.origin}${target.pathname} failed: ${error.message}`)
      })
      .finally(() => deliveries.delete(delivery))
    deliveries.add(delivery)
  }

  async function advanceClock(ms: number) {
    if (!(Number.isFinite(ms) && ms >= 0))
      throw new RangeError('advanceClock: ms must be 0 or more')
    offset += ms
    catchUp()
    await Promise.all(deliveries)
  }

  /** Brings every emulator up to the sandbox clock: due schedules run. */
  function catchUp() {
    for (const emulator of Object.values(emulators)) emulator.tick?.()
  }

  /** Answers one request; a bug in the sandbox is logged and answered like a server error. */
  async function handle(request: Incoming): Promise<Outcome> {
    try {
      return counted(await route(request))
    } catch (error) {
      if (closing.signal.aborted) throw error
      log?.(
        `sandbox error on ${request.method} ${request.target.split('?')[0]}: ${(error as Error).message}`,
      )
      return counted({ status: 500, body: { message: 'sandbox error' } })
    }
  }

  function counted(outcome: Outcome): Outcome {
    if (outcome !== RESET) count(stats.statuses, String(outcome.status))
    return outcome
  }

  async function route(request: Incoming): Promise<Outcome> {
    const started = Date.now()
    stats.requests++
    const { method, target } = request
    const queryStart = target.indexOf('?')
    // The raw path, not `new URL(...)`: URL parsing would resolve `%2E%2E` segments away.
    const fullPath = queryStart === -1 ? target : target.slice(0, queryStart)
    const rawQuery = queryStart === -1 ? '' : target.slice(queryStart + 1)
    const prefix = fullPath.split('/')[1] ?? ''
    const provider = PROVIDERS.find((p) => p === prefix)
    const line = (status: number | string, detail = '') =>
      log?.(`${method} ${fullPath} → ${status}${detail} (${Date.now() - started} ms)`)

    if (!provider) {
      stats.unmatched++
      line(404)
      return {
        status: 404,
        body: { message: `${fullPath}: the sandbox serves /iamport/…, /bootpay/… and /portone/…` },
      }
    }
    const emulator = emulators[provider]
    const limited = await gateway(provider, emulator)
    if (limited) {
      count(stats.rateLimited, provider)
      line(limited.status, ' rate limit')
      return limited
    }
    const spec = specs[provider]
    const path = fullPath.slice(provider.length + 1) || '/'
    // The .NET SDK appends `.json` to Bootpay paths (facts §2.1); Bootpay ids are hex, so a
    // `.json` ending is never part of one.
    const pathname = provider === 'bootpay' ? path.replace(/\.json$/, '') : path
    const match = spec.match(method, pathname)
    if (!match) {
      stats.unmatched++
      const reply = emulator.failure(404, `${method} ${pathname}: no such operation`)
      line(reply.status)
      return reply
    }
    const { operationId } = match.operation
    const counts = stats.operations[provider]
    counts[operationId] = (counts[operationId] ?? 0) + 1

    const decision = faults.decide(provider, operationId)
    if (decision.latencyMs > 0) {
      count(stats.faults, 'latency')
      await sleep(decision.latencyMs, undefined, { signal: closing.signal })
    }
    catchUp()
    const fault = decision.fault
    if (fault && !AFTER_COMMIT_KINDS.includes(fault.kind)) {
      count(stats.faults, fault.kind)
      if (fault.kind === 'reset') {
        line('reset', ` ${operationId} fault=reset`)
        return RESET
      }
      const reply = faultReply(emulator, fault)
      line(reply.status, ` ${operationId} fault=${fault.kind}`)
      return reply
    }

    const commitDelayMs =
      fault?.kind === 'slow-commit' || fault?.kind === 'reset-while-committing'
        ? (fault.ms ?? 1000)
        : undefined
    const reply = answer(emulator, spec, {
      operationId,
      params: match.params,
      pathname,
      rawQuery,
      headers: request.headers,
      raw: request.body,
      commitDelayMs,
    })
    if (options.validateResponses) {
      const result = spec.validateResponse(operationId, reply.status, reply.body)
      if (!result.valid && violations.length < MAX_VIOLATIONS) {
        const errors = formatErrors(result)
        violations.push({ provider, operationId, status: reply.status, errors })
        log?.(`off-contract response to ${method} ${fullPath}: ${errors.split('\n')[0]}`)
      }
    }
    // The provider has done its work; the answer is lost, withheld or late.
    if (fault) {
      count(stats.faults, fault.kind)
      line(
        fault.kind === 'slow-commit' ? reply.status : fault.kind,
        ` ${operationId} fault=${fault.kind}`,
      )
      // The connection drops at once; the provider goes on, and its charge settles `ms` later.
      if (fault.kind === 'commit-then-reset' || fault.kind === 'reset-while-committing')
        return RESET
      if (fault.kind === 'commit-then-silent') return silence
      await sleep(commitDelayMs ?? 0, undefined, { signal: closing.signal })
      return reply
    }
    line(reply.status, ` ${operationId}`)
    return reply
  }

  /** The handler behind `fetch`: a Request in, a Response out, no socket in between. */
  async function inProcessFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init)
    const { signal } = request
    signal.throwIfAborted()
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined
    if (body && body.length > MAX_BODY_BYTES) return new Response(null, { status: 413 })
    const url = new URL(request.url)
    const outcome = await abortable(
      handle({
        method: request.method,
        target: `${url.pathname}${url.search}`,
        headers: Object.fromEntries(request.headers),
        body: body?.length ? body : undefined,
      }),
      signal,
    ).catch((error: unknown) => {
      // the socket closed under a pending request: the client sees a dropped connection
      throw signal.aborted ? error : droppedConnection(error)
    })
    if (outcome === RESET) throw droppedConnection()
    const { text, headers } = encode(outcome)
    return new Response(text, { status: outcome.status, headers })
  }

  /** The sandbox's face, its base URLs under `origin`. */
  const at = (origin: string): InProcessSandbox => ({
    seed,
    iamport: { baseUrl: `${origin}/iamport` },
    bootpay: {
      baseUrl: `${origin}/bootpay`,
      consent: (receiptId) => bootpay.consent(receiptId),
    },
    portone: { baseUrl: `${origin}/portone` },
    credentials: DEMO_CREDENTIALS,
    fetch: inProcessFetch as typeof fetch,
    setFaults: (rules) => faults.set(rules),
    stats: () => structuredClone(stats),
    resetStats() {
      stats = emptyStats()
    },
    violations,
    ledger: {
      entries: () => ledger.entries(),
      statusOf: (entry) => ledger.statusOf(entry),
      audit: () => ledger.audit(),
    },
    advanceClock,
  })
  return { at, handle, closing }
}

function send(response: ServerResponse, reply: Reply) {
  const { text, headers } = encode(reply)
  response.writeHead(reply.status, headers)
  response.end(text)
}

/** A reply's body as sent and its headers (JSON unless the reply says otherwise). */
function encode(reply: Reply): { text: string; headers: Record<string, string> } {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
  return {
    text,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
      ...reply.headers,
    },
  }
}

/** What fetch rejects with when the connection drops: `TypeError: fetch failed`, cause ECONNRESET. */
function droppedConnection(cause?: unknown): TypeError {
  const reset = Object.assign(new Error('read ECONNRESET', { cause }), { code: 'ECONNRESET' })
  return new TypeError('fetch failed', { cause: reset })
}

/** `promise`, or the signal's reason as soon as it fires; a late settlement is ignored. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason)
    signal.addEventListener('abort', abort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/** Auth, then the spec's verdict on the request, then the provider's own logic. */
function answer(
  emulator: Emulator,
  spec: Spec,
  request: {
    operationId: string
    params: Record<string, string>
    pathname: string
    rawQuery: string
    headers: IncomingHttpHeaders
    raw: Buffer | undefined
    commitDelayMs?: number
  },
): Reply {
  const { operationId, params, pathname, rawQuery, headers, raw, commitDelayMs } = request
  if (!emulator.publicOperations.has(operationId) && !emulator.authorized(headers)) {
    return emulator.unauthorized()
  }
  const declared = spec.operation(operationId).statuses
  let body: unknown
  try {
    body = raw === undefined ? undefined : parseBody(raw, headers['content-type'])
  } catch {
    return emulator.invalid(
      { valid: false, errors: [{ pointer: '/body', message: 'is not valid JSON' }] },
      declared,
    )
  }
  const verdict = spec.validateRequest(operationId, {
    path: pathname,
    query: rawQuery,
    headers: Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [name, String(value)]),
    ),
    body,
  })
  if (!verdict.valid) return emulator.invalid(verdict, declared)
  const handler = emulator.handlers[operationId]
  // The specs ship with @billingkey/contract, which may be newer than this package.
  if (!handler) return emulator.failure(501, `${operationId} is not emulated by the sandbox`)
  return handler({
    operationId,
    params,
    query: new URLSearchParams(rawQuery),
    headers,
    body,
    commitDelayMs,
  })
}

function faultReply(emulator: Emulator, fault: FaultRule): Reply {
  switch (fault.kind) {
    case 'rate-limit': {
      const reply = emulator.failure(429, 'Too Many Requests')
      return { ...reply, headers: { 'retry-after': String(fault.retryAfter ?? 1) } }
    }
    case 'server-error': {
      const status = fault.status ?? 500
      return emulator.failure(status, `sandbox fault: HTTP ${status}`)
    }
    case 'html-502':
      return { status: 502, body: HTML_502, headers: { 'content-type': 'text/html' } }
    default:
      // malformed-json: a success status and a JSON content type over a body cut short.
      return { status: 200, body: emulator.truncatedBody }
  }
}

/** A TCP reset rather than a clean close, like a crashed proxy: clients see ECONNRESET. */
function resetConnection(socket: Socket) {
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy()
  else socket.destroy()
}

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge()
    chunks.push(chunk as Buffer)
  }
  return size === 0 ? undefined : Buffer.concat(chunks)
}

/** JSON, or a form body as an object of fields (iamport accepts both, facts §1.1). */
function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8')
  if (contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text))
  }
  return JSON.parse(text)
}

function emptyStats(): SandboxStats {
  return {
    requests: 0,
    operations: { iamport: {}, bootpay: {}, portone: {} },
    statuses: {},
    faults: {},
    unmatched: 0,
    rateLimited: {},
  }
}

function count<K extends string>(counts: Partial<Record<K, number>>, key: K) {
  counts[key] = (counts[key] ?? 0) + 1
}
