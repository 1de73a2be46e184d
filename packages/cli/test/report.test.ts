import { describe, expect, it } from 'vitest'
import { parseCsv } from '../src/csv'
import type { Failure, Key, Report } from '../src/refs'
import { type AuditOutcome, formatReport } from '../src/report'
import { painter } from '../src/text'

const checkedAt = new Date('2026-05-01T00:00:00.000Z')

const expiringKey = {
  provider: 'iamport',
  ref: { provider: 'iamport', customerUid: 'c2' },
  status: 'active',
  method: 'card',
  card: {
    issuer: '신한카드',
    issuerCode: '366',
    maskedNumber: '5365-10**-****-1234',
    kind: 'credit',
  },
  pg: { provider: 'nice', merchantId: 'imp_m' },
  sandbox: true,
  issuedAt: new Date('2025-01-01T00:00:00.000Z'),
  updatedAt: null,
  expiresAt: new Date('2026-05-10T00:00:00.000Z'),
  raw: { card_number: 'never printed' },
} as unknown as Key

const notFound = Object.assign(new Error('iamport getBillingKeys: no key for c3'), {
  name: 'NotFoundError',
  status: 404,
  code: 1,
  requestId: 'req-1',
}) as unknown as Failure

/** Rows on lines 2-6: c1 (active), c2 (expiring), c3 twice (not found), bootpay k1 (active). */
function outcome(): AuditOutcome {
  const report: Report = {
    total: 5,
    counts: { active: 2, expiring: 1, expired: 0, deleted: 0, notFound: 2, error: 0 },
    chargeable: 3,
    needsAction: [
      {
        ref: { provider: 'iamport', customerUid: 'c2' },
        indexes: [1],
        reason: 'expiring',
        message: 'the key expires on 2026-05-10, in 9 days',
        key: expiringKey,
      },
      {
        ref: { provider: 'iamport', customerUid: 'c3' },
        indexes: [2, 4],
        reason: 'not_found',
        message: 'no key for c3',
        error: notFound,
      },
    ],
    checkedAt,
    expiringWithinDays: 30,
  }
  return {
    file: 'keys.csv',
    report,
    rows: [
      { line: 2, ref: { provider: 'iamport', customerUid: 'c1' } },
      { line: 3, ref: { provider: 'iamport', customerUid: 'c2' } },
      { line: 5, ref: { provider: 'iamport', customerUid: 'c3' } },
      { line: 6, ref: { provider: 'bootpay', billingKey: 'k1' } },
      { line: 7, ref: { provider: 'iamport', customerUid: 'c3' } },
    ],
    issues: [{ line: 4, message: 'unknown provider "paypal" (expected iamport or bootpay)' }],
  }
}

describe('formatReport table', () => {
  const text = formatReport(outcome(), 'table', painter(false))

  it('summarises the counts with their share of the total', () => {
    expect(text).toContain(
      'Audit of 5 keys from keys.csv: 3 keys can be charged (as of 2026-05-01T00:00:00.000Z, expiring = within 30 days)',
    )
    expect(text).toMatch(/^active\s+2\s+40\.0%$/m)
    expect(text).toMatch(/^not found\s+2\s+40\.0%$/m)
    expect(text).toMatch(/^total\s+5$/m)
  })

  it('lists each key that needs action with every line it is on', () => {
    expect(text).toContain('2 keys need action:')
    expect(text).toMatch(
      /^\s+3 +iamport +customer_uid=c2 +expiring +the key expires on 2026-05-10, in 9 days$/m,
    )
    expect(text).toMatch(/^5, 7 +iamport +customer_uid=c3 +not_found +no key for c3$/m)
  })

  it('lists the rows that were not audited', () => {
    expect(text).toContain('1 row was not audited (malformed):')
    expect(text).toMatch(/^\s+4 +unknown provider "paypal"/m)
  })

  it('says so when every key can be charged', () => {
    const clean = outcome()
    clean.report = { ...clean.report, needsAction: [] }
    clean.issues = []
    const ok = formatReport(clean, 'table', painter(false))
    expect(ok).toContain('Every key can be charged.')
    expect(ok).not.toContain('need action')
  })

  it('colours only when asked to', () => {
    expect(text).not.toContain('\u001b[')
    expect(formatReport(outcome(), 'table', painter(true))).toContain(
      '\u001b[33mexpiring\u001b[39m',
    )
  })
})

describe('formatReport json', () => {
  const json = JSON.parse(formatReport(outcome(), 'json', painter(false)))

  it('has the stable top-level fields and ISO dates', () => {
    expect(json).toMatchObject({
      file: 'keys.csv',
      checkedAt: '2026-05-01T00:00:00.000Z',
      expiringWithinDays: 30,
      total: 5,
      chargeable: 3,
      counts: { active: 2, expiring: 1, expired: 0, deleted: 0, notFound: 2, error: 0 },
      invalidRows: [
        { line: 4, message: 'unknown provider "paypal" (expected iamport or bootpay)' },
      ],
    })
  })

  it('gives each entry its lines, ref, reason, and the key (without raw) or the error', () => {
    expect(json.needsAction).toEqual([
      {
        lines: [3],
        ref: { provider: 'iamport', customerUid: 'c2' },
        reason: 'expiring',
        message: 'the key expires on 2026-05-10, in 9 days',
        key: {
          status: 'active',
          method: 'card',
          card: {
            issuer: '신한카드',
            issuerCode: '366',
            maskedNumber: '5365-10**-****-1234',
            kind: 'credit',
          },
          pg: { provider: 'nice', merchantId: 'imp_m' },
          sandbox: true,
          issuedAt: '2025-01-01T00:00:00.000Z',
          updatedAt: null,
          expiresAt: '2026-05-10T00:00:00.000Z',
        },
      },
      {
        lines: [5, 7],
        ref: { provider: 'iamport', customerUid: 'c3' },
        reason: 'not_found',
        message: 'no key for c3',
        error: {
          name: 'NotFoundError',
          message: 'iamport getBillingKeys: no key for c3',
          status: 404,
          code: 1,
          requestId: 'req-1',
        },
      },
    ])
    expect(JSON.stringify(json)).not.toContain('never printed')
  })
})

describe('formatReport csv', () => {
  it('has a row per input row in file order, malformed rows as invalid', () => {
    const text = formatReport(outcome(), 'csv', painter(false))
    expect(text.endsWith('\r\n')).toBe(true)
    expect(parseCsv(text).map((record) => record.fields)).toEqual([
      ['line', 'provider', 'customer_uid', 'receipt_id', 'billing_key', 'status', 'message'],
      ['2', 'iamport', 'c1', '', '', 'active', ''],
      ['3', 'iamport', 'c2', '', '', 'expiring', 'the key expires on 2026-05-10, in 9 days'],
      ['4', '', '', '', '', 'invalid', 'unknown provider "paypal" (expected iamport or bootpay)'],
      ['5', 'iamport', 'c3', '', '', 'not_found', 'no key for c3'],
      ['6', 'bootpay', '', '', 'k1', 'active', ''],
      ['7', 'iamport', 'c3', '', '', 'not_found', 'no key for c3'],
    ])
  })
})
