/**
 * The one recording fetch and the one `json()` of the core, iamport and Bootpay tests: nothing is
 * mocked but the wire. Test-only: never in a runtime bundle.
 */

/** One request as the injected fetch received it. */
export interface Sent {
  /** As received; its body is still unread. */
  request: Request
  method: string
  url: URL
  headers: Headers
  /** The body as text ('' without one). */
  text: string
  /** The body parsed as JSON; its text when not JSON; undefined when empty. */
  body: unknown
  signal: AbortSignal
}

/** An injected fetch that records every request in `calls` and answers with `respond`. */
export function recordingFetch(
  respond: (sent: Sent, index: number) => Response | Promise<Response>,
) {
  const calls: Sent[] = []
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const text = await request.clone().text()
    let body: unknown = text || undefined
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {}
    const sent = {
      request,
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      text,
      body,
      signal: request.signal,
    }
    calls.push(sent)
    return respond(sent, calls.length - 1)
  }
  return Object.assign(fetch as typeof globalThis.fetch, { calls })
}

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })
