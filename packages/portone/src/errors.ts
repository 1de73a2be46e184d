import {
  type ApiError,
  type ApiErrorClass,
  BillingKeyExpiredError,
  type ProviderDeclaration,
  RejectedError,
} from '@billingkey/core'
import type { PortoneErrorCode } from './types'

/** A PortOne failure, its `type` typed as `code`. */
export type PortoneApiError = ApiError<PortoneErrorCode>

// Types that say more than the HTTP status; any other type falls back to the status's class
// (401 Authentication, 404 NotFound, 429 RateLimit, 5xx Server, else Rejected).
const CLASSES = new Map<unknown, ApiErrorClass>([
  ['BILLING_KEY_ALREADY_DELETED', BillingKeyExpiredError],
  // A 502 from the PG is its refusal (a decline), not PortOne failing.
  ['PG_PROVIDER', RejectedError],
])

interface Body {
  type?: unknown
  message?: string
  pgCode?: string
  pgMessage?: string
}

/** How a PortOne answer is classified: a non-2xx with `{ type, message }`; a 2xx is the payload. */
export const classification: Pick<
  ProviderDeclaration<PortoneErrorCode>,
  'failureOf' | 'payloadOf' | 'classOf'
> = {
  failureOf: (body) => {
    const { type, message, pgCode, pgMessage } = (body ?? {}) as Body
    if (typeof type !== 'string') return undefined
    // The PG's own code and words are what a decline is about.
    const pg = pgCode || pgMessage ? ` (PG ${pgCode ?? '-'}: ${pgMessage ?? ''})` : ''
    return { code: type, message: (message ?? '') + pg || undefined }
  },
  payloadOf: (body) => body,
  classOf: (failure) => CLASSES.get(failure?.code),
}
