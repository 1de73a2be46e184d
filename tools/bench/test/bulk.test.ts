import { dataSetCounts, sampleRefs } from '@billingkey/sandbox'
import { expect, it } from 'vitest'
import { BULK_COUNTS } from '../src/comparisons/bulk'

it('BULK_COUNTS is every ref of the data set plus unknown ids: 10,000 refs, half per provider', () => {
  const refs = sampleRefs({ counts: BULK_COUNTS })
  expect(refs).toHaveLength(10_000)
  expect(refs.filter((r) => r.ref.provider === 'iamport')).toHaveLength(5_000)
  const { iamport, bootpay } = dataSetCounts()
  expect(BULK_COUNTS.iamport).toEqual({ ...iamport, unknown: expect.any(Number) })
  expect(BULK_COUNTS.bootpay).toEqual({ ...bootpay, unknown: expect.any(Number) })
})
