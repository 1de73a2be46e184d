import { describe, expect, it } from 'vitest'
import { AbortError, defined, mapWithConcurrency, ValidationError } from '../src'
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
