import { fork } from 'node:child_process'
import type { SandboxStats } from '@billingkey/sandbox'
import type { ServerMode, ServerRequest } from './server'

export interface ServerProcess {
  /** e.g. http://127.0.0.1:54321; the sandbox serves /iamport and /bootpay under it. */
  url: string
  pid: number
  stats(): Promise<SandboxStats>
  resetStats(): Promise<void>
  /** After a full GC in the server process. */
  memory(): Promise<NodeJS.MemoryUsage>
  close(): Promise<void>
}

/** Starts dist/server.js (built beside this file) and talks to it over IPC. */
export async function startServer(mode: ServerMode): Promise<ServerProcess> {
  const child = fork(new URL('./server.js', import.meta.url), [mode], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const pending = new Map<number, (result: unknown) => void>()
  let next = 0
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the ${mode} server exited with ${code}`)))
    child.on(
      'message',
      (message: { type?: string; url?: string; id?: number; result?: unknown }) => {
        if (message.type === 'ready') resolve(message.url as string)
        else pending.get(message.id as number)?.(message.result)
      },
    )
  })
  const ask = <T>(type: ServerRequest['type']) =>
    new Promise<T>((resolve) => {
      const id = next++
      pending.set(id, (result) => {
        pending.delete(id)
        resolve(result as T)
      })
      child.send({ id, type } satisfies ServerRequest)
    })
  child.removeAllListeners('exit')
  return {
    url,
    pid: child.pid as number,
    stats: () => ask('stats'),
    resetStats: () => ask('resetStats'),
    memory: () => ask('memory'),
    close: () => ask('close'),
  }
}
