import { describe, expect, it } from 'vitest'
import { createPortoneApi } from '../src/api'
import { client, fixtureBody, json, recordingFetch, SECRET } from './helpers'

describe('createPortoneApi', () => {
  it('sends the typed request on the client’s fetch, with its secret and base URL', async () => {
    const issued = fixtureBody('getBillingKeyInfo-200-issued')
    const fetch = recordingFetch(() => json(issued))
    const api = createPortoneApi(client(fetch, { baseUrl: 'https://portone.test/v2/' }))
    const { data, error } = await api.GET('/billing-keys/{billingKey}', {
      params: { path: { billingKey: 'bk a/b' }, query: { storeId: 'store-1' } },
    })
    expect(data).toEqual(issued)
    expect(error).toBeUndefined()
    expect(fetch.calls.map((sent) => [sent.url.href, sent.headers.get('authorization')])).toEqual([
      ['https://portone.test/v2/billing-keys/bk%20a%2Fb?storeId=store-1', `PortOne ${SECRET}`],
    ])
  })

  it('hands a PortOne error body back as `error`, typed by its `type`', async () => {
    const fetch = recordingFetch(() => json(fixtureBody('getPayment-404-payment-not-found'), 404))
    const { data, error } = await createPortoneApi(client(fetch)).GET('/payments/{paymentId}', {
      params: { path: { paymentId: 'order-unknown' } },
    })
    expect(data).toBeUndefined()
    expect(error?.type).toBe('PAYMENT_NOT_FOUND')
  })
})
