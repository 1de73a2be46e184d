// What the client and its payments both check and page through: one copy of each.
import {
  assertIdentifier,
  assertPathId,
  assertText,
  type CallOptions,
  failFor,
  listOf,
  objectWith,
  type Shape,
} from '@billingkey/core'

export const provider = 'portone'

/** A list's sort and filter, and the page size the iterator asks for (PortOne's default 10). */
export type ListOptions<Body extends { page?: unknown }> = Omit<Body, 'page'> &
  CallOptions & { pageSize?: number }

/** `fail(field, rule, operation)`: a ValidationError naming field and rule, never the value. */
export const fail = failFor(provider)
/** An id sent in a body or a query (at most 200 characters, as PortOne's ids). */
export const identifier = (value: unknown, field: string, operation?: string) =>
  assertIdentifier(value, { field, maxLength: 200, provider, operation })
/** An id sent in a path: an identifier without "." or ".." segments. */
export const id = (value: unknown, field: string, operation: string) =>
  assertPathId(value, { field, maxLength: 200, provider, operation })
export const text = (value: unknown, field: string, operation: string) => {
  if (!/\S/.test(assertText(value, { field, maxLength: 2000, provider, operation })))
    fail(field, 'is blank', operation)
}
export const amount = (value: unknown, field: string, operation: string, min = 1) => {
  if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= min))
    fail(field, `must be an integer of at least ${min}`, operation)
}

/** A page whose every item fits `item` and whose `page` says how many there are. */
export const pageOf =
  (item: Shape): Shape =>
  (value) => {
    const wrong = objectWith('items', 'page')(value)
    if (wrong) return wrong
    const { items, page } = value as { items: unknown; page: { totalCount?: unknown } }
    const bad = listOf(item)(items)
    if (bad) return `has items that ${bad.replace(/^is not/, 'are not')}`
    if (typeof page.totalCount !== 'number') return 'has a page without a totalCount'
  }

/** Every item of a paged list: pages from 0 until `(number + 1) × size ≥ totalCount`. */
export async function* pages<Body, Item>(
  getPage: (
    body: Body,
    options: CallOptions,
  ) => Promise<{ items: Item[]; page: { totalCount: number } }>,
  { pageSize = 10, signal, ...body }: ListOptions<{ page?: unknown }>,
  operation: string,
) {
  amount(pageSize, 'pageSize', operation)
  for (let number = 0; ; number++) {
    const { items, page } = await getPage({ ...body, page: { number, size: pageSize } } as Body, {
      signal,
    })
    yield* items
    if (!items.length || (number + 1) * pageSize >= page.totalCount) return
  }
}
