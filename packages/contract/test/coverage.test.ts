// Suite 2: coverage both ways. Every (operation, documented status) pair has a fixture, and every
// fixture names an operation and a status that the spec documents. Prints the table.
import { beforeAll, describe, expect, it } from 'vitest'
import { expectFixtures, providers } from './providers'

/** The operations the provider clients call; the specs may document more, never fewer. */
const CLIENT_OPERATIONS = {
  iamport: [
    'getToken',
    'getBillingKeys',
    'getBillingKey',
    'issueBillingKey',
    'deleteBillingKey',
    'listPayments',
    'listSchedules',
  ],
  bootpay: [
    'getAccessToken',
    'getBillingKeyByReceipt',
    'getBillingKey',
    'issueCardBillingKey',
    'requestBankBillingKey',
    'publishBankBillingKey',
    'deleteBillingKey',
  ],
  // no client yet (@billingkey/portone is a later task): every operation of the spec
  portone: [
    'getBillingKeyInfos',
    'getBillingKeyInfo',
    'deleteBillingKey',
    'payWithBillingKey',
    'getPayment',
    'cancelPayment',
    'createPaymentSchedule',
    'getPaymentSchedules',
    'getPaymentSchedule',
    'revokePaymentSchedules',
  ],
}

for (const provider of providers) {
  describe(`${provider.name} coverage`, () => {
    const { spec, fixtures } = provider
    const known = new Set(spec.operations.map((o) => o.operationId))
    /** Fixture files per `operationId status-key`; a fixture the spec does not document has none. */
    const covered = new Map<string, string[]>()
    const undocumented: string[] = []
    for (const fixture of fixtures) {
      const key = known.has(fixture.operationId)
        ? spec.responseKey(fixture.operationId, fixture.response.status)
        : undefined
      const entry = `${fixture.operationId} ${key}`
      if (key === undefined) {
        undocumented.push(`${fixture.file}: ${fixture.operationId} ${fixture.response.status}`)
      } else covered.set(entry, [...(covered.get(entry) ?? []), fixture.file])
    }
    const pairs = spec.operations.flatMap((o) =>
      o.statuses.map((status) => ({ operationId: o.operationId, status })),
    )

    beforeAll(() => {
      const rows = pairs.map(({ operationId, status }) => [
        operationId,
        status,
        (covered.get(`${operationId} ${status}`) ?? ['MISSING']).join(', '),
      ])
      const undocumentedRows = undocumented.map((line) => ['(not in the spec)', '', line])
      const table = [['operation', 'status', 'fixtures'], ...rows, ...undocumentedRows]
      const widths = [0, 1].map((column) =>
        Math.max(...table.map((row) => row[column]?.length ?? 0)),
      )
      console.log(
        [
          `${provider.name}: ${fixtures.length} fixtures, ${pairs.length} documented responses`,
          ...table.map(
            ([op = '', status = '', files = '']) =>
              `  ${op.padEnd(widths[0] ?? 0)}  ${status.padEnd(widths[1] ?? 0)}  ${files}`,
          ),
        ].join('\n'),
      )
    })

    it('has fixtures to count', () => expectFixtures(provider))

    it('documents every operation the client calls', () => {
      expect(CLIENT_OPERATIONS[provider.name].filter((id) => !known.has(id))).toEqual([])
    })

    it('has a fixture for every documented (operation, status)', () => {
      const missing = pairs
        .filter(({ operationId, status }) => !covered.has(`${operationId} ${status}`))
        .map(({ operationId, status }) => `${operationId} ${status}`)
      expect(missing).toEqual([])
    })

    it('has a success fixture for every operation', () => {
      const succeeded = new Set(
        fixtures.filter((f) => f.response.status < 300).map((f) => f.operationId),
      )
      expect(spec.operations.map((o) => o.operationId).filter((id) => !succeeded.has(id))).toEqual(
        [],
      )
    })

    it('has only fixtures whose operation and status the spec documents', () => {
      expect(undocumented).toEqual([])
    })
  })
}
