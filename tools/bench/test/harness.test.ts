import { describe, expect, it } from 'vitest'
import { compare, repeat } from '../src/harness'

/** A clock that moves only when an operation says so. */
function clock() {
  let ms = 0
  return { now: () => ms, advance: (by: number) => (ms += by) }
}

describe('compare', () => {
  it('interleaves the variants, rotating the order every round', async () => {
    const order: string[] = []
    const variant = (name: string) => ({ name, run: () => void order.push(name) })
    await compare([variant('A'), variant('B'), variant('C')], {
      rounds: 3,
      warmupRounds: 0,
      opsPerSample: 1,
    })
    expect(order.join('')).toBe('ABCBCACAB')
  })

  it('drops the warm-up rounds and reports µs per operation', async () => {
    const time = clock()
    let calls = 0
    // Each operation takes 2 ms in the warm-up round and 1 ms afterwards.
    const run = () => time.advance(++calls <= 4 ? 2 : 1)
    const results = await compare([{ name: 'A', run }], {
      rounds: 2,
      warmupRounds: 1,
      opsPerSample: 4,
      now: time.now,
    })
    expect(calls).toBe(12)
    expect(results.get('A')).toMatchObject({ n: 2, median: 1000, samples: [1000, 1000] })
  })

  it('summarises each variant by name, in the order given', async () => {
    const time = clock()
    const results = await compare(
      [
        { name: 'slow', run: () => time.advance(3) },
        { name: 'fast', run: () => time.advance(1) },
      ],
      { rounds: 5, warmupRounds: 0, opsPerSample: 1, now: time.now },
    )
    expect([...results.keys()]).toEqual(['slow', 'fast'])
    expect([results.get('slow')?.median, results.get('fast')?.median]).toEqual([3000, 1000])
  })
})

describe('repeat', () => {
  it('runs exactly `ops` operations, never more than `concurrency` at once', async () => {
    let running = 0
    let most = 0
    let done = 0
    await repeat(
      async () => {
        most = Math.max(most, ++running)
        await new Promise((resolve) => setTimeout(resolve, 1))
        running--
        done++
      },
      50,
      8,
    )
    expect([done, most]).toEqual([50, 8])
  })

  it('runs one after another with concurrency 1', async () => {
    const seen: number[] = []
    let n = 0
    await repeat(async () => seen.push(n++), 3, 1)
    expect(seen).toEqual([0, 1, 2])
  })
})
