import { fail } from './input'

/** The query name of the multi lookup: `customer_uid[]=a&customer_uid[]=b`, brackets raw. */
export const UIDS = 'customer_uid[]'

/**
 * `uids` split into requests whose URL (`url` plus the query) stays within `maxUrlLength`, in
 * order; a ValidationError when even one uid does not fit.
 */
export function planChunks(uids: readonly string[], url: string, maxUrlLength: number): string[][] {
  const chunks: string[][] = []
  let length = maxUrlLength
  for (const uid of uids) {
    // `?customer_uid[]=<uid>` or `&customer_uid[]=<uid>`
    const added = UIDS.length + 2 + encodeURIComponent(uid).length
    if (url.length + added > maxUrlLength)
      fail('maxUrlLength', 'is too small for one uid', 'getBillingKeys')
    if (length + added > maxUrlLength) {
      chunks.push([])
      length = url.length
    }
    chunks.at(-1)?.push(uid)
    length += added
  }
  return chunks
}
