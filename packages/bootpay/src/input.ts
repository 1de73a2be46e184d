import { assertPathId, ValidationError } from '@billingkey/core'

export const provider = 'bootpay'

/** A ValidationError naming `field` and what is wrong with it (never its value). */
export const fail = (field: string, rule: string, operation?: string): never => {
  throw new ValidationError(`${field} ${rule}`, { field, provider, operation })
}

/** A path id: at most 128 characters (every recorded id has 24), no "." or ".." segment. */
export const id = (value: unknown, field: string, operation: string) =>
  assertPathId(value, { field, maxLength: 128, provider, operation })
