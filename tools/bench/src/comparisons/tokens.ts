import { createBootpayClient } from '@billingkey/bootpay'
import { createIamportClient } from '@billingkey/iamport'
import { DEMO_CREDENTIALS, sampleRefs } from '@billingkey/sandbox'
import iamportSdk from 'iamport-rest-client-nodejs'
import { num, type Section, table, verdict } from '../report'
import { startServer } from '../spawn'

const CALLS = 1000
const ROUNDS = 3

export async function tokens(): Promise<Section> {
  const refs = sampleRefs({ counts: { iamport: { active: CALLS }, bootpay: { active: CALLS } } })
  const uids = refs.flatMap(({ ref }) => ('customerUid' in ref ? [ref.customerUid] : []))
  const bootpayRefs = refs.flatMap(({ ref }) => (ref.provider === 'bootpay' ? [ref] : []))
  const sandbox = await startServer('sandbox')
  const iamport = { ...DEMO_CREDENTIALS.iamport, baseUrl: `${sandbox.url}/iamport` }
  const bootpay = { ...DEMO_CREDENTIALS.bootpay, baseUrl: `${sandbox.url}/bootpay` }

  /** Token requests the sandbox saw while `calls` ran: a new client each round, so a cold cache. */
  const tokenRequests = async (
    operation: 'getToken' | 'getAccessToken',
    calls: () => unknown[],
  ) => {
    const counts: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      await sandbox.resetStats()
      const settled = await Promise.allSettled(calls())
      const failed = settled.filter((s) => s.status === 'rejected').length
      if (failed) throw new Error(`${failed} of ${settled.length} calls failed`)
      const stats = await sandbox.stats()
      counts.push(
        (stats.operations.iamport[operation] ?? 0) + (stats.operations.bootpay[operation] ?? 0),
      )
    }
    return counts
  }
  const lookups =
    <T>(ids: T[], lookup: (id: T) => unknown) =>
    () =>
      ids.slice(0, CALLS).map(lookup)
  let rows: [string, number[], boolean][]
  try {
    rows = [
      [
        '@billingkey/iamport',
        await tokenRequests('getToken', () => {
          const client = createIamportClient(iamport)
          return lookups(uids, (uid) => client.getBillingKey(uid))()
        }),
        true,
      ],
      [
        '@billingkey/bootpay',
        await tokenRequests('getAccessToken', () => {
          const client = createBootpayClient(bootpay)
          return lookups(bootpayRefs, (ref) =>
            'receiptId' in ref
              ? client.getBillingKeyByReceipt(ref.receiptId)
              : client.getBillingKey(ref.billingKey),
          )()
        }),
        true,
      ],
      [
        'iamport-rest-client-nodejs (official)',
        await tokenRequests('getToken', () => {
          const sdk = new iamportSdk.Iamport(iamport)
          return lookups(uids, (uid) =>
            iamportSdk.Request.Customers.getBillingKey({ customer_uid: uid }).request(sdk),
          )()
        }),
        false,
      ],
    ]
  } finally {
    await sandbox.close()
  }
  return {
    title: '4. Token coalescing: 1,000 concurrent cold calls',
    body: [
      `${num(CALLS, 0)} lookups of different active keys started at once on a client that has no token yet, against the sandbox; the sandbox counts the requests to the token endpoint (iamport \`POST /users/getToken\`, Bootpay \`POST /v2/request/token\`). A new client each round, ${ROUNDS} rounds. All calls succeed in every round.`,
      table(
        ['client', 'token requests per round', 'goal', ''],
        rows.map(([client, counts, ours]) => [
          client,
          counts.map((n) => num(n, 0)).join(', '),
          ours ? '1' : '(no goal: shown for comparison)',
          ours ? verdict(counts.every((n) => n === 1)) : '',
        ]),
      ),
      'The official iamport SDK checks for a token before each call and fetches one when it has none, without sharing the request in flight, so every cold call asks for its own. The official Bootpay SDK leaves the token to the caller (`await Bootpay.getAccessToken()` before any call; a call without it throws), so it has no count here.',
    ].join('\n\n'),
  }
}
