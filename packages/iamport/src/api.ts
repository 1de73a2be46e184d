import { openapiOptions } from '@billingkey/core'
import createClient, { type Client } from 'openapi-fetch'
import type { IamportClient } from './client'
import type { paths } from './types'

export type IamportApi = Client<paths>

/**
 * The typed openapi-fetch client for the whole iamport spec, on `client`'s `fetch`: the same
 * token cache, retries, timeouts and logger as the named methods. A separate entry point, so the
 * named methods do not ship openapi-fetch to programs that never use it.
 *
 * ```ts
 * const api = createIamportApi(iamport)
 * const { data, error } = await api.GET('/subscribe/customers/{customer_uid}', {
 *   params: { path: { customer_uid: 'hong_1234' } },
 * })
 * ```
 */
export const createIamportApi = (client: Pick<IamportClient, 'baseUrl' | 'fetch'>): IamportApi =>
  createClient<paths>({
    ...openapiOptions(client),
    // `customer_uid[]=a&customer_uid[]=b`: the key repeated with raw brackets, as the Swagger shows.
    querySerializer: { array: { style: 'form', explode: true } },
  })
