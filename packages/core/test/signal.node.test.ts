import { getEventListeners } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { AbortError, createTransport, sleep } from '../src'
import { json, mockFetch, never, rejection } from './helpers'

// Node-only: node:events reads how many listeners a signal holds.
const URL_ = 'https://api.iamport.kr/subscribe/customers/c1'
const warnings: Error[] = []
const onWarning = (warning: Error) => warnings.push(warning)
process.on('warning', onWarning)
afterEach(() => {
  warnings.length = 0
})

describe('one signal shared by many calls in flight', () => {
  it('holds one listener, whether the calls wait on a fetch, a token or a turn; its abort stops them all', async () => {
    const controller = new AbortController()
    const { signal } = controller
    const fetching = createTransport({ provider: 'iamport', fetch: mockFetch(never) })
    const tokenWait = createTransport({
      provider: 'iamport',
      fetch: mockFetch(() => json({})),
      authorize: never,
    })
    // One request a second: the first is sent (and hangs), the rest queue for a turn.
    const turns = mockFetch(never)
    const queued = createTransport({ provider: 'iamport', fetch: turns, requestsPerSecond: 1 })
    // As the named methods send: a plain request, no Request of ours following the signal.
    const calls = [fetching, tokenWait, queued].flatMap((transport) =>
      Array.from({ length: 30 }, () =>
        transport.send({ method: 'GET', url: URL_, headers: {}, signal }),
      ),
    )
    await sleep(20)
    expect(getEventListeners(signal, 'abort')).toHaveLength(1)
    expect(turns.calls).toHaveLength(1)

    controller.abort()
    const errors = await Promise.all(calls.map(rejection))
    expect(errors.every((e) => e instanceof AbortError)).toBe(true)
    expect(turns.calls).toHaveLength(1)
    // Node reports a listener leak on the next tick: none came.
    await sleep(0)
    expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning')
  })

  it('settled calls leave one listener on the signal, and a later abort still stops a call waiting on it', async () => {
    const controller = new AbortController()
    const { send } = createTransport({
      provider: 'iamport',
      fetch: mockFetch(() => json({ ok: 1 })),
    })
    for (let i = 0; i < 50; i++)
      await send({ method: 'GET', url: URL_, headers: {}, signal: controller.signal })
    const waiting = sleep(60_000, controller.signal)
    controller.abort(new Error('stop'))
    await expect(waiting).rejects.toThrow('stop')
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
  })
})

describe('sleep', () => {
  it('waits without a signal, and rejects with the reason of one that aborts', async () => {
    await expect(sleep(1)).resolves.toBeUndefined()
    await expect(sleep(60_000, AbortSignal.abort('now'))).rejects.toBe('now')
  })
})
