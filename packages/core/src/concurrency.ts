import { ValidationError } from './errors'
import { abortError } from './signal'

/**
 * `fn` over `items` with at most `limit` running at once; results keep the input order. After
 * an abort or a failure no further item starts, and the promise rejects with that error.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  if (!(limit >= 1))
    throw new ValidationError('concurrency must be at least 1', { field: 'concurrency' })
  const results: R[] = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      try {
        if (signal?.aborted) throw abortError(signal)
        results[index] = await fn(items[index] as T, index)
      } catch (e) {
        next = items.length
        throw e
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** The object without its undefined fields: the common fields a caller left out stay out. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}
