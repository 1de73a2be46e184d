import { openapiOptions } from '@billingkey/core'
import createClient, { type Client } from 'openapi-fetch'
import type { BootpayClient } from './client'
import type { paths } from './generated/schema'

export type BootpayApi = Client<paths>

/**
 * The typed openapi-fetch client for the whole Bootpay spec, on `client`'s `fetch`: the same
 * credentials, token cache, retries, timeouts and logger as the named methods. A separate entry
 * point, so the named methods do not ship openapi-fetch to programs that never use it.
 *
 * ```ts
 * const api = createBootpayApi(bootpay)
 * const { data, error } = await api.GET('/v2/billing_key/{billing_key}', {
 *   params: { path: { billing_key: '66b2…' } },
 * })
 * ```
 */
export const createBootpayApi = (client: Pick<BootpayClient, 'baseUrl' | 'fetch'>): BootpayApi =>
  createClient<paths>(openapiOptions(client))
