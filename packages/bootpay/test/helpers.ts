import { readFileSync } from 'node:fs'
import { json, recordingFetch, type Sent } from '../../core/test/fetch'

export { json }

/** One request as the injected fetch received it. */
export type Call = Sent

type Respond = (call: Call, index: number) => Response | Promise<Response>

/** The recording fetch: records every request in `calls` and answers with `respond`. */
export function recorder(respond: Respond) {
  const fetch = recordingFetch(respond)
  return { fetch, calls: fetch.calls }
}

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
