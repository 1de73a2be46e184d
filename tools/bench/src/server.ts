/**
 * The server side of a measurement, in a process of its own so that the client under test does
 * not share its event loop (and so the sandbox's memory is its own):
 *
 *   node server.js sandbox [options]   the @billingkey/sandbox, default seed; `options` is
 *                                      JSON of SandboxOptions (limits, latency)
 *   node server.js stub      a loopback server answering the contract fixtures at once
 *
 * It sends `{ type: 'ready', url }` once listening, then answers `{ id, type }` messages:
 * `stats`, `resetStats`, `memory` (after a full GC when run with --expose-gc) and `close`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type SandboxOptions, startSandbox } from '@billingkey/sandbox'
import { answerFor } from './fixtures'

export type ServerMode = 'sandbox' | 'stub'
export type ServerRequest = { id: number; type: 'stats' | 'resetStats' | 'memory' | 'close' }

async function start(mode: ServerMode, options: SandboxOptions) {
  if (mode === 'sandbox') {
    const sandbox = await startSandbox(options)
    return {
      url: sandbox.url,
      stats: sandbox.stats,
      resetStats: sandbox.resetStats,
      close: sandbox.close,
    }
  }
  const server = createServer((request, response) => {
    const body = answerFor(request.method ?? 'GET', request.url ?? '/')
    // Drain any request body before answering, as a real server does.
    request.resume().on('end', () => {
      response.writeHead(body ? 200 : 404, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body ?? '{}'),
      })
      response.end(body ?? '{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => undefined,
    resetStats: () => undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

const server = await start(
  process.argv[2] as ServerMode,
  JSON.parse(process.argv[3] ?? '{}') as SandboxOptions,
)
const send = (message: unknown) => process.send?.(message)
process.on('message', async ({ id, type }: ServerRequest) => {
  if (type === 'stats') return send({ id, result: server.stats() })
  if (type === 'resetStats') return send({ id, result: server.resetStats() })
  if (type === 'memory') {
    globalThis.gc?.()
    return send({ id, result: process.memoryUsage() })
  }
  await server.close()
  send({ id })
  process.disconnect()
})
send({ type: 'ready', url: server.url })
