import { fork } from 'node:child_process'
import type { SandboxOptions, SandboxStats } from '@billingkey/sandbox'
import type { ServerMode, ServerRequest } from './server'

export interface ServerProcess {
  /** e.g. http://127.0.0.1:54321; the sandbox serves /iamport and /bootpay under it. */
  url: string
  stats(): Promise<SandboxStats>
  resetStats(): Promise<void>
  /** After a full GC in the server process. */
  memory(): Promise<NodeJS.MemoryUsage>
  close(): Promise<void>
}

/**
 * Starts dist/server.js (built beside this file) and talks to it over IPC; `options` (JSON-safe)
 * go to the sandbox.
 */
export async function startServer(
  mode: ServerMode,
  options: Pick<SandboxOptions, 'limits' | 'latency'> = {},
): Promise<ServerProcess> {
  const child = fork(new URL('./server.js', import.meta.url), [mode, JSON.stringify(options)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const pending = new Map<
    number,
    { resolve: (result: never) => void; reject: (e: Error) => void }
  >()
  let next = 0
  let exited: Error | undefined
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => {
      // A crash mid-run fails the calls waiting on it instead of leaving them hanging.
      exited = new Error(`the ${mode} server exited with ${code}`)
      reject(exited)
      for (const call of pending.values()) call.reject(exited)
    })
    child.on('message', (message: { type?: string; url?: string; id?: number; result?: never }) => {
      if (message.type === 'ready') resolve(message.url as string)
      else pending.get(message.id as number)?.resolve(message.result as never)
    })
  })
  const ask = <T>(type: ServerRequest['type']) =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(exited)
      const id = next++
      pending.set(id, {
        resolve: (result) => {
          pending.delete(id)
          resolve(result)
        },
        reject,
      })
      child.send({ id, type } satisfies ServerRequest)
    })
  return {
    url,
    stats: () => ask('stats'),
    resetStats: () => ask('resetStats'),
    memory: () => ask('memory'),
    close: () => ask('close'),
  }
}
