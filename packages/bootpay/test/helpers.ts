import { readFileSync } from 'node:fs'

/** One request as the injected fetch received it. */
export interface Call {
  method: string
  url: URL
  headers: Headers
  body: unknown
  signal: AbortSignal
}

type Respond = (call: Call, index: number) => Response | Promise<Response>

/** An injected fetch that records every request and answers with `respond`. */
export function recorder(respond: Respond) {
  const calls: Call[] = []
  const fetch = async (input: Request | string | URL, init?: RequestInit) => {
    const request = new Request(input, init)
    const text = await request.text()
    const call = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
      signal: request.signal,
    }
    calls.push(call)
    return respond(call, calls.length - 1)
  }
  return { fetch: fetch as typeof globalThis.fetch, calls }
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  })

export const isTokenCall = (call: Call) => call.url.pathname.endsWith('/v2/request/token')

/**
 * A Bootpay stand-in: token calls get `token` (a fresh `tok-N` each time by default), every other
 * call goes to `respond`.
 */
export function bootpay(respond: Respond, token?: (n: number) => unknown) {
  let issued = 0
  const fake = recorder((call, index) => {
    if (!isTokenCall(call)) return respond(call, index)
    issued++
    return json(token?.(issued) ?? { access_token: `tok-${issued}`, expire_in: 1800 })
  })
  return { ...fake, apiCalls: () => fake.calls.filter((call) => !isTokenCall(call)) }
}

export const credentials = { applicationId: 'app-id', privateKey: 'private-key-SECRET' }

/** The response body of a committed fixture, by file name without `.json`. */
export function fixtureBody<T = never>(name: string): T {
  const file = new URL(`../../../specs/bootpay/fixtures/${name}.json`, import.meta.url)
  return JSON.parse(readFileSync(file, 'utf8')).response.body
}
