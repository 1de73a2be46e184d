import { openapiOptions } from '@billingkey/core'
import createClient, { type Client } from 'openapi-fetch'
import type { PortoneClient } from './client'
import type { paths } from './generated/schema'

export type PortoneApi = Client<paths>

/**
 * The typed openapi-fetch client for the whole PortOne V2 spec, on `client`'s `fetch`: the same
 * secret, retries, timeouts and logger as the named methods. A separate entry point, so the named
 * methods do not ship openapi-fetch to programs that never use it.
 *
 * ```ts
 * const api = createPortoneApi(portone)
 * const { data, error } = await api.GET('/billing-keys/{billingKey}', {
 *   params: { path: { billingKey: 'billing-key-…' } },
 * })
 * ```
 */
export const createPortoneApi = (client: Pick<PortoneClient, 'baseUrl' | 'fetch'>): PortoneApi =>
  createClient<paths>(openapiOptions(client))
