/**
 * The fault matrix every provider package runs (issue 16): each public operation of a client ×
 * each fault × where it strikes (the call itself, or its token call), and each wrong-shape 2xx
 * body. Time is faked, so retries, Retry-After and 60-second charge timeouts cost no real time.
 * Test-only: imported by the provider tests by relative path, never in a runtime bundle.
 */
import { inspect } from 'node:util'
import { afterAll, describe, expect, it, vi } from 'vitest'
import {
  AuthenticationError,
  BillingKeyError,
  type ClientOptions,
  ConnectionError,
  type Logger,
  RateLimitError,
  RejectedError,
  ResponseError,
  ServerError,
  TimeoutError,
} from '../src'
import { json, recordingFetch, type Sent } from './fetch'

/** Planted in every credential and token; no rendering of any error may show it. */
export const CANARY = 'CANARYf4ult5'

type ErrorClass = abstract new (...args: never[]) => Error

export interface MatrixOperation<C> {
  /** Calls the operation with valid input; rejects with what the caller would see. */
  run: (client: C) => Promise<unknown>
  /** A POST that is not idempotent: sent at most once, whatever the fault. */
  once?: boolean
  /** A POST carrying an Idempotency-Key: may be repeated, always with the same key. */
  keyed?: boolean
  /** A charge: resolves to a ChargeResult, or throws only what proves nothing was charged. */
  charge?: boolean
  /** The request is the token call itself: there is no separate token call to fail. */
  isTokenCall?: boolean
  /** Wrong-shape bodies (by name) this operation may honestly accept, and why. */
  accepts?: Record<string, string>
}

export interface ProviderMatrix<C> {
  /** As errors name it. */
  provider: string
  /** Which client of the provider, when it has several (Bootpay's token and Basic clients). */
  variant?: string
  /** A client on `fetch` with `options` (short timeouts, a debug logger), its credentials CANARY. */
  client: (fetch: typeof globalThis.fetch, options: ClientOptions) => C
  operations: Record<string, MatrixOperation<C>>
  /** Function-valued members of the client that are not operations, and why. */
  notOperations: Record<string, string>
  /** The token call, or undefined for a client without one (and why). */
  token: { is: (sent: Sent) => boolean; ok: () => Response } | { none: string }
  /** The provider's refusal envelopes, by name, each with the class it must give. */
  refusals: Record<string, Refusal>
  /** How a 2xx body carries `payload` (iamport's envelope; the body itself elsewhere). */
  wrap?: (payload: unknown) => unknown
  /** Wrong-shape bodies besides the common ones. */
  extraShapes?: Record<string, unknown>
}

const MAX_RETRIES = 2
/** Client options of every cell: the defaults but for a short per-attempt timeout. */
export const CLIENT_OPTIONS = { timeoutMs: 5_000, deadlineMs: 120_000, maxRetries: MAX_RETRIES }
/** Fake time a cell may take before it counts as a hang: twice the longest deadline. */
const HANG_MS = 600_000

const bytes = (text: string) => new TextEncoder().encode(text)
const body = (stream: (c: ReadableStreamDefaultController) => void, status = 200) =>
  new Response(new ReadableStream({ start: stream }), {
    status,
    headers: { 'content-type': 'application/json' },
  })
/** Everything the client sent, echoed back: redaction by value must hide it. */
const echo = (sent: Sent) => `${sent.headers.get('authorization')} ${sent.text}`

/** A refusal in the provider's own words: the fault's answer echoes what was sent. */
export interface Refusal {
  answer: (sent: Sent) => Response
  error: ErrorClass
  /** Its status is retried when the request is idempotent (a 5xx). */
  retried?: boolean
}

interface Fault {
  answer: (sent: Sent) => Response | Promise<Response>
  error: ErrorClass
  /** Retried when idempotent. */
  retried?: boolean
  /** The Retry-After the error must report, in ms. */
  retryAfterMs?: number
}

export const FAULTS: Record<string, Fault> = {
  'connection reset': {
    answer: () =>
      Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
        }),
      ),
    error: ConnectionError,
    retried: true,
  },
  'reset mid-body': {
    answer: () =>
      body((c) => {
        c.enqueue(bytes('{"code":0,"respo'))
        c.error(new TypeError('terminated'))
      }),
    error: ConnectionError,
    retried: true,
  },
  'stalled body': {
    answer: () => body((c) => c.enqueue(bytes('{"code":0,'))),
    error: TimeoutError,
    retried: true,
  },
  'no answer': { answer: () => new Promise(() => {}), error: TimeoutError, retried: true },
  '408': { answer: () => json({}, 408), error: RejectedError, retried: true },
  '429': { answer: () => json({}, 429), error: RateLimitError, retried: true },
  '429 Retry-After: 2': {
    answer: () => json({}, 429, { 'retry-after': '2' }),
    error: RateLimitError,
    retried: true,
    retryAfterMs: 2_000,
  },
  // Within the 120 s deadline but over the 60 s cap: only the cap stops the wait.
  '429 Retry-After: 90 (over the cap)': {
    answer: () => json({}, 429, { 'retry-after': '90' }),
    error: RateLimitError,
    retryAfterMs: 90_000,
  },
  '500': { answer: () => json({}, 500), error: ServerError, retried: true },
  '502 HTML': {
    answer: (sent) =>
      new Response(`<html><body>bad gateway ${echo(sent)}</body></html>`, {
        status: 502,
        headers: { 'content-type': 'text/html' },
      }),
    error: ServerError,
    retried: true,
  },
  '503': {
    answer: () => new Response('', { status: 503 }),
    error: ServerError,
    retried: true,
  },
  '401 (then replay)': {
    answer: (sent) => json({ message: echo(sent) }, 401),
    error: AuthenticationError,
  },
  'malformed JSON 2xx': {
    answer: (sent) => new Response(`{"code":0,"response":{"x":"${echo(sent)}"`),
    error: ResponseError,
  },
  'empty 2xx': { answer: () => new Response(''), error: ResponseError },
}

/** Every rendering a person or a log pipeline could see, each cause too. */
export function renderings(value: unknown): string[] {
  const seen = [
    String(value),
    JSON.stringify(value) ?? '',
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
  ]
  for (let error = value, depth = 0; error instanceof Error && depth < 10; depth++) {
    seen.push(error.message, error.stack ?? '', String(error), JSON.stringify(error) ?? '')
    error = error.cause
  }
  return seen
}

type Outcome = { value: unknown } | { error: unknown } | { hung: true }

/** Runs `start` under fake timers, advancing time until it settles or HANG_MS pass. */
async function settle(start: () => Promise<unknown>): Promise<Outcome> {
  vi.useFakeTimers()
  try {
    let outcome: Outcome | undefined
    start().then(
      (value) => {
        outcome = { value }
      },
      (error) => {
        outcome = { error }
      },
    )
    for (let t = 0; !outcome && t < HANG_MS; t += 250) await vi.advanceTimersByTimeAsync(250)
    return outcome ?? { hung: true }
  } finally {
    vi.useRealTimers()
  }
}

const endpoint = (sent: Sent) => `${sent.method} ${sent.url.pathname}`

/** The first run of requests to one endpoint: one request's attempts, retries and replay. */
const firstRun = (sent: Sent[]) => {
  const first = sent[0] && endpoint(sent[0])
  const run: Sent[] = []
  for (const s of sent) {
    if (endpoint(s) !== first) break
    run.push(s)
  }
  return run
}

/** What a charge may throw: only what proves nothing was charged. */
const NOT_CHARGED: ErrorClass[] = [AuthenticationError, RateLimitError]

const isChargeResult = (value: unknown) =>
  ['paid', 'declined', 'unknown'].includes((value as { outcome?: string } | null)?.outcome ?? '')

/** The operation table must name every function of the client: a new method cannot be missed. */
function assertComplete<C>(matrix: ProviderMatrix<C>) {
  const client = matrix.client(
    recordingFetch(() => json({})),
    CLIENT_OPTIONS,
  )
  const functions = Object.keys(client as object).filter(
    (name) => typeof (client as Record<string, unknown>)[name] === 'function',
  )
  const listed = [...Object.keys(matrix.operations), ...Object.keys(matrix.notOperations)]
  expect(functions.filter((name) => !listed.includes(name))).toEqual([])
  expect(listed.filter((name) => !functions.includes(name))).toEqual([])
}

/** The fault matrix of one provider client, its count printed when the file ends. */
export function faultMatrix<C>(matrix: ProviderMatrix<C>) {
  const { provider, operations } = matrix
  const faults: Record<string, Fault> = { ...FAULTS }
  for (const [name, refusal] of Object.entries(matrix.refusals))
    faults[`refusal: ${name}`] = refusal
  const label = matrix.variant ? `${provider} (${matrix.variant})` : provider
  const targets = 'none' in matrix.token ? (['call'] as const) : (['call', 'token call'] as const)
  const cells = Object.entries(operations).flatMap(([name, op]) =>
    Object.keys(faults).flatMap((fault) =>
      (op.isTokenCall ? (['call'] as const) : targets).map(
        (target) => [`${name} × ${fault} × ${target}`, { name, op, fault, target }] as const,
      ),
    ),
  )
  const broken: string[] = []
  let ran = 0

  afterAll(() => {
    const own = Object.keys(operations).filter((name) => operations[name]?.isTokenCall)
    const tokenNote =
      'none' in matrix.token
        ? ` (no token call: ${matrix.token.none})`
        : own.length
          ? ` (${own.join(', ')}: the token call itself, 1 target)`
          : ''
    console.log(
      `faults: ${label}: ${Object.keys(operations).length} operations × ${Object.keys(faults).length} faults × ${targets.length} targets${tokenNote} = ${ran} cells, ${broken.length} broken`,
    )
  })

  describe(`${label}: every operation × every fault × (the call, its token call)`, () => {
    it('names every function of the client in its operation table', () => assertComplete(matrix))

    it.each(cells)('%s', async (label, { op, fault, target }) => {
      const { answer, error: errorClass, retried, retryAfterMs } = faults[fault] as Fault
      const token = 'none' in matrix.token ? undefined : matrix.token
      const times: number[] = []
      const fetch = recordingFetch((sent) => {
        times.push(Date.now())
        const isToken = token?.is(sent) ?? false
        const struck = op.isTokenCall || (target === 'token call') === isToken
        if (struck) return answer(sent)
        return isToken ? (token as { ok: () => Response }).ok() : json({})
      })
      const lines: unknown[][] = []
      const logger = Object.fromEntries(
        ['debug', 'info', 'warn', 'error'].map((level) => [
          level,
          (...line: unknown[]) => lines.push(line),
        ]),
      ) as unknown as Logger
      const options = { ...CLIENT_OPTIONS, logger, logLevel: 'debug' } as const
      const outcome = await settle(() => op.run(matrix.client(fetch, options)))
      const isStruck = (s: Sent) =>
        op.isTokenCall || (target === 'token call') === (token?.is(s) ?? false)
      const struck = fetch.calls.filter(isStruck)
      const run = firstRun(struck)
      const calls = fetch.calls.filter((s) => !token?.is(s))
      try {
        expect(outcome, 'settles').not.toHaveProperty('hung')
        const error =
          'error' in outcome
            ? outcome.error
            : op.charge && 'value' in outcome && isChargeResult(outcome.value)
              ? (outcome.value as { error?: unknown }).error
              : undefined
        if (op.charge) {
          // A ChargeResult, or thrown only when nothing can have been charged.
          // A failed token call means the charge never went out: that failure is thrown too.
          if ('error' in outcome)
            expect(
              NOT_CHARGED.some((Class) => outcome.error instanceof Class) ||
                (target === 'token call' && calls.length === 0),
            ).toBe(true)
          else expect(isChargeResult((outcome as { value: unknown }).value)).toBe(true)
          if ('value' in outcome)
            expect((outcome.value as { outcome: string }).outcome).not.toBe('paid')
        } else {
          expect(outcome).toHaveProperty('error')
          expect(error).toBeInstanceOf(errorClass)
        }
        if (error !== undefined && error !== null) {
          expect(error).toBeInstanceOf(BillingKeyError)
          for (const text of renderings(error)) expect(text).not.toContain(CANARY)
          if (retryAfterMs && error instanceof RateLimitError)
            expect(error.retryAfterMs).toBe(retryAfterMs)
        }
        // Nor in any debug log line.
        expect(lines.length).toBeGreaterThan(0)
        for (const text of lines.flat().flatMap(renderings)) expect(text).not.toContain(CANARY)
        // The first request of the struck target: retried when it may be, else sent once.
        // The token call is always safe to repeat; a POST only with an Idempotency-Key.
        const idempotent = target === 'token call' || !(op.once || (op.charge && !op.keyed))
        // A 401 proves nothing was done: the one replay with a new token is sent, POST or not.
        const replays =
          fault === '401 (then replay)' && target === 'call' && !!token && !op.isTokenCall
        const expected = retried && idempotent ? 1 + MAX_RETRIES : replays ? 2 : 1
        if (target === 'call' && !op.charge) expect(run).toHaveLength(expected)
        // On the token call a follow-up (a cancel's done-check, a charge's lookups) fetches a
        // token again, to the same endpoint: each fetch made exactly its attempts.
        if (target === 'token call') {
          expect(run.length).toBeGreaterThanOrEqual(expected)
          if (!op.charge) expect(run.length % expected).toBe(0)
        }
        // A POST that is not idempotent is sent once (twice with the replay after a 401), and
        // never when its token call failed.
        const first = calls[0] && endpoint(calls[0])
        if (op.once || (op.charge && !op.keyed)) {
          const sends = calls.filter((s) => endpoint(s) === first && s.method === 'POST')
          expect(sends.length).toBe(target === 'call' ? (replays ? 2 : 1) : 0)
        }
        if (op.keyed) {
          const keys = new Set(
            calls.filter((s) => s.method === 'POST').map((s) => s.headers.get('idempotency-key')),
          )
          expect(keys.size).toBeLessThanOrEqual(1)
        }
        // Retry-After honoured: no attempt comes sooner than the server asked.
        if (retryAfterMs && retried && run.length > 1) {
          const stamps = run.map((s) => times[fetch.calls.indexOf(s)] as number)
          for (let i = 1; i < stamps.length; i++)
            expect((stamps[i] as number) - (stamps[i - 1] as number)).toBeGreaterThanOrEqual(
              retryAfterMs,
            )
        }
      } catch (e) {
        broken.push(label)
        throw e
      } finally {
        ran++
      }
    })
  })
}

/** The 2xx bodies no operation can honestly map; `wrap` puts the payload where it belongs. */
export const COMMON_SHAPES: Record<string, unknown> = {
  '{}': {},
  '[]': [],
  '[null]': [null],
  null: null,
  '"x"': 'x',
  '1': 1,
  true: true,
  '{ unexpected: true }': { unexpected: true },
}

/** Every operation × every wrong-shape 2xx body: a ResponseError that says what is wrong. */
export function wrongShapes<C>(matrix: ProviderMatrix<C>) {
  const { provider, operations } = matrix
  const label = matrix.variant ? `${provider} (${matrix.variant})` : provider
  const shapes: Record<string, { raw: unknown } | { payload: unknown }> = {}
  for (const [name, value] of Object.entries(COMMON_SHAPES)) shapes[name] = { raw: value }
  if (matrix.wrap)
    for (const [name, value] of Object.entries(COMMON_SHAPES))
      shapes[`payload ${name}`] = { payload: value }
  for (const [name, value] of Object.entries(matrix.extraShapes ?? {}))
    shapes[name] = { raw: value }
  const token = 'none' in matrix.token ? undefined : matrix.token
  // Every operation's own answer, and (with a token call) the token answer it waits for.
  const cells = Object.entries(operations).flatMap(([name, op]) =>
    (op.isTokenCall || !token ? (['call'] as const) : (['call', 'token call'] as const)).flatMap(
      (target) =>
        Object.keys(shapes)
          .filter((shape) => target === 'token call' || !op.accepts?.[shape])
          .map(
            (shape) => [`${name}: its ${target} answered ${shape}`, { op, shape, target }] as const,
          ),
    ),
  )
  let ran = 0
  afterAll(() => {
    console.log(`faults: ${label}: ${ran} wrong-shape cells, every one a ResponseError`)
  })

  describe(`${label}: every wrong-shape 2xx body is a ResponseError`, () => {
    it.each(cells)('%s', async (_, { op, shape, target }) => {
      const given = shapes[shape] as { raw: unknown } | { payload: unknown }
      const answer = 'raw' in given ? given.raw : matrix.wrap?.(given.payload)
      const fetch = recordingFetch((sent) => {
        const isToken = op.isTokenCall || (token?.is(sent) ?? false)
        return (target === 'token call') === isToken || op.isTokenCall
          ? json(answer)
          : (token as { ok: () => Response }).ok()
      })
      const outcome = await settle(() => op.run(matrix.client(fetch, CLIENT_OPTIONS)))
      expect(outcome).not.toHaveProperty('hung')
      const error =
        'error' in outcome
          ? outcome.error
          : op.charge && 'value' in outcome
            ? (outcome.value as { outcome?: string; error?: unknown }).error
            : outcome
      if (op.charge && 'value' in outcome)
        expect((outcome.value as { outcome: string }).outcome).toBe('unknown')
      expect(error).toBeInstanceOf(ResponseError)
      expect((error as Error).message).toMatch(
        new RegExp(`^${provider} \\w+ failed: the answer's payload |not valid JSON`),
      )
      ran++
    })
  })
}
