import { describe, expect, it } from 'vitest'
import { AbortError, createSlots, defined, mapWithConcurrency, ValidationError } from '../src'
import { rejection } from './helpers'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('mapWithConcurrency', () => {
  it('keeps the input order and never runs more than the limit', async () => {
    let running = 0
    let peak = 0
    const items = Array.from({ length: 25 }, (_, i) => i)
    const results = await mapWithConcurrency(items, 4, async (item, index) => {
      running++
      peak = Math.max(peak, running)
      // Later items finish first, so order cannot come from completion order.
      for (let i = 0; i < 25 - item; i++) await tick()
      running--
      return `${item}:${index}`
    })
    expect(results).toEqual(items.map((i) => `${i}:${i}`))
    expect(peak).toBe(4)
  })

  it('handles an empty list and a limit above its length', async () => {
    expect(await mapWithConcurrency([], 3, async () => 1)).toEqual([])
    expect(await mapWithConcurrency([1, 2], 10, async (x) => x * 2)).toEqual([2, 4])
  })

  it.each([0, -1, Number.NaN])('refuses a limit of %o', async (limit) => {
    expect(await rejection(mapWithConcurrency([1], limit, async (x) => x))).toBeInstanceOf(
      ValidationError,
    )
  })

  it('starts nothing more after an abort and rejects with AbortError', async () => {
    const controller = new AbortController()
    const started: number[] = []
    const error = await rejection(
      mapWithConcurrency(
        [0, 1, 2, 3, 4, 5],
        2,
        async (item) => {
          started.push(item)
          if (item === 1) controller.abort()
          await tick()
          return item
        },
        controller.signal,
      ),
    )
    expect(error).toBeInstanceOf(AbortError)
    expect(started).toEqual([0, 1])
  })

  it('starts nothing more after a failure and rejects with it', async () => {
    const started: number[] = []
    const boom = new Error('boom')
    const error = await rejection(
      mapWithConcurrency([0, 1, 2, 3, 4], 1, async (item) => {
        started.push(item)
        if (item === 2) throw boom
        return item
      }),
    )
    expect(error).toBe(boom)
    expect(started).toEqual([0, 1, 2])
  })
})

describe('defined', () => {
  it('drops the undefined fields only, keeping null, 0, false and empty strings', () => {
    const input = { a: undefined, b: null, c: 0, d: false, e: '', f: 'x' }
    expect(defined(input)).toEqual({ b: null, c: 0, d: false, e: '', f: 'x' })
    expect(Object.keys(defined(input))).not.toContain('a')
    expect(input).toHaveProperty('a') // the caller's object is left as it is
  })
})

describe('mapWithConcurrency on shared Slots', () => {
  it('bounds several runs at once by one pool, and a run alone uses all of it', async () => {
    const slots = createSlots(3)
    let running = 0
    let peak = 0
    const peaks: Record<string, number> = {}
    const perRun: Record<string, number> = {}
    const run = (name: string, length: number, steps: number) =>
      mapWithConcurrency(
        Array.from({ length }, (_, i) => i),
        slots,
        async (item) => {
          running++
          perRun[name] = (perRun[name] ?? 0) + 1
          peak = Math.max(peak, running)
          peaks[name] = Math.max(peaks[name] ?? 0, perRun[name] ?? 0)
          for (let i = 0; i < steps; i++) await tick()
          running--
          perRun[name] = (perRun[name] ?? 0) - 1
          return `${name}${item}`
        },
      )
    // The short run ends early; the long one then has every slot to itself.
    const [short, long] = await Promise.all([run('a', 2, 1), run('b', 12, 3)])
    expect(short).toEqual(['a0', 'a1'])
    expect(long).toEqual(Array.from({ length: 12 }, (_, i) => `b${i}`))
    expect(peak).toBe(3)
    expect(peaks.b).toBe(3)
    // Every slot came back: the pool serves its full size again.
    await Promise.all([slots.take(), slots.take(), slots.take()])
    let fourth = false
    void slots.take().then(() => {
      fourth = true
    })
    await tick()
    expect(fourth).toBe(false)
  })

  it('gives a freed slot to the run that asked first, so two busy runs share the pool', async () => {
    const slots = createSlots(2)
    const order: string[] = []
    const run = (name: string) =>
      mapWithConcurrency([0, 1, 2], slots, async (item) => {
        order.push(`${name}${item}`)
        await tick()
      })
    await Promise.all([run('a'), run('b')])
    // a takes both slots first; as they free, b's waiting workers get them before a's next item.
    expect(order.slice(0, 4)).toEqual(['a0', 'a1', 'b0', 'b1'])
    expect(order).toHaveLength(6)
  })

  it('gives its slot back when an item fails or the run is aborted', async () => {
    const slots = createSlots(1)
    const boom = new Error('boom')
    expect(
      await rejection(
        mapWithConcurrency([0, 1], slots, async () => {
          throw boom
        }),
      ),
    ).toBe(boom)
    const controller = new AbortController()
    controller.abort()
    expect(
      await rejection(mapWithConcurrency([0], slots, async (x) => x, controller.signal)),
    ).toBeInstanceOf(AbortError)
    expect(await mapWithConcurrency([1, 2], slots, async (x) => x * 2)).toEqual([2, 4])
  })

  it('refuses a pool of size 0', async () => {
    expect(await rejection(mapWithConcurrency([1], createSlots(0), async (x) => x))).toBeInstanceOf(
      ValidationError,
    )
  })
})
