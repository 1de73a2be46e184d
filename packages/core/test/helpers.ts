import type { Logger } from '../src'
import { recordingFetch } from './fetch'

export { json } from './fetch'

/**
 * The recording fetch, answering through `handler` with the Request and the call's 1-based
 * number; `calls` has each request and its body `text`.
 */
export const mockFetch = (
  handler: (request: Request, call: number) => Response | Promise<Response>,
) => recordingFetch((sent, index) => handler(sent.request, index + 1))

export const never = () => new Promise<never>(() => {})

export const reset = () =>
  Promise.reject(
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    }),
  )

const bytes = (text: string) => new TextEncoder().encode(text)

/** A 200 whose body sends `head`, then fails like a reset connection mid-body. */
export const truncated = (head: string) =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(bytes(head))
        controller.error(new TypeError('terminated'))
      },
    }),
    { headers: { 'content-type': 'application/json' } },
  )

/** A 200 whose body sends `head` and then nothing, ever. */
export const stalled = (head: string) =>
  new Response(
    new ReadableStream({
      start(controller) {
        controller.enqueue(bytes(head))
      },
    }),
    { headers: { 'content-type': 'application/json' } },
  )

export interface LogLine {
  level: keyof Logger
  message: string
  rest: unknown[]
}

/** A Logger that keeps every call. */
export function captureLogger() {
  const lines: LogLine[] = []
  const at =
    (level: keyof Logger) =>
    (message: string, ...rest: unknown[]) =>
      lines.push({ level, message, rest })
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  }
  return { logger, lines }
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}
