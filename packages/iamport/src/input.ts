// What the key calls (client.ts) and the payment calls (payments.ts) both check, in one place.
import { assertPathId, NotFoundError, ValidationError } from '@billingkey/core'

export const provider = 'iamport'

export const fail = (field: string, rule: string, operation: string): never => {
  throw new ValidationError(`${field} ${rule}`, { field, provider, operation })
}

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
