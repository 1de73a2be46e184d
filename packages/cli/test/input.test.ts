import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError, UsageError } from '../src/errors'
import { inputFormat, parseInput, toRef } from '../src/input'
import { readRows } from '../src/stream-input'

const HEADER = 'provider,customer_uid,receipt_id,billing_key\n'

describe('inputFormat', () => {
  it.each([
    ['keys.csv', 'csv'],
    ['KEYS.CSV', 'csv'],
    ['a/b/keys.jsonl', 'jsonl'],
    ['keys.ndjson', 'jsonl'],
  ])('%s is %s', (path, format) => {
    expect(inputFormat(path)).toBe(format)
  })

  it('refuses any other extension with a usage error', () => {
    expect(() => inputFormat('keys.txt')).toThrow(UsageError)
    expect(() => inputFormat('keys')).toThrow('name it *.csv or *.jsonl')
  })
})

describe('toRef', () => {
  it.each([
    [
      { provider: 'iamport', customer_uid: 'c1' },
      { provider: 'iamport', customerUid: 'c1' },
    ],
    [
      { provider: ' IAMPORT ', customer_uid: 'c1' },
      { provider: 'iamport', customerUid: 'c1' },
    ],
    [
      { provider: 'bootpay', receipt_id: 'r1' },
      { provider: 'bootpay', receiptId: 'r1' },
    ],
    [
      { provider: 'bootpay', billing_key: 'k1', receipt_id: '' },
      { provider: 'bootpay', billingKey: 'k1' },
    ],
    [
      { provider: 'iamport', customer_uid: '고객_1' },
      { provider: 'iamport', customerUid: '고객_1' },
    ],
    // the longest ids the clients accept
    [
      { provider: 'iamport', customer_uid: 'u'.repeat(80) },
      { provider: 'iamport', customerUid: 'u'.repeat(80) },
    ],
    [
      { provider: 'bootpay', billing_key: 'k'.repeat(128) },
      { provider: 'bootpay', billingKey: 'k'.repeat(128) },
    ],
    [
      { provider: 'iamport', customer_uid: 'a..b/.c' },
      { provider: 'iamport', customerUid: 'a..b/.c' },
    ],
    [
      { provider: 'PortOne', billing_key: 'billing-key-0195f1f0' },
      { provider: 'portone', billingKey: 'billing-key-0195f1f0' },
    ],
    [
      { provider: 'portone', billing_key: 'k'.repeat(200) },
      { provider: 'portone', billingKey: 'k'.repeat(200) },
    ],
  ])('%j → %j', (values, ref) => {
    expect(toRef(values)).toEqual(ref)
  })

  it.each([
    [{}, 'provider is empty'],
    [
      { provider: 'paypal', customer_uid: 'c' },
      'unknown provider "paypal" (expected iamport, bootpay or portone)',
    ],
    [{ provider: 'iamport' }, 'iamport needs a customer_uid'],
    [{ provider: 'portone' }, 'portone needs a billing_key'],
    [
      { provider: 'portone', customer_uid: 'c' },
      'customer_uid is not used for portone; portone keys are identified by billing_key',
    ],
    [
      { provider: 'portone', billing_key: 'k'.repeat(201) },
      'billing_key is 201 characters long; portone allows at most 200',
    ],
    [{ provider: 'iamport', customer_uid: '   ' }, 'iamport needs a customer_uid'],
    [
      { provider: 'bootpay', customer_uid: 'c' },
      'customer_uid is not used for bootpay; bootpay keys are identified by receipt_id or billing_key',
    ],
    [
      { provider: 'iamport', customer_uid: 'c', billing_key: 'k' },
      'billing_key is not used for iamport; iamport keys are identified by customer_uid',
    ],
    [{ provider: 'bootpay' }, 'bootpay needs a receipt_id or a billing_key'],
    [
      { provider: 'bootpay', receipt_id: 'r', billing_key: 'k' },
      'give either receipt_id or billing_key, not both',
    ],
    [
      { provider: 'iamport', customer_uid: ' c1' },
      'customer_uid " c1" has leading or trailing spaces',
    ],
    [
      { provider: 'iamport', customer_uid: 'c\u001b[31m' },
      'customer_uid contains a control character',
    ],
    // ids the clients refuse with a ValidationError: malformed rows (exit 2), not `error` rows
    [
      { provider: 'iamport', customer_uid: 'u'.repeat(81) },
      'customer_uid is 81 characters long; iamport allows at most 80',
    ],
    [
      { provider: 'bootpay', receipt_id: 'r'.repeat(129) },
      'receipt_id is 129 characters long; bootpay allows at most 128',
    ],
    [
      { provider: 'bootpay', billing_key: 'k'.repeat(129) },
      'billing_key is 129 characters long; bootpay allows at most 128',
    ],
    [
      { provider: 'iamport', customer_uid: 'a\ud800b' },
      'customer_uid is not well-formed Unicode (a lone surrogate)',
    ],
    [
      { provider: 'iamport', customer_uid: '../x' },
      'customer_uid must not contain "." or ".." path segments',
    ],
    [
      { provider: 'bootpay', receipt_id: '.' },
      'receipt_id must not contain "." or ".." path segments',
    ],
  ])('%j is rejected: %s', (values, message) => {
    expect(toRef(values)).toBe(message)
  })
})

describe('parseInput (csv)', () => {
  it('reads rows with their line numbers, ignoring extra columns, case and spelling of names', () => {
    const text =
      'Provider,customerUid,Receipt ID,billing-key,note\r\n' +
      'iamport,c1,,,first\r\n' +
      '\r\n' +
      'bootpay,,r1,,"multi\r\nline note"\r\n' +
      'bootpay,,,k1,\r\n'
    expect(parseInput(text, 'csv', 'keys.csv')).toEqual({
      rows: [
        { line: 2, ref: { provider: 'iamport', customerUid: 'c1' } },
        { line: 4, ref: { provider: 'bootpay', receiptId: 'r1' } },
        { line: 6, ref: { provider: 'bootpay', billingKey: 'k1' } },
      ],
      issues: [],
    })
  })

  it('works with only the columns a file needs', () => {
    expect(parseInput('provider,customer_uid\niamport,c1\n', 'csv', 'k.csv').rows).toEqual([
      { line: 2, ref: { provider: 'iamport', customerUid: 'c1' } },
    ])
  })

  it('reports every malformed row with its line and keeps the good ones', () => {
    const text =
      HEADER +
      'iamport,c1,,\n' + // 2 ok
      'paypal,c2,,\n' + // 3
      'iamport,c3,,,extra\n' + // 4
      'iamport,c4\n' + // 5
      'iamport,"c"5,,\n' + // 6
      ',,,\n' + // 7 blank: ignored
      'bootpay,,r1,k1\n' + // 8
      'bootpay,,r2,\n' // 9 ok
    const { rows, issues } = parseInput(text, 'csv', 'keys.csv')
    expect(rows.map((row) => row.line)).toEqual([2, 9])
    expect(issues).toEqual([
      { line: 3, message: 'unknown provider "paypal" (expected iamport, bootpay or portone)' },
      { line: 4, message: '5 fields, but the header has 4' },
      { line: 5, message: '2 fields, but the header has 4' },
      { line: 6, message: 'text after the closing quote of a field' },
      { line: 8, message: 'give either receipt_id or billing_key, not both' },
    ])
  })

  it('reports a row that breaks the quoting rules even when its fields are blank', () => {
    const text = `${HEADER}iamport,c1,,\n"" ,,,\n`
    expect(parseInput(text, 'csv', 'keys.csv')).toEqual({
      rows: [{ line: 2, ref: { provider: 'iamport', customerUid: 'c1' } }],
      issues: [{ line: 3, message: 'text after the closing quote of a field' }],
    })
  })

  it.each([
    ['', 'keys.csv is empty'],
    ['\n\n', 'keys.csv is empty'],
    [HEADER, 'keys.csv has no keys'],
    ['customer_uid\nc1\n', 'has no provider column'],
    ['provider,name\niamport,x\n', 'has no id column (customer_uid, receipt_id, billing_key)'],
    ['provider,customer_uid,customerUid\n', 'names the customer_uid column twice'],
    [`${HEADER}iamport,"c1\n`, 'keys.csv: line 2: a quoted field is never closed'],
  ])('a file that cannot be read as keys is an InputError: %j', (text, message) => {
    expect(() => parseInput(text, 'csv', 'keys.csv')).toThrow(InputError)
    expect(() => parseInput(text, 'csv', 'keys.csv')).toThrow(message)
  })
})

describe('parseInput (jsonl)', () => {
  it('reads one object per line, snake or camel case, skipping blank lines', () => {
    const text =
      '{"provider":"iamport","customer_uid":"c1","plan":"basic"}\n' +
      '\n' +
      '{"provider":"bootpay","receiptId":"r1","billing_key":null}\r\n' +
      '{"provider":"bootpay","billingKey":"k1"}'
    expect(parseInput(text, 'jsonl', 'k.jsonl')).toEqual({
      rows: [
        { line: 1, ref: { provider: 'iamport', customerUid: 'c1' } },
        { line: 3, ref: { provider: 'bootpay', receiptId: 'r1' } },
        { line: 4, ref: { provider: 'bootpay', billingKey: 'k1' } },
      ],
      issues: [],
    })
  })

  it('reports each bad line with its number', () => {
    const text = [
      '{"provider":"iamport","customer_uid":"c1"}',
      '{"provider":"iamport",',
      '["iamport","c2"]',
      '{"provider":"iamport","customer_uid":12}',
      '{"provider":"iamport","customer_uid":"a","customerUid":"b"}',
      '"text"',
    ].join('\n')
    const { rows, issues } = parseInput(text, 'jsonl', 'k.jsonl')
    expect(rows).toHaveLength(1)
    expect(issues.map((issue) => issue.line)).toEqual([2, 3, 4, 5, 6])
    expect(issues[0]?.message).toMatch(/^not valid JSON \(/)
    expect(issues.slice(1).map((issue) => issue.message)).toEqual([
      'expected a JSON object, got an array',
      'customer_uid must be a string, got a number',
      'customer_uid is given twice',
      'expected a JSON object, got a string',
    ])
  })

  it('a file with no lines is an InputError', () => {
    expect(() => parseInput('\n \n', 'jsonl', 'k.jsonl')).toThrow('k.jsonl has no keys')
  })
})

describe('readRows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'billingkey-input-'))
  const readInput = async (name: string, cwd: string) => {
    const rows = []
    for await (const item of readRows(name, cwd)) rows.push(item)
    return { rows }
  }
  const file = (name: string, bytes: string | Uint8Array) => {
    writeFileSync(join(dir, name), bytes)
    return name
  }

  it('reads a file larger than a stream chunk with exact lines across quoted line breaks', async () => {
    let text = 'provider,customer_uid,note\r\n'
    let line = 2
    let badLine = 0
    let lastLine = 0
    for (let i = 0; i < 20_000; i++) {
      lastLine = line
      if (i === 4321) {
        badLine = line
        text += 'paypal,x,\r\n'
      } else if (i % 7 === 0) text += `iamport,c${i},"two\r\nlines, quoted"\r\n`
      else text += `iamport,c${i},\r\n`
      line += i % 7 === 0 && i !== 4321 ? 2 : 1
    }
    expect(text.length).toBeGreaterThan(3 * 65_536)
    const { rows } = await readInput(file('big.csv', text), dir)
    const whole = parseInput(text, 'csv', 'big.csv')
    expect(rows.filter((row) => 'ref' in row)).toEqual(whole.rows)
    expect(rows.filter((row) => !('ref' in row))).toEqual([
      {
        line: badLine,
        message: 'unknown provider "paypal" (expected iamport, bootpay or portone)',
      },
    ])
    expect(rows.at(-1)).toEqual({
      line: lastLine,
      ref: { provider: 'iamport', customerUid: 'c19999' },
    })

    const jsonl = Array.from({ length: 9000 }, (_, i) =>
      i === 8000 ? '{bad\r\n' : `{"provider":"iamport","customer_uid":"c${i}"}\r\n`,
    ).join('')
    const items = (await readInput(file('big.jsonl', jsonl), dir)).rows
    expect(items).toHaveLength(9000)
    expect(items[8000]).toMatchObject({
      line: 8001,
      message: expect.stringContaining('not valid JSON'),
    })
    expect(items[8999]).toEqual({ line: 9000, ref: { provider: 'iamport', customerUid: 'c8999' } })
  })

  it('strips a UTF-8 byte order mark', async () => {
    const name = file('bom.csv', `\uFEFF${HEADER}iamport,c1,,\n`)
    expect((await readInput(name, dir)).rows).toEqual([
      { line: 2, ref: { provider: 'iamport', customerUid: 'c1' } },
    ])
  })

  it('refuses a file that is not UTF-8 (an EUC-KR export) and UTF-16', async () => {
    const eucKr = new Uint8Array([
      ...Buffer.from('provider,customer_uid\niamport,'),
      0xb0,
      0xed,
      0xb0,
      0xb4,
    ])
    await expect(readInput(file('euckr.csv', eucKr), dir)).rejects.toThrow(
      /is not UTF-8.*iconv -f cp949/,
    )
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('p\0')])
    await expect(readInput(file('utf16.csv', utf16), dir)).rejects.toThrow(
      'is UTF-16; save it as UTF-8',
    )
  })

  it('says why a file cannot be read', async () => {
    await expect(readInput('missing.csv', dir)).rejects.toThrow(
      'cannot read missing.csv: no such file',
    )
    mkdirSync(join(dir, 'folder.csv'))
    await expect(readInput('folder.csv', dir)).rejects.toThrow(
      'cannot read folder.csv: it is a directory',
    )
  })
})
