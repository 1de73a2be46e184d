import { AbortError, NotFoundError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { type BillingKeyInfo, createPortoneAdapter, toBillingKey } from '../src'
import { client, failure, fixtureBody, json, recordingFetch } from './helpers'

const issued = fixtureBody<BillingKeyInfo>('getBillingKeyInfo-200-issued')
const deleted = fixtureBody<BillingKeyInfo>('getBillingKeyInfo-200-deleted')
const ref = (billingKey: string) => ({ provider: 'portone' as const, billingKey })

describe('toBillingKey', () => {
  it('maps an issued card key to the shared model', () => {
    const key = toBillingKey(ref(issued.billingKey), issued)
    expect(key).toMatchObject({
      provider: 'portone',
      status: 'active',
      method: 'card',
      card: { issuer: 'KOOKMIN_CARD', maskedNumber: '557042******1074', kind: 'credit' },
      pg: { provider: 'NICEPAY_V2', merchantId: 'nictest04m' },
      sandbox: true,
      issuedAt: new Date(issued.issuedAt),
      updatedAt: null,
      expiresAt: null,
      raw: issued,
    })
  })

  it('maps a deleted key to deleted, deletedAt as updatedAt', () => {
    const key = toBillingKey(ref(deleted.billingKey), deleted)
    expect(key.status).toBe('deleted')
    expect(key.updatedAt).toEqual(new Date((deleted as { deletedAt: string }).deletedAt))
  })

  it('maps a key without methods (issued through V1) to method unknown', () => {
    const [, , v1] = fixtureBody<{ items: BillingKeyInfo[] }>('getBillingKeyInfos-200').items
    const key = toBillingKey(ref('k'), v1 as BillingKeyInfo)
    expect(key).toMatchObject({ method: 'unknown', card: undefined, sandbox: false })
  })

  it('refuses an answer without a valid issuedAt', () => {
    expect(() => toBillingKey(ref('k'), { ...issued, issuedAt: 'never' })).toThrow(/valid issuedAt/)
  })
})

describe('createPortoneAdapter', () => {
  it('looks a ref up by its billing key', async () => {
    const fetch = recordingFetch(() => json(issued))
    const key = await createPortoneAdapter(client(fetch)).lookup(ref('bk 1'))
    expect(key.ref).toEqual(ref('bk 1'))
    expect(fetch.calls[0]?.url.pathname).toBe('/billing-keys/bk%201')
  })

  it('gives each ref of a batch its own result, in order, and counts them settled', async () => {
    const fetch = recordingFetch(({ url }) =>
      url.pathname.endsWith('/missing')
        ? failure('BILLING_KEY_NOT_FOUND', 404)
        : url.pathname.endsWith('/gone')
          ? json(deleted)
          : json(issued),
    )
    const settled: number[] = []
    const results = await createPortoneAdapter(client(fetch)).lookupMany(
      [ref('a'), ref('missing'), ref('gone'), ref('')],
      { concurrency: 2, onSettled: (count) => settled.push(count) },
    )
    expect(results.map((result) => (result.ok ? result.key.status : result.error.name))).toEqual([
      'active',
      'NotFoundError',
      'deleted',
      'ValidationError',
    ])
    expect(results[1]?.ok === false && results[1].error).toBeInstanceOf(NotFoundError)
    expect(settled).toEqual([1, 1, 1, 1])
  })

  it('rejects the whole batch only on an abort', async () => {
    const controller = new AbortController()
    const fetch = recordingFetch(() => {
      controller.abort()
      return failure('BILLING_KEY_ALREADY_DELETED', 409)
    })
    await expect(
      createPortoneAdapter(client(fetch)).lookupMany([ref('a'), ref('b')], {
        signal: controller.signal,
        concurrency: 1,
      }),
    ).rejects.toBeInstanceOf(AbortError)
    expect(fetch.calls).toHaveLength(1)
  })
})
