import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { languages, renderIndex } from '../src/site.mjs'
import { hasPackage, listProviders, parseSpec, specPath } from '../src/spec.mjs'

const root = resolve(import.meta.dirname, '../..')

describe('languages', () => {
  it.each([
    ['Issue an access token (토큰 발급)', { en: 'Issue an access token', ko: '토큰 발급' }],
    [
      'access_token 발급 (issue an access token)',
      { en: 'Issue an access token', ko: 'access_token 발급' },
    ],
    [
      'Issue, look up and delete keys (빌링키 발급·조회·삭제).',
      { en: 'Issue, look up and delete keys', ko: '빌링키 발급·조회·삭제' },
    ],
    ['Look up a key (by receipt_id)', { en: 'Look up a key (by receipt_id)' }],
    ['빌링키 조회', { en: '빌링키 조회' }],
    [undefined, { en: '' }],
  ])('%s', (summary, expected) => {
    expect(languages(summary)).toEqual(expected)
  })
})

describe('renderIndex', () => {
  it('escapes what it takes from a spec', () => {
    const html = renderIndex([
      {
        provider: 'demo',
        spec: {
          openapi: '3.1.0',
          info: { title: 'Demo <b>API</b>', version: '1.0.0', summary: 'Tom & "Jerry"' },
          paths: { '/a': { get: { operationId: 'getA', summary: '<script>x</script>' } } },
        },
      },
    ])
    expect(html).toContain('Demo &lt;b&gt;API&lt;/b&gt;')
    expect(html).toContain('Tom &amp; &quot;Jerry&quot;')
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;')
    expect(html).not.toContain('<script>')
    expect(html).toContain('npm install @billingkey/demo')
    expect(html).toContain('href="demo.html"')
  })

  it('offers no install command, npm or README link for a provider without a package yet', () => {
    const spec = { openapi: '3.1.0', info: { title: 'Demo', version: '1.0.0' }, paths: {} }
    const html = renderIndex([{ provider: 'demo', spec, hasPackage: false }])
    expect(html).toContain('@billingkey/demo is not released yet')
    expect(html).not.toContain('npm install')
    expect(html).not.toContain('npmjs.com')
    expect(html).not.toContain('#readme')
    expect(html).toContain('href="demo.html"')
    expect(html).toContain('href="demo.openapi.yaml"')
  })
})

describe("the repository's landing page", () => {
  it('lists the three providers, each with its install command and README now that each has a package', () => {
    const providers = listProviders(root).map((provider) => ({
      provider,
      spec: parseSpec(readFileSync(join(root, specPath(provider)), 'utf8')),
      hasPackage: hasPackage(root, provider),
    }))
    expect(providers.map(({ provider }) => provider)).toEqual(['bootpay', 'iamport', 'portone'])
    const html = renderIndex(providers)
    for (const { provider } of providers) {
      expect(html).toContain(`npm install @billingkey/${provider}`)
      expect(html).toContain(`/tree/main/packages/${provider}#readme`)
      expect(html).toContain(`href="${provider}.html"`)
    }
    expect(html).not.toContain('is not released yet')
  })
})
