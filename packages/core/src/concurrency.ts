import { ValidationError } from './errors'
import { abortError } from './signal'

/**
 * One concurrency bound shared by several `mapWithConcurrency` runs at once (the facade's
 * providers, each looked up under its own rate limit): at most `size` of their calls run at any
 * instant, and a freed slot goes to whichever run asked first, so none waits while a slot is idle.
 */
export interface Slots {
  readonly size: number
  /** Resolves once a slot is this caller's; `give` it back when done. */
  take(): Promise<void>
  give(): void
}

export function createSlots(size: number): Slots {
  let free = size
  const waiting: (() => void)[] = []
  return {
    size,
    async take() {
      if (free > 0) free -= 1
      else await new Promise<void>((go) => waiting.push(go))
    },
    give: () => {
      const next = waiting.shift()
      if (next) next()
      else free += 1
    },
  }
}

/**
 * `fn` over `items` with at most `limit` running at once (a number, or `Slots` shared with other
 * runs); results keep the input order. After an abort or a failure no further item starts, and
 * the promise rejects with that error.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number | Slots,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  const slots = typeof limit === 'object' ? limit : undefined
  const size = slots ? slots.size : limit
  if (!((size as number) >= 1))
    throw new ValidationError('concurrency must be at least 1', { field: 'concurrency' })
  const results: R[] = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      await slots?.take()
      try {
        if (signal?.aborted) throw abortError(signal)
        results[index] = await fn(items[index] as T, index)
      } catch (e) {
        next = items.length
        throw e
      } finally {
        slots?.give()
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(size as number, items.length) }, worker))
  return results
}

/** The object without its undefined fields: the common fields a caller left out stay out. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
