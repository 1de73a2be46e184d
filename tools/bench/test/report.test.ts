import { describe, expect, it } from 'vitest'
import { breakdown, origin } from '../src/comparisons/bundle'
import { num, render, spread, table, verdict } from '../src/report'

describe('table', () => {
  it('writes a header, a rule and one row per line, escaping pipes', () => {
    expect(table(['a', 'b'], [['1', 'x | y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x \\| y |')
  })
})

describe('formatting', () => {
  it('rounds and groups numbers', () => {
    expect([num(12345.678), num(0.456, 2), num(3, 1)]).toEqual(['12,345.7', '0.46', '3'])
  })

  it('gives the spread as p25–p75 · min–max', () => {
    expect(spread({ n: 5, median: 3, p25: 2, p75: 4, min: 1, max: 5 })).toBe('2–4 · 1–5')
  })

  it('marks goals', () => {
    expect([verdict(true), verdict(false)]).toEqual(['**met**', '**not met**'])
  })
})

describe('render', () => {
  it('starts with the machine and how to reproduce, then the sections in order', () => {
    const markdown = render({
      machine: {
        cpu: 'Test CPU',
        cores: 2,
        memoryGb: 4,
        os: 'Linux 6',
        node: 'v20.0.0',
        date: '2026-01-01T00:00:00Z',
        load: [1, 2, 3],
      },
      loadAtEnd: [0.5, 1, 1.5],
      settings: { BENCH_LOAD_SECONDS: 30 },
      sections: [
        { title: 'First', body: 'one' },
        { title: 'Second', body: 'two' },
      ],
    })
    expect(markdown).toContain('| CPU | Test CPU, 2 cores |')
    expect(markdown).toContain('| Node | v20.0.0 |')
    expect(markdown).toContain('1.00 / 2.00 / 3.00')
    expect(markdown).toContain('`BENCH_LOAD_SECONDS=30`')
    expect(markdown.indexOf('## Machine')).toBeLessThan(markdown.indexOf('## Reproduce'))
    expect(markdown.indexOf('## First\n\none')).toBeLessThan(markdown.indexOf('## Second\n\ntwo'))
  })
})

describe('bundle breakdown', () => {
  it.each([
    ['../../packages/core/dist/index.js', '@billingkey/core'],
    [
      '../../node_modules/.pnpm/openapi-fetch@0.17.0/node_modules/openapi-fetch/dist/index.mjs',
      'openapi-fetch',
    ],
    [
      'node_modules/.pnpm/@bootpay+backend-js@2.13.1/node_modules/@bootpay/backend-js/dist/bootpay.js',
      '@bootpay/backend-js',
    ],
    ['<stdin>', 'the program'],
  ])('names the origin of %s', (path, expected) => {
    expect(origin(path)).toBe(expected)
  })

  it('adds the bytes of each origin over every output, largest first, without empty ones', () => {
    const input = (bytesInOutput: number) => ({ bytesInOutput })
    const metafile = {
      inputs: {},
      outputs: {
        'out.js': {
          bytes: 0,
          imports: [],
          exports: [],
          inputs: {
            '../../packages/core/dist/a.js': input(10),
            '../../packages/core/dist/b.js': input(5),
            'node_modules/openapi-fetch/dist/index.mjs': input(20),
            'node_modules/unused/index.js': input(0),
          },
        },
      },
    }
    expect(breakdown(metafile)).toEqual([
      ['openapi-fetch', 20],
      ['@billingkey/core', 15],
    ])
  })
})
