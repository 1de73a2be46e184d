/**
 * The one recording fetch of these tests: it wraps the fetch that answers (the sandbox's in-process
 * fetch, or a scripted wire for shapes the sandbox cannot produce) and logs what the clients asked.
 */

export interface WireLog {
  /** Every request but the token call, as `METHOD path?query` below the base URL, logged when fetch is called. */
  readonly requests: string[]
  /** The customer_uids of each iamport multi lookup, in request order. */
  readonly batches: string[][]
  tokenCalls: number
  /** Requests whose signal had fired before the answer came. */
  aborted: number
  /** Refs answered so far: one per Bootpay lookup, one per uid in an iamport multi lookup. */
  answered: number
}

/** Requests in flight, shared by both wires to check a bound across providers. */
export interface Gauge {
  now: number
  max: number
}

export interface WireOptions {
  /** Called as each (non-token) request starts, with the request count so far. */
  onRequest?: (count: number, request: Request) => void
  gauge?: Gauge
}

export type Fetch = (input: Request | string | URL, init?: RequestInit) => Promise<Response>

const TOKEN_PATHS = ['/users/getToken', '/v2/request/token']

/**
 * Logs each request to `answer` (paths below `base`), then lets the network take a turn: other
 * work runs meanwhile, and the caller's signal can still stop the request.
 */
export function recordingFetch(
  answer: Fetch,
  base: string,
  options: WireOptions = {},
): { fetch: Fetch; log: WireLog } {
  const log: WireLog = { requests: [], batches: [], tokenCalls: 0, aborted: 0, answered: 0 }
  const basePath = new URL(base).pathname.replace(/\/$/, '')
  const fetch: Fetch = async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const path = url.pathname.slice(basePath.length)
    if (TOKEN_PATHS.includes(path)) {
      log.tokenCalls++
      await tick()
      return answer(request)
    }
    log.requests.push(`${request.method} ${path}${url.search}`)
    const uids = url.searchParams.getAll('customer_uid[]')
    if (uids.length > 0) log.batches.push(uids)
    options.onRequest?.(log.requests.length, request)
    const gauge = options.gauge
    if (gauge) gauge.max = Math.max(gauge.max, ++gauge.now)
    try {
      await tick()
      if (request.signal.aborted) {
        log.aborted++
        throw new DOMException('The operation was aborted.', 'AbortError')
      }
      const response = await answer(request)
      log.answered += Math.max(uids.length, 1)
      return response
    } finally {
      if (gauge) gauge.now--
    }
  }
  return { fetch, log }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))
