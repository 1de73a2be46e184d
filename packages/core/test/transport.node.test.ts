import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ConnectionError,
  createTransport,
  errorFromResponse,
  ServerError,
  TimeoutError,
} from '../src'
import { captureLogger, rejection } from './helpers'

// The real fetch against a loopback server: the error shapes undici really produces.
let server: Server
let base = ''
const hits = new Map<string, number>()

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? ''
    hits.set(path, (hits.get(path) ?? 0) + 1)
    if (path === '/reset') return request.socket.destroy()
    if (path === '/reset-mid-body') {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
      response.write('{"code":0,"resp')
      return setTimeout(() => request.socket.destroy(), 5)
    }
    if (path === '/silent') return
    if (path === '/html502') {
      response.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' })
      return response.end('<html><body><h1>502 Bad Gateway</h1></body></html>')
    }
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end('{"code":0,"message":null,"response":[]}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

// A timeout no loaded machine reaches for a loopback answer: only the silent server times out.
const options = {
  provider: 'bootpay',
  fetch: globalThis.fetch,
  retry: { baseDelayMs: 1, maxDelayMs: 2 },
} as const
const send = createTransport({ ...options, timeoutMs: 30_000 })
const { logger, lines } = captureLogger()
const impatient = createTransport({ ...options, timeoutMs: 200, logger, logLevel: 'debug' })

describe('the transport over a real socket', () => {
  it('turns a reset connection into a ConnectionError after retrying', async () => {
    const error = await rejection(send(`${base}/reset`))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(hits.get('/reset')).toBe(3)
  })

  it('turns a body cut mid-way into a ConnectionError after retrying', async () => {
    const error = await rejection(send(`${base}/reset-mid-body`))
    expect(error).toBeInstanceOf(ConnectionError)
    expect(hits.get('/reset-mid-body')).toBe(3)
  })

  it('times out a server that never answers', async () => {
    const error = await rejection(impatient(`${base}/silent`, { method: 'POST', body: '{}' }))
    expect(error).toBeInstanceOf(TimeoutError)
    // One attempt, never retried (a POST). Counted where it is sent: on a loaded machine the
    // 200 ms can pass before the server has even read the request.
    expect(lines.filter((line) => line.message.startsWith('billingkey request'))).toHaveLength(1)
    expect(hits.get('/silent') ?? 0).toBeLessThanOrEqual(1)
  })

  it('returns an HTML 502 for the provider to map to a ServerError', async () => {
    const response = await send(`${base}/html502`, { method: 'POST', body: '{}' })
    const body = await response.text()
    const error = errorFromResponse({
      provider: 'bootpay',
      operation: 'getBillingKey',
      response,
      body,
    })
    expect(error).toBeInstanceOf(ServerError)
    expect(error.message).toBe(
      `bootpay getBillingKey failed: the provider failed (HTTP 502 Bad Gateway, text/html body, ${body.length} characters)`,
    )
  })

  it('returns a good answer with its body intact', async () => {
    expect(await (await send(`${base}/ok`)).json()).toEqual({
      code: 0,
      message: null,
      response: [],
    })
  })
})
