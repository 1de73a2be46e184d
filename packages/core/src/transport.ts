import {
  type BillingKeyError,
  ConnectionError,
  isPermissionDenied,
  type ProviderName,
  parseRetryAfter,
  requestIdOf,
  TimeoutError,
  toBillingKeyError,
} from './errors'
import { createLog } from './logger'
import type { ClientOptions } from './model'
import { abortError, race, sleep } from './signal'

/** A provider client's `ClientOptions` (its `baseUrl` unused), and how the provider authenticates. */
export interface TransportOptions extends Omit<ClientOptions, 'baseUrl'> {
  provider: ProviderName
  /** Defaults 500 / 8 000 / 60 000. */
  retry?: { baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number }
  /** Jitter source in [0, 1); tests inject. */
  random?: () => number
  /** The Authorization header value, or undefined for none (the token call). */
  authorize?: (request: Request, signal: AbortSignal) => Promise<string | undefined>
  /** Called on a 401 of an authorized request: invalidate, and return true to replay once. */
  onUnauthorized?: (request: Request, authorization: string) => boolean
  /** Default: GET, HEAD, OPTIONS, PUT, DELETE; providers add their token POST. */
  isIdempotent?: (request: Request) => boolean
  /** Added to every request that does not set them. */
  headers?: Record<string, string>
}

export type Transport = (input: Request | string | URL, init?: RequestInit) => Promise<Response>

const idempotent = (request: Request) => /^(GET|HEAD|OPTIONS|PUT|DELETE)$/.test(request.method)

/**
 * A fetch that adds auth, timeouts, retries, logging and the replay after a 401: a provider
 * client's `fetch`, under its named methods (createCaller) and its openapi-fetch client. It never
 * throws for an HTTP status: it returns the last response, with its body already read. Without a
 * response it throws ConnectionError, TimeoutError or AbortError.
 */
export function createTransport(options: TransportOptions): Transport {
  const {
    provider,
    timeoutMs = 30_000,
    deadlineMs = 120_000,
    maxRetries = 2,
    random = Math.random,
  } = options
  // Off without a logger: a line's fields are not even built then.
  const log = options.logger && createLog(options.logger, options.logLevel)
  const { baseDelayMs = 500, maxDelayMs = 8_000, maxRetryAfterMs = 60_000 } = options.retry ?? {}

  return async (input, init) => {
    // openapi-fetch (the /api entries) hands over a Request of its own, used as it is; the named
    // methods (createCaller) a URL and init. Every Request costs an AbortSignal.
    const request = input instanceof Request && !init ? input : new Request(input, init)
    const { method, url, signal } = request
    const where = `${provider} ${method} ${url}`
    const fields = { provider, method, url }
    const deadline = Date.now() + deadlineMs
    // Buffered once, so retries and the replay send the same bytes.
    const body = request.body && (await request.arrayBuffer())
    const retries = (options.isIdempotent ?? idempotent)(request) ? maxRetries : 0
    let replayed: unknown

    for (let retry = 0, attempt = 1; ; attempt++) {
      const started = Date.now()
      const ms = Math.min(timeoutMs, deadline - started)
      const controller = new AbortController()
      const abort = () => controller.abort(signal.reason)
      const timer = setTimeout(
        () => controller.abort(new TimeoutError(`${where} timed out after ${ms} ms`, { provider })),
        ms,
      )
      signal.addEventListener('abort', abort)
      if (signal.aborted) abort()
      let authorization: string | undefined
      let response: Response | undefined
      let error: BillingKeyError | undefined
      let sent: unknown
      log?.('debug', 'billingkey request', { ...fields, attempt })
      try {
        authorization = await race(
          options.authorize?.(request, controller.signal),
          controller.signal,
        )
        const headers = new Headers(options.headers)
        for (const [name, value] of request.headers) headers.set(name, value)
        if (authorization) headers.set('authorization', authorization)
        sent = 1
        // The body is read inside the attempt's timeout: a stalled or broken body fails it.
        // fetch is looked up per call, and never called as a method (Workers refuse a `this`).
        response = await race(
          (options.fetch ?? fetch)(url, { method, headers, body, signal: controller.signal }).then(
            async (raw) => {
              const bytes = await raw.arrayBuffer()
              return new Response(bytes.byteLength ? bytes : null, raw)
            },
          ),
          controller.signal,
        )
      } catch (e) {
        error = sent
          ? new ConnectionError(`${where} failed: ${e}`, { provider, cause: e })
          : toBillingKeyError(e, { provider })
      }
      clearTimeout(timer)
      signal.removeEventListener('abort', abort)
      if (signal.aborted) throw abortError(signal, provider)
      const reason = controller.signal.reason
      if (reason instanceof TimeoutError) error = reason
      // authorize() failing is final (the token call has retried already), and so is a runtime
      // refusing the connection (Deno without --allow-net): no retry grants a permission.
      else if (error && (!sent || isPermissionDenied(error.cause))) throw error

      const status = response?.status ?? 0
      log?.('debug', 'billingkey response', {
        ...fields,
        attempt,
        status: status || error?.name,
        ms: Date.now() - started,
        requestId: response && requestIdOf(response.headers),
      })
      if (status === 401 && authorization && !replayed) {
        replayed = options.onUnauthorized?.(request, authorization)
        if (replayed) continue
      }
      if (retry < retries && (error || status === 408 || status === 429 || status > 499)) {
        const after = parseRetryAfter(response?.headers.get('retry-after'))
        const delay = after ?? Math.min(maxDelayMs, baseDelayMs * 2 ** retry) * (0.5 + random() / 2)
        if ((after ?? 0) <= maxRetryAfterMs && Date.now() + delay < deadline) {
          retry++
          log?.('info', 'billingkey retry', { ...fields, attempt, delayMs: delay })
          await sleep(delay, signal).catch(() => {
            throw abortError(signal, provider)
          })
          continue
        }
      }
      if (error) throw error
      return response as Response
    }
  }
}
