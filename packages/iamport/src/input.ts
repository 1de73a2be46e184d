// What the key calls (client.ts) and the payment calls (payments.ts) both check, in one place.
import { assertPathId, failFor, NotFoundError } from '@billingkey/core'

export const provider = 'iamport'

/** `fail(field, rule, operation)`: a ValidationError naming field and rule, never the value. */
export const fail = failFor(provider)

/** A check of an id that goes in a URL path: `name` (or `field`), at most `maxLength` long. */
export const pathId =
  (name: string, maxLength: number) =>
  (value: unknown, operation: string, field = name) =>
    assertPathId(value, { field, maxLength, provider, operation })

export const customerUid = pathId('customerUid', 80)

/** iamport's not-found answer (with its envelope) as null; any other failure rethrown. */
export const orNull = (error: unknown): null => {
  if (error instanceof NotFoundError && error.code !== undefined) return null
  throw error
}
