import { createBootpayClient } from '@billingkey/bootpay'
import { createIamportClient } from '@billingkey/iamport'
import { createPortoneClient } from '@billingkey/portone'
import { DEMO_CREDENTIALS, sampleRefs } from '@billingkey/sandbox'
import { Bootpay } from '@bootpay/backend-js'
import iamportSdk from 'iamport-rest-client-nodejs'
import { compare, type Results, type Variant } from '../harness'
import { num, type Section, spread, table } from '../report'
import { startServer } from '../spawn'
import { summarize } from '../stats'

const SEQUENTIAL = { rounds: 5, warmupRounds: 1, opsPerSample: 100, concurrency: 1 }
const CONCURRENT = { rounds: 5, warmupRounds: 1, opsPerSample: 500, concurrency: 64 }

/** A function that hands out the items in turn, forever: each call looks up another key. */
const cycle = <T>(items: readonly T[]) => {
  let i = 0
  return () => items[i++ % items.length] as T
}

/** Active keys of the sandbox's data set: iamport customer_uids, Bootpay receipt ids, PortOne keys. */
function activeIds() {
  const refs = sampleRefs({
    counts: { iamport: { active: 500 }, bootpay: { active: 1000 }, portone: { active: 500 } },
  })
  const ids = { iamport: [] as string[], bootpay: [] as string[], portone: [] as string[] }
  for (const { ref } of refs) {
    if ('customerUid' in ref) ids.iamport.push(ref.customerUid)
    else if ('receiptId' in ref) ids.bootpay.push(ref.receiptId)
    else if (ref.provider === 'portone') ids.portone.push(ref.billingKey)
  }
  return ids
}

/** POST a token request with fetch; the raw variants send the token as a Bearer header. */
async function rawToken(url: string, body: object, pick: (json: never) => string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return pick((await response.json()) as never)
}

async function variants(
  base: string,
): Promise<Record<'iamport' | 'bootpay' | 'portone', Variant[]>> {
  const ids = activeIds()
  const {
    iamport: iamportCredentials,
    bootpay: bootpayCredentials,
    portone: portoneCredentials,
  } = DEMO_CREDENTIALS

  const iamport = createIamportClient({ ...iamportCredentials, baseUrl: `${base}/iamport` })
  const sdk = new iamportSdk.Iamport({ ...iamportCredentials, baseUrl: `${base}/iamport` })
  const iamportToken = await rawToken(
    `${base}/iamport/users/getToken`,
    { imp_key: iamportCredentials.apiKey, imp_secret: iamportCredentials.apiSecret },
    (json: { response: { access_token: string } }) => json.response.access_token,
  )

  const bootpay = createBootpayClient({ ...bootpayCredentials, baseUrl: `${base}/bootpay` })
  // @bootpay/backend-js has no base URL option: `mode` picks one of Bootpay's own hosts from
  // API_ENTRYPOINTS, a public property of the (singleton) client. Pointing its production entry at
  // the sandbox changes nothing else in the SDK.
  Bootpay.API_ENTRYPOINTS.production = `${base}/bootpay/v2`
  Bootpay.setConfiguration({
    application_id: bootpayCredentials.applicationId,
    private_key: bootpayCredentials.privateKey,
  })
  await Bootpay.getAccessToken()
  const bootpayToken = await rawToken(
    `${base}/bootpay/v2/request/token`,
    {
      application_id: bootpayCredentials.applicationId,
      private_key: bootpayCredentials.privateKey,
    },
    (json: { access_token: string }) => json.access_token,
  )

  const portone = createPortoneClient({ ...portoneCredentials, baseUrl: `${base}/portone` })

  const raw = (
    url: (id: string) => string,
    authorization: string,
    failed: (body: never) => boolean,
  ) => {
    const headers = { accept: 'application/json', authorization }
    return async (id: string) => {
      const response = await fetch(url(id), { headers })
      const body = await response.json()
      if (!response.ok || failed(body as never)) throw new Error(`HTTP ${response.status}`)
      return body
    }
  }
  const rawIamport = raw(
    (uid) => `${base}/iamport/subscribe/customers/${encodeURIComponent(uid)}`,
    `Bearer ${iamportToken}`,
    (body: { code: number }) => body.code !== 0,
  )
  const rawBootpay = raw(
    (id) => `${base}/bootpay/v2/subscribe/billing_key/${encodeURIComponent(id)}`,
    `Bearer ${bootpayToken}`,
    (body: { error_code?: string }) => Boolean(body.error_code),
  )
  // PortOne V2 has no token call: the API secret goes on every request.
  const rawPortone = raw(
    (key) => `${base}/portone/billing-keys/${encodeURIComponent(key)}`,
    `PortOne ${portoneCredentials.apiSecret}`,
    (body: { type?: string }) => typeof body.type === 'string',
  )

  const lookups = (ids: string[], clients: Record<string, (id: string) => unknown>) =>
    Object.entries(clients).map(([name, lookup]) => {
      const next = cycle(ids)
      return { name, run: () => lookup(next()) }
    })
  return {
    iamport: lookups(ids.iamport, {
      '@billingkey/iamport': (uid) => iamport.getBillingKey(uid),
      'iamport-rest-client-nodejs (official)': (uid) =>
        iamportSdk.Request.Customers.getBillingKey({ customer_uid: uid }).request(sdk),
      'bare fetch': rawIamport,
    }),
    bootpay: lookups(ids.bootpay, {
      '@billingkey/bootpay': (id) => bootpay.getBillingKeyByReceipt(id),
      '@bootpay/backend-js (official)': (id) => Bootpay.lookupSubscribeBillingKey(id),
      'bare fetch': rawBootpay,
    }),
    portone: lookups(ids.portone, {
      '@billingkey/portone': (key) => portone.getBillingKey(key),
      'bare fetch': rawPortone,
    }),
  }
}

/** Requests per second of each sample, summarised. */
const perSecond = (results: Results, name: string) =>
  summarize(results.get(name)?.samples.map((us) => 1e6 / us) ?? [])

export async function throughput(): Promise<Section> {
  const sandbox = await startServer('sandbox')
  const rows: (string | number)[][] = []
  try {
    const byProvider = await variants(sandbox.url)
    for (const [provider, list] of Object.entries(byProvider)) {
      const sequential = await compare(list, SEQUENTIAL)
      const concurrent = await compare(list, CONCURRENT)
      const bare = {
        s: perSecond(sequential, 'bare fetch'),
        c: perSecond(concurrent, 'bare fetch'),
      }
      for (const { name } of list) {
        const s = perSecond(sequential, name)
        const c = perSecond(concurrent, name)
        rows.push([
          provider,
          name,
          `${num(s.median, 0)} (${spread(s, 0)})`,
          `${num(s.median / bare.s.median, 2)}×`,
          `${num(c.median, 0)} (${spread(c, 0)})`,
          `${num(c.median / bare.c.median, 2)}×`,
        ])
      }
    }
  } finally {
    await sandbox.close()
  }
  return {
    title: '2. Loopback throughput against the sandbox',
    body: [
      'Lookups of active keys of the sandbox’s data set, each call another key, against `@billingkey/sandbox` on 127.0.0.1 in another process: one call after another, then 64 in flight at once. The sandbox validates every request against the spec and answers from its data set, so it sets the ceiling; the columns say how much of it each client leaves. iamport: `GET /subscribe/customers/{customer_uid}`; Bootpay: `GET /v2/subscribe/billing_key/{receipt_id}`; PortOne V2: `GET /billing-keys/{billingKey}`.',
      '- **iamport-rest-client-nodejs** takes a `baseUrl` and runs unchanged.',
      '- **@bootpay/backend-js** has no base URL option (`setConfiguration({ mode })` picks among Bootpay’s own hosts). Its host table, `Bootpay.API_ENTRYPOINTS`, is a public property of the exported client, so the bench points `production` at the sandbox; nothing else of the SDK is touched. Its token is fetched once with `getAccessToken()`, as its README shows.',
      "- **@portone/server-sdk** (the official PortOne V2 SDK) is not in the table: it builds every URL as `new URL('/billing-keys/…', baseUrl)`, an absolute path that drops any path of `baseUrl`, so it cannot reach the sandbox’s `/portone` prefix without a proxy in between, which would be measured with it.",
      '- **bare fetch**: `fetch` with a Bearer token fetched beforehand (PortOne: its API secret, `Authorization: PortOne …`), `response.json()` and the envelope check (PortOne: an error `type`); no timeout, retry or validation.',
      table(
        [
          'provider',
          'client',
          'sequential req/s (p25–p75 · min–max)',
          'vs bare',
          '64 in flight req/s (p25–p75 · min–max)',
          'vs bare',
        ],
        rows,
      ),
      `Settings: sequential, ${SEQUENTIAL.rounds} rounds of ${SEQUENTIAL.opsPerSample} calls per client after ${SEQUENTIAL.warmupRounds} warm-up round; 64 in flight, ${CONCURRENT.rounds} rounds of ${CONCURRENT.opsPerSample} calls after ${CONCURRENT.warmupRounds}. Higher is better.`,
    ].join('\n\n'),
  }
}
