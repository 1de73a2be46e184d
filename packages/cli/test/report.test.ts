import { describe, expect, it } from 'vitest'
import { parseCsv } from '../src/csv'
import type { Failure, Key } from '../src/refs'
import { errorJson, keyJson } from '../src/report'
import { type AuditFormat, type ReportRow, reportWriter, TABLE_LIMIT } from '../src/stream-report'
import { type Paint, painter } from '../src/text'

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

/** Rows on lines 2-7: c1 (active), c2 (expiring), a malformed row, c3 twice (not found), k1. */
function rows(): ReportRow[] {
  const c3 = {
    ref: { provider: 'iamport', customerUid: 'c3' },
    status: 'not_found',
    message: 'no key for c3',
    error: errorJson(notFound),
  } as const
  return [
    { line: 2, ref: { provider: 'iamport', customerUid: 'c1' }, status: 'active' },
    {
      line: 3,
      ref: { provider: 'iamport', customerUid: 'c2' },
      status: 'expiring',
      message: 'the key expires on 2026-05-10, in 9 days',
      key: keyJson(expiringKey),
    },
    {
      line: 4,
      status: 'invalid',
      message: 'unknown provider "paypal" (expected iamport, bootpay or portone)',
    },
    { line: 5, ...c3 },
    { line: 6, ref: { provider: 'bootpay', billingKey: 'k1' }, status: 'active' },
    { line: 7, ...c3 },
  ]
}

/** The report of `input` in `format`, and the text written before it finished. */
async function render(
  format: AuditFormat,
  input: ReportRow[] = rows(),
  paint: Paint = painter(false),
): Promise<{ text: string; early: string; outcome: Awaited<ReturnType<typeof finish>> }> {
  let text = ''
  const writer = reportWriter({
    format,
    sink: {
      write: async (chunk) => {
        text += chunk
      },
      close: async () => {},
    },
    file: 'keys.csv',
    checkedAt,
    expiringWithinDays: 30,
    paint,
  })
  for (const row of input) await writer.add(row)
  const early = text
  const finish = () => writer.finish()
  const outcome = await finish()
  return { text, early, outcome }
}

describe('reportWriter table', async () => {
  const { text, early, outcome } = await render('table')

  it('writes nothing until the end, then says what decides the exit code', () => {
    expect(early).toBe('')
    expect(outcome).toEqual({ needsAction: 3, issues: 1, refused: [] })
  })

  it('summarises the counts with their share of the total', () => {
    expect(text).toContain(
      'Audit of 5 keys from keys.csv: 3 keys can be charged (as of 2026-05-01T00:00:00.000Z, expiring = within 30 days)',
    )
    expect(text).toMatch(/^active\s+2\s+40\.0%$/m)
    expect(text).toMatch(/^not found\s+2\s+40\.0%$/m)
    expect(text).toMatch(/^total\s+5$/m)
  })

  it('lists each row that needs action with its line', () => {
    expect(text).toContain('3 keys need action:')
    expect(text).toMatch(
      /^\s+3 +iamport +customer_uid=c2 +expiring +the key expires on 2026-05-10, in 9 days$/m,
    )
    expect(text).toMatch(/^\s+5 +iamport +customer_uid=c3 +not_found +no key for c3$/m)
    expect(text).toMatch(/^\s+7 +iamport +customer_uid=c3 +not_found +no key for c3$/m)
  })

  it('lists the rows that were not audited', () => {
    expect(text).toContain('1 row was not audited (malformed):')
    expect(text).toMatch(/^\s*4 +unknown provider "paypal"/m)
  })

  it('says so when every key can be charged', async () => {
    const clean = rows().filter((row) => row.status === 'active')
    const ok = (await render('table', clean)).text
    expect(ok).toContain('Every key can be charged.')
    expect(ok).not.toContain('need action')
  })

  it(`lists at most ${TABLE_LIMIT} rows that need action and counts the rest`, async () => {
    const many: ReportRow[] = Array.from({ length: TABLE_LIMIT + 5 }, (_, i) => ({
      line: i + 2,
      ref: { provider: 'iamport', customerUid: `u${i}` },
      status: 'not_found',
      message: 'gone',
    }))
    const { text: long, outcome: counted } = await render('table', many)
    expect(counted.needsAction).toBe(TABLE_LIMIT + 5)
    expect(long).toContain(`${TABLE_LIMIT + 5} keys need action:`)
    expect(long).toContain(`customer_uid=u${TABLE_LIMIT - 1} `)
    expect(long).not.toContain(`customer_uid=u${TABLE_LIMIT} `)
    expect(long).toContain('… and 5 more (--format csv or jsonl lists every row)')
  })

  it('colours only when asked to', async () => {
    expect(text).not.toContain('\u001b[')
    expect((await render('table', rows(), painter(true))).text).toContain(
      '\u001b[33mexpiring\u001b[39m',
    )
  })
})

describe('reportWriter json', async () => {
  const { text, early } = await render('json')
  const json = JSON.parse(text)

  it('writes at the end, with the stable top-level fields and ISO dates', () => {
    expect(early).toBe('')
    expect(json).toMatchObject({
      file: 'keys.csv',
      checkedAt: '2026-05-01T00:00:00.000Z',
      expiringWithinDays: 30,
      total: 5,
      chargeable: 3,
      counts: {
        active: 2,
        expiring: 1,
        expiresBeforeCharge: 0,
        expired: 0,
        deleted: 0,
        notFound: 2,
        error: 0,
      },
      invalidRows: [
        { line: 4, message: 'unknown provider "paypal" (expected iamport, bootpay or portone)' },
      ],
    })
  })

  it('gives each row that needs action its line, ref, reason, and the key (without raw) or the error', () => {
    const c3 = {
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
    }
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
      { lines: [5], ...c3 },
      { lines: [7], ...c3 },
    ])
    expect(text).not.toContain('never printed')
  })

  it('is valid JSON with empty lists too', async () => {
    const clean = JSON.parse((await render('json', [rows()[0] as ReportRow])).text)
    expect(clean).toMatchObject({ total: 1, needsAction: [], invalidRows: [] })
  })
})

describe('reportWriter csv and jsonl', () => {
  it('csv: a row per input row in file order, malformed rows as invalid, written as they come', async () => {
    const { text, early } = await render('csv')
    expect(early).toBe(text)
    expect(text.endsWith('\r\n')).toBe(true)
    expect(parseCsv(text).map((record) => record.fields)).toEqual([
      ['line', 'provider', 'customer_uid', 'receipt_id', 'billing_key', 'status', 'message'],
      ['2', 'iamport', 'c1', '', '', 'active', ''],
      ['3', 'iamport', 'c2', '', '', 'expiring', 'the key expires on 2026-05-10, in 9 days'],
      [
        '4',
        '',
        '',
        '',
        '',
        'invalid',
        'unknown provider "paypal" (expected iamport, bootpay or portone)',
      ],
      ['5', 'iamport', 'c3', '', '', 'not_found', 'no key for c3'],
      ['6', 'bootpay', '', '', 'k1', 'active', ''],
      ['7', 'iamport', 'c3', '', '', 'not_found', 'no key for c3'],
    ])
  })

  it('jsonl: an object per input row in file order, written as they come', async () => {
    const { text, early } = await render('jsonl')
    expect(early).toBe(text)
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(lines.map((line) => [line.line, line.status])).toEqual([
      [2, 'active'],
      [3, 'expiring'],
      [4, 'invalid'],
      [5, 'not_found'],
      [6, 'active'],
      [7, 'not_found'],
    ])
    expect(lines[0]).toEqual({
      line: 2,
      ref: { provider: 'iamport', customerUid: 'c1' },
      status: 'active',
    })
    expect(lines[1].key.expiresAt).toBe('2026-05-10T00:00:00.000Z')
    expect(lines[3].error.name).toBe('NotFoundError')
    expect(text).not.toContain('never printed')
  })

  it('a provider that refused the credentials is named for exit code 2', async () => {
    const refused: ReportRow = {
      line: 2,
      ref: { provider: 'bootpay', billingKey: 'k1' },
      status: 'error',
      message: 'AuthenticationError: no',
      error: { name: 'AuthenticationError', message: 'no' },
    }
    const { outcome } = await render('jsonl', [refused])
    expect(outcome.refused).toEqual([
      'bootpay refused the credentials: check BOOTPAY_APPLICATION_ID, BOOTPAY_PRIVATE_KEY or BOOTPAY_CLIENT_KEY, BOOTPAY_SECRET_KEY',
    ])
  })
})

describe('a key that expires before a charge scheduled with it', async () => {
  const row: ReportRow = {
    line: 2,
    ref: { provider: 'portone', billingKey: 'k9' },
    status: 'expires_before_charge',
    message: 'the key expires on 2026-05-10, before the charge scheduled for 2026-05-20',
  }

  it('has its own count, is chargeable, and is listed as needing action', async () => {
    const { text, outcome } = await render('table', [row])
    expect(outcome).toEqual({ needsAction: 1, issues: 0, refused: [] })
    expect(text).toContain('Audit of 1 key from keys.csv: 1 key can be charged')
    expect(text).toMatch(/^expires before charge\s+1\s+100\.0%$/m)
    expect(text).toMatch(
      /^\s+2 +portone +billing_key=k9 +expires_before_charge +the key expires on 2026-05-10, before the charge scheduled for 2026-05-20$/m,
    )
  })

  it('comes out in the json counts and the csv status column', async () => {
    const json = JSON.parse((await render('json', [row])).text)
    expect(json.counts.expiresBeforeCharge).toBe(1)
    expect(json.chargeable).toBe(1)
    expect(json.needsAction[0].reason).toBe('expires_before_charge')
    const csv = parseCsv((await render('csv', [row])).text)
    expect(csv[1]?.fields).toContain('expires_before_charge')
  })
})
