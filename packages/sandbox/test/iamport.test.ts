import { describe, expect, it } from 'vitest'
import { DEFAULT_SEED, DEMO_IAMPORT_CREDENTIALS, sampleRefs } from '../src/index'
import { createDataSet } from '../src/seed'
import { call, iamportToken, MINUTE, START, useSandbox } from './helpers'

const context = useSandbox()
const base = () => context.sandbox.iamport.baseUrl
const nowSeconds = () => Math.floor(context.clock.now / 1000)

const sample = sampleRefs({ counts: { iamport: { active: 3, deleted: 2, unknown: 2 } } })
function uids(category: 'active' | 'deleted' | 'unknown', count: number): string[] {
  return sample
    .filter((s) => s.category === category)
    .slice(0, count)
    .map((s) => (s.ref.provider === 'iamport' ? s.ref.customerUid : ''))
}

async function get(path: string, token?: string, headers: Record<string, string> = {}) {
  const auth: Record<string, string> =
    token === undefined ? {} : { authorization: `Bearer ${token}` }
  return call(`${base()}${path}`, { headers: { ...auth, ...headers } })
}

const tokenRequest = (json: unknown) => call(`${base()}/users/getToken`, { json })

describe('iamport tokens (facts §1.2)', () => {
  it('I-1: issues a 30-minute token with the server clock', async () => {
    const answer = await tokenRequest({
      imp_key: DEMO_IAMPORT_CREDENTIALS.apiKey,
      imp_secret: DEMO_IAMPORT_CREDENTIALS.apiSecret,
    })
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ code: 0, message: null })
    const { access_token, now, expired_at } = answer.body.response
    expect(access_token).toMatch(/^[0-9a-f]{40}$/)
    expect(now).toBe(nowSeconds())
    expect(expired_at - now).toBe(1800)
  })

  it('I-2: accepts the credentials form-encoded', async () => {
    const answer = await call(`${base()}/users/getToken`, {
      form: {
        imp_key: DEMO_IAMPORT_CREDENTIALS.apiKey,
        imp_secret: DEMO_IAMPORT_CREDENTIALS.apiSecret,
      },
    })
    expect(answer.status).toBe(200)
    expect(answer.body.response.access_token).toEqual(expect.any(String))
  })

  it('I-3: refuses wrong credentials with 401 in the envelope', async () => {
    const answer = await tokenRequest({
      imp_key: DEMO_IAMPORT_CREDENTIALS.apiKey,
      imp_secret: 'wrong',
    })
    expect(answer.status).toBe(401)
    expect(answer.body).toMatchObject({ code: -1, response: null })
    expect(answer.body.message).toEqual(expect.any(String))
  })

  it('refuses a token request without credentials as invalid input', async () => {
    const answer = await tokenRequest({ imp_key: DEMO_IAMPORT_CREDENTIALS.apiKey })
    expect(answer.status).toBe(200)
    expect(answer.body.code).toBe(-1)
    expect(answer.body.message).toContain('imp_secret')
  })

  it('I-4: returns the same token and expiry before expiry', async () => {
    const first = await tokenRequest({ ...credentials() })
    context.clock.now += 20 * MINUTE
    const second = await tokenRequest({ ...credentials() })
    expect(second.body.response.access_token).toBe(first.body.response.access_token)
    expect(second.body.response.expired_at).toBe(first.body.response.expired_at)
    expect(second.body.response.now).toBe(first.body.response.now + 20 * 60)
  })

  it('I-5: extends the expiry by 5 minutes when asked in the last minute', async () => {
    const first = (await tokenRequest(credentials())).body.response
    context.clock.now += 29 * MINUTE + 30_000
    const second = (await tokenRequest(credentials())).body.response
    expect(second.access_token).toBe(first.access_token)
    expect(second.expired_at).toBe(first.expired_at + 300)
    // The extended token still works past its original expiry.
    context.clock.now += 2 * MINUTE
    expect(
      (await get(`/subscribe/customers/${uids('active', 1)[0]}`, first.access_token)).status,
    ).toBe(200)
  })

  it('issues a new token after expiry; the old one gets 401', async () => {
    const first = (await tokenRequest(credentials())).body.response
    context.clock.now += 30 * MINUTE
    const uid = uids('active', 1)[0]
    const expired = await get(`/subscribe/customers/${uid}`, first.access_token)
    expect(expired.status).toBe(401)
    expect(expired.body).toMatchObject({ code: -1, response: null })
    const second = (await tokenRequest(credentials())).body.response
    expect(second.access_token).not.toBe(first.access_token)
    expect(second.expired_at - second.now).toBe(1800)
    expect((await get(`/subscribe/customers/${uid}`, second.access_token)).status).toBe(200)
  })

  it('I-6: 401 without a token, or with one it never issued', async () => {
    const uid = uids('active', 1)[0]
    expect((await get(`/subscribe/customers/${uid}`)).status).toBe(401)
    await iamportToken(context.sandbox)
    expect((await get(`/subscribe/customers/${uid}`, 'f'.repeat(40))).status).toBe(401)
  })

  it('I-7: takes the token as Bearer, raw, or in X-ImpTokenHeader', async () => {
    const token = await iamportToken(context.sandbox)
    const path = `/subscribe/customers/${uids('active', 1)[0]}`
    const forms: Record<string, string>[] = [
      { authorization: `Bearer ${token}` },
      { authorization: token },
      { 'x-imptokenheader': token },
    ]
    for (const headers of forms) expect((await get(path, undefined, headers)).status).toBe(200)
  })
})

function credentials() {
  return {
    imp_key: DEMO_IAMPORT_CREDENTIALS.apiKey,
    imp_secret: DEMO_IAMPORT_CREDENTIALS.apiSecret,
  }
}

describe('iamport lookups (facts §1.8)', () => {
  it('I-8: answers an active key with the documented fields', async () => {
    const token = await iamportToken(context.sandbox)
    const [uid] = uids('active', 1)
    const answer = await get(`/subscribe/customers/${encodeURIComponent(uid as string)}`, token)
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ code: 0, message: null, response: { customer_uid: uid } })
  })

  it('I-9: a paypal_v2 key has null card fields; super billing keys come back as such', async () => {
    const data = createDataSet(DEFAULT_SEED, START)
    const active = data.iamport.filter((k) => !k.deleted).map((k) => k.key)
    const paypal = active.find((k) => 'pg_provider' in k && k.pg_provider === 'paypal_v2')
    const superKey = active.find((k) => 'channelGroupId' in k)
    const token = await iamportToken(context.sandbox)
    const paypalAnswer = await get(`/subscribe/customers/${paypal?.customer_uid}`, token)
    expect(paypalAnswer.body.response).toMatchObject({
      pg_provider: 'paypal_v2',
      card_name: null,
      card_code: null,
      card_number: null,
      card_type: null,
    })
    const superAnswer = await get(`/subscribe/customers/${superKey?.customer_uid}`, token)
    expect(superAnswer.body.response.channelGroupId).toEqual(expect.any(String))
    expect(superAnswer.body.response.succeededChannels.length).toBeGreaterThan(0)
  })

  it('I-10: an unknown or deleted uid is the documented 404 with code 1', async () => {
    const token = await iamportToken(context.sandbox)
    for (const uid of [...uids('unknown', 1), ...uids('deleted', 1)]) {
      const answer = await get(`/subscribe/customers/${uid}`, token)
      expect(answer.status).toBe(404)
      expect(answer.body).toEqual({
        code: 1,
        message: `요청하신 customer_uid(${uid})로 등록된 정보를 찾을 수 없습니다.`,
        response: null,
      })
    }
  })

  it('I-11, I-12, I-13: multi lookup answers 200, 207 with the found keys only, or 404', async () => {
    const token = await iamportToken(context.sandbox)
    const [a, b] = uids('active', 2) as [string, string]
    const [missing] = uids('unknown', 1) as [string]
    const query = (list: string[]) =>
      list.map((uid) => `customer_uid[]=${encodeURIComponent(uid)}`).join('&')

    const all = await get(`/subscribe/customers?${query([a, b])}`, token)
    expect(all.status).toBe(200)
    expect(all.body.response.map((k: { customer_uid: string }) => k.customer_uid)).toEqual([a, b])

    const partial = await get(`/subscribe/customers?${query([a, missing, b])}`, token)
    expect(partial.status).toBe(207)
    expect(partial.body.code).toBe(0)
    expect(partial.body.response.map((k: { customer_uid: string }) => k.customer_uid)).toEqual([
      a,
      b,
    ])

    const none = await get(`/subscribe/customers?${query([missing])}`, token)
    expect(none.status).toBe(404)
    expect(none.body).toMatchObject({ code: 1, response: null })
  })

  it('I-15: accepts the percent-encoded and the indexed forms of customer_uid[]', async () => {
    const token = await iamportToken(context.sandbox)
    const [a, b] = uids('active', 2) as [string, string]
    for (const query of [
      `customer_uid%5B%5D=${a}&customer_uid%5B%5D=${b}`,
      `customer_uid[0]=${a}&customer_uid[1]=${b}`,
      `customer_uid%5B0%5D=${a}&customer_uid%5B1%5D=${b}`,
    ]) {
      const answer = await get(`/subscribe/customers?${query}`, token)
      expect(answer.status, query).toBe(200)
      expect(answer.body.response).toHaveLength(2)
    }
  })

  it('I-14: a multi lookup without customer_uid[] is refused, naming the parameter', async () => {
    const token = await iamportToken(context.sandbox)
    const answer = await get('/subscribe/customers', token)
    // The operation documents no 400: iamport's way is HTTP 200 with code -1.
    expect(answer.status).toBe(200)
    expect(answer.body.code).toBe(-1)
    expect(answer.body.message).toContain('customer_uid[]')
  })

  it('refuses a uid over 80 characters before looking anything up', async () => {
    const token = await iamportToken(context.sandbox)
    const answer = await get(`/subscribe/customers/${'x'.repeat(81)}`, token)
    expect(answer.body.code).toBe(-1)
    expect(answer.body.message).toContain('customer_uid')
  })

  it('decodes percent-encoded uids and keeps encoded slashes inside one segment', async () => {
    const token = await iamportToken(context.sandbox)
    for (const uid of ['a/b', 'v1.2', 'ㄱ 한글 uid?x=1']) {
      const issued = await issue(token, uid)
      expect(issued.body.response.customer_uid).toBe(uid)
      const encoded = encodeURIComponent(uid).replace(/\./g, '%2E')
      expect((await get(`/subscribe/customers/${encoded}`, token)).body.response.customer_uid).toBe(
        uid,
      )
    }
  })
})

function issue(token: string, uid: string, body: Record<string, unknown> = {}) {
  return call(`${base()}/subscribe/customers/${encodeURIComponent(uid).replace(/\./g, '%2E')}`, {
    headers: { authorization: `Bearer ${token}` },
    json: {
      card_number: '4242-4242-4242-4242',
      expiry: '2030-12',
      birth: '900101',
      pwd_2digit: '12',
      ...body,
    },
  })
}

describe('iamport issue and delete', () => {
  it('I-16: issues a key that a lookup then finds', async () => {
    const token = await iamportToken(context.sandbox)
    const answer = await issue(token, 'new_customer_1', {
      pg: 'kcp.T1234',
      customer_name: '홍길동',
    })
    expect(answer.status).toBe(200)
    expect(answer.body.response).toMatchObject({
      customer_uid: 'new_customer_1',
      pg_provider: 'kcp',
      pg_id: 'T1234',
      card_number: '42424242****4242',
      customer_name: '홍길동',
      inserted: nowSeconds(),
    })
    const found = await get('/subscribe/customers/new_customer_1', token)
    expect(found.body.response).toEqual(answer.body.response)
  })

  it('issues with form-encoded card data too', async () => {
    const token = await iamportToken(context.sandbox)
    const answer = await call(`${base()}/subscribe/customers/form_customer`, {
      headers: { authorization: token },
      form: { card_number: '4242-4242-4242-4242', expiry: '2030-12' },
    })
    expect(answer.body).toMatchObject({ code: 0, response: { customer_uid: 'form_customer' } })
  })

  it('I-17: refuses an invalid card number or an expired card with HTTP 200 and code -1', async () => {
    const token = await iamportToken(context.sandbox)
    const badNumber = await issue(token, 'bad_card', { card_number: '1111-1111-1111-1111' })
    expect(badNumber.status).toBe(200)
    expect(badNumber.body).toEqual({
      code: -1,
      message: '유효하지않은 카드번호를 입력하셨습니다.',
      response: null,
    })
    const expired = await issue(token, 'bad_card', { expiry: '2025-05' })
    expect(expired.body).toMatchObject({ code: -1, response: null })
    expect((await get('/subscribe/customers/bad_card', token)).status).toBe(404)
  })

  it('refuses an issue request without card data, naming the missing field', async () => {
    const token = await iamportToken(context.sandbox)
    const answer = await call(`${base()}/subscribe/customers/no_card`, {
      headers: { authorization: `Bearer ${token}` },
      json: { expiry: '2030-12' },
    })
    expect(answer.status).toBe(200)
    expect(answer.body.code).toBe(-1)
    expect(answer.body.message).toContain('card_number')
  })

  it('issues a super billing key with channel_group_id', async () => {
    const token = await iamportToken(context.sandbox)
    const answer = await issue(token, 'super_1', { channel_group_id: 'group-1', pg: 'ignored' })
    expect(answer.body.response).toMatchObject({
      customer_uid: 'super_1',
      channelGroupId: 'group-1',
      failedChannels: [],
    })
    expect(
      answer.body.response.succeededChannels.map((c: { pg_provider: string }) => c.pg_provider),
    ).toEqual(['nice', 'kcp'])
  })

  it('re-issuing a uid replaces its card and keeps its issue time', async () => {
    const token = await iamportToken(context.sandbox)
    const first = (await issue(token, 'reused')).body.response
    context.clock.now += 10 * MINUTE
    const second = (await issue(token, 'reused', { card_number: '5555-5555-5555-4444' })).body
      .response
    expect(second.card_number).toBe('55555555****4444')
    expect(second.inserted).toBe(first.inserted)
    expect(second.updated).toBe(first.updated + 600)
  })

  it('I-18: deletes a key, returns it, and a later lookup or delete is not found', async () => {
    const token = await iamportToken(context.sandbox)
    const [uid] = uids('active', 1) as [string]
    const before = await get(`/subscribe/customers/${uid}`, token)
    const deleted = await call(
      `${base()}/subscribe/customers/${uid}?reason=${encodeURIComponent('고객 요청')}`,
      {
        method: 'DELETE',
        headers: { authorization: `Bearer ${token}` },
      },
    )
    expect(deleted.status).toBe(200)
    expect(deleted.body.response).toEqual(before.body.response)
    expect((await get(`/subscribe/customers/${uid}`, token)).status).toBe(404)
    const again = await call(`${base()}/subscribe/customers/${uid}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(again.status).toBe(404)
    expect(again.body.code).toBe(1)
  })
})

describe('iamport payments and schedules', () => {
  it('I-19: pages the payments of a key, 20 at a time, newest first', async () => {
    const token = await iamportToken(context.sandbox)
    const data = createDataSet(DEFAULT_SEED, START)
    // An active key issued over a year ago has more than one page of monthly charges.
    const old = data.iamport.find(
      (k) => !k.deleted && 'inserted' in k.key && k.key.inserted < nowSeconds() - 700 * 86400,
    )
    const uid = old?.key.customer_uid as string
    const first = (await get(`/subscribe/customers/${uid}/payments?page=1`, token)).body.response
    expect(first.total).toBeGreaterThan(20)
    expect(first).toMatchObject({ previous: 0, next: 2 })
    expect(first.list).toHaveLength(20)
    const paidAt = first.list.map((p: { started_at: number }) => p.started_at)
    expect(paidAt).toEqual([...paidAt].sort((x, y) => y - x))
    const lastPage = Math.ceil(first.total / 20)
    const last = (await get(`/subscribe/customers/${uid}/payments?page=${lastPage}`, token)).body
      .response
    expect(last).toMatchObject({ previous: lastPage - 1, next: 0 })
    expect(last.list).toHaveLength(first.total - (lastPage - 1) * 20)
  })

  it('answers an unknown uid with an empty history (observed: 200, code 0)', async () => {
    const token = await iamportToken(context.sandbox)
    const answer = await get(`/subscribe/customers/${uids('unknown', 1)[0]}/payments`, token)
    expect(answer.body).toEqual({
      code: 0,
      message: null,
      response: { total: 0, previous: 0, next: 0, list: [] },
    })
  })

  it('refuses page 0', async () => {
    const token = await iamportToken(context.sandbox)
    const answer = await get(`/subscribe/customers/${uids('active', 1)[0]}/payments?page=0`, token)
    expect(answer.body.code).toBe(-1)
    expect(answer.body.message).toContain('page')
  })

  it('lists schedules in [from, to), filtered by status, with the next charge scheduled', async () => {
    const token = await iamportToken(context.sandbox)
    const [uid] = uids('active', 1)
    const window = `from=${nowSeconds() - 60 * 86400}&to=${nowSeconds() + 31 * 86400}`
    const all = (await get(`/subscribe/customers/${uid}/schedules?${window}`, token)).body.response
    expect(all.total).toBeGreaterThanOrEqual(2)
    const statuses = all.list.map((s: { schedule_status: string }) => s.schedule_status)
    expect(statuses[0]).toBe('scheduled')
    expect(statuses.slice(1).every((s: string) => s === 'executed')).toBe(true)
    const scheduled = (
      await get(`/subscribe/customers/${uid}/schedules?${window}&schedule-status=scheduled`, token)
    ).body.response
    expect(scheduled.total).toBe(1)
    expect(scheduled.list[0].schedule_at).toBeGreaterThan(nowSeconds())
  })

  it('I-20: refuses a schedule search without from/to or over 3 months with 400', async () => {
    const token = await iamportToken(context.sandbox)
    const [uid] = uids('active', 1)
    const missing = await get(`/subscribe/customers/${uid}/schedules`, token)
    expect(missing.status).toBe(400)
    expect(missing.body.message).toContain('from')
    const tooLong = await get(
      `/subscribe/customers/${uid}/schedules?from=0&to=${200 * 86400}`,
      token,
    )
    expect(tooLong.status).toBe(400)
    expect(tooLong.body).toMatchObject({ code: -1, response: null })
  })
})
