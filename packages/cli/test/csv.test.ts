import { describe, expect, it } from 'vitest'
import { CsvSyntaxError, csvLine, csvReader, parseCsv } from '../src/csv'

describe('parseCsv', () => {
  it.each([
    ['LF', 'a,b\n1,2\n'],
    ['CRLF', 'a,b\r\n1,2\r\n'],
    ['lone CR', 'a,b\r1,2\r'],
    ['no final line break', 'a,b\n1,2'],
  ])('splits records with %s line ends', (_name, text) => {
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ])
  })

  it('reads quoted fields: commas, doubled quotes, line breaks, empty', () => {
    const records = parseCsv('a,"b,c","say ""hi""","two\r\nlines",""\nnext,x,y,z,w\n')
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b,c', 'say "hi"', 'two\r\nlines', ''] },
      { line: 3, fields: ['next', 'x', 'y', 'z', 'w'] },
    ])
  })

  it('skips empty lines but counts them, and keeps empty fields', () => {
    expect(parseCsv('\n\na,,b\n\r\n,\n')).toEqual([
      { line: 3, fields: ['a', '', 'b'] },
      { line: 5, fields: ['', ''] },
    ])
  })

  it('keeps spaces around unquoted fields as they are', () => {
    expect(parseCsv(' a , b ')).toEqual([{ line: 1, fields: [' a ', ' b '] }])
  })

  it('flags a quote inside an unquoted field and text after a closing quote, and goes on', () => {
    expect(parseCsv('ab"c,d\n"x"y,z\nok,1')).toEqual([
      {
        line: 1,
        fields: ['ab"c', 'd'],
        problem: 'a quote inside an unquoted field (quote the whole field)',
      },
      { line: 2, fields: ['xy', 'z'], problem: 'text after the closing quote of a field' },
      { line: 3, fields: ['ok', '1'] },
    ])
  })

  it('throws CsvSyntaxError with the line of a quote that is never closed', () => {
    const text = 'a,b\n1,2\n3,"open\nmore\n'
    expect(() => parseCsv(text)).toThrow(CsvSyntaxError)
    expect(() => parseCsv(text)).toThrow('line 3: a quoted field is never closed')
  })
})

describe('csvReader', () => {
  const text = 'a,"b\r\nc",d\r\n\r\n"x""y",z\r"q\nr"s,t\n\n,\nlast,"one"'

  it('reads a file in pieces split anywhere exactly as parseCsv reads it whole', () => {
    const whole = parseCsv(text)
    expect(whole.map((record) => record.line)).toEqual([1, 4, 5, 8, 9])
    for (let cut = 0; cut <= text.length; cut++) {
      const reader = csvReader()
      const records = [...reader.push(text.slice(0, cut)), ...reader.push(text.slice(cut))]
      expect([...records, ...reader.end()]).toEqual(whole)
    }
    const reader = csvReader()
    const byChar = [...text].flatMap((c) => reader.push(c))
    expect([...byChar, ...reader.end()]).toEqual(whole)
  })

  it('returns each record as soon as its line end arrives', () => {
    const reader = csvReader()
    expect(reader.push('a,b\n1,')).toEqual([{ line: 1, fields: ['a', 'b'] }])
    expect(reader.push('2\n')).toEqual([{ line: 2, fields: ['1', '2'] }])
    expect(reader.push('"open\n')).toEqual([])
    expect(() => reader.end()).toThrow('line 3: a quoted field is never closed')
  })
})

describe('csvLine', () => {
  it('quotes only what needs quoting and ends with CRLF', () => {
    expect(csvLine(['plain', 'a,b', 'say "hi"', 'two\nlines', ' padded', '', null, 7])).toBe(
      'plain,"a,b","say ""hi""","two\nlines"," padded",,,7\r\n',
    )
  })

  it('writes a field a spreadsheet would run as a formula as quoted text with a leading quote', () => {
    expect(
      csvLine(['=HYPERLINK("http://x","y")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx', 'a=b', '1-2']),
    ).toBe(`"'=HYPERLINK(""http://x"",""y"")","'+1","'-2+3","'@SUM(A1)","'\tx","'\rx",a=b,1-2\r\n`)
  })

  it('round-trips through parseCsv', () => {
    const fields = ['x', 'a,b', '"q"', 'l1\r\nl2', ' s ', '한글']
    expect(parseCsv(csvLine(fields))).toEqual([{ line: 1, fields }])
  })
})
