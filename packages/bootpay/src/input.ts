import { assertPathId, failFor } from '@billingkey/core'

export const provider = 'bootpay'

/** `fail(field, rule, operation)`: a ValidationError naming field and rule, never the value. */
export const fail = failFor(provider)

/** A path id: at most 128 characters (every recorded id has 24), no "." or ".." segment. */
export const id = (value: unknown, field: string, operation: string) =>
  assertPathId(value, { field, maxLength: 128, provider, operation })
