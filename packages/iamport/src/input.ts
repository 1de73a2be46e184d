// What the key calls (client.ts) and the payment calls (payments.ts) both check, in one place.
import { assertPathId, ValidationError } from '@billingkey/core'

export const provider = 'iamport'

export const fail = (field: string, rule: string, operation: string): never => {
  throw new ValidationError(`${field} ${rule}`, { field, provider, operation })
}

export const customerUid = (value: unknown, operation: string) =>
  assertPathId(value, { field: 'customerUid', maxLength: 80, provider, operation })
