// The built site (docs/dist, from `pnpm docs`) in Debian's Chromium: every operation of every spec is
// on its page, the search finds what users look for, and nothing fails or loads from the network.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, relative, resolve } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_PATH, INSTALL_HINT } from '../scripts/chromium.mjs'
import {
  hasPackage,
  listOperations,
  listProviders,
  packageName,
  parseSpec,
  specPath,
} from '../src/spec.mjs'
import { stopSite } from './teardown'

const docs = resolve(import.meta.dirname, '..')
const root = resolve(docs, '..')
const dist = join(docs, 'dist')
const artifacts = join(docs, 'artifacts')

const providers = listProviders(root).map((provider) => {
  const spec = parseSpec(readFileSync(join(root, specPath(provider)), 'utf8'))
  return { provider, spec, operations: listOperations(spec) }
})

/** What a user of each provider's reference searches for: a parameter of its spec. */
const searchTerms: Record<string, string> = {
  iamport: 'customer_uid[]',
  bootpay: 'billing_key',
  portone: 'paymentId',
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.yaml': 'application/yaml; charset=utf-8',
}

let server: Server | undefined
let base: string
let context: BrowserContext
let userDataDir: string | undefined

beforeAll(async () => {
  // The docs test task installs it first when it can (scripts/chromium.mjs); never skipped.
  if (!existsSync(CHROMIUM_PATH)) throw new Error(INSTALL_HINT)
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error('docs/dist is not built: run `pnpm docs` (turbo runs it before this test).')
  }
  mkdirSync(artifacts, { recursive: true })
  server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname)
    const file = join(dist, pathname === '/' ? 'index.html' : pathname)
    if (relative(dist, file).startsWith('..') || !existsSync(file)) {
      response.writeHead(404).end('not found')
      return
    }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' })
    response.end(readFileSync(file))
  })
  const listening = server
  await new Promise<void>((done) => listening.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`

  userDataDir = mkdtempSync(join(tmpdir(), 'billingkey-docs-chromium-'))
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
  })
  context.setDefaultTimeout(30_000)
  // The site must be self-contained: a request anywhere but the local server is refused, and so
  // fails the page that made it (see `open`).
  await context.route('**/*', (route) =>
    route.request().url().startsWith(`${base}/`)
      ? route.continue()
      : route.abort('blockedbyclient'),
  )
})

afterAll(() => stopSite({ context, server, userDataDir }))

/** Opens a page of the site and collects everything that went wrong on it. */
async function open(pathname: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage()
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  )
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
  await page.goto(`${base}/${pathname}`)
  return { page, problems }
}

/**
 * Opens a reference page and waits until React has hydrated Redoc's prerendered navigation: before
 * that, a click on it is the browser's own (a link to a path that does not exist) or nothing.
 */
async function openReference(provider: string) {
  const opened = await open(`${provider}.html`)
  await opened.page.waitForFunction(() => {
    const menu = document.querySelector('[data-component-name="Menu/Menu"]')
    return menu !== null && Object.keys(menu).some((key) => key.startsWith('__reactProps$'))
  })
  return opened
}

it('has specs with operations to check', () => {
  expect(providers.length).toBeGreaterThan(0)
  for (const { provider, operations } of providers) {
    expect(operations.length, `${specPath(provider)} has no operations`).toBeGreaterThan(0)
  }
})

describe('index.html', () => {
  it('lists every provider with its package, its operations and links that work', async () => {
    const { page, problems } = await open('index.html')
    for (const { provider, spec, operations } of providers) {
      const section = page.locator(`section#${provider}`)
      const text = await section.textContent()
      // a provider whose spec came before its package gets no install command yet
      if (hasPackage(root, provider)) expect(text).toContain(`npm install ${packageName(provider)}`)
      else expect(text).toContain(`${packageName(provider)} is not released yet`)
      expect(text).toContain(spec.info.title)
      const rows = await section
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) =>
            [...tr.querySelectorAll('.method, .path, .id')].map((e) => e.textContent),
          ),
        )
      expect(rows).toEqual(
        operations.map((op) => [op.method.toUpperCase(), op.path, op.operationId]),
      )
      const download = await context.request.get(
        `${base}/${await section.getByRole('link', { name: 'OpenAPI 3.1 spec' }).getAttribute('href')}`,
      )
      expect(await download.text()).toBe(readFileSync(join(root, specPath(provider)), 'utf8'))
    }
    await page.screenshot({ path: join(artifacts, 'index.png'), fullPage: true })

    const [first] = providers
    await page
      .locator(`section#${first?.provider}`)
      .getByRole('link', { name: 'API reference' })
      .click()
    await page.waitForURL(`${base}/${first?.provider}.html`)
    expect(await page.title()).toBe(`${first?.spec.info.title}: API reference`)
    expect(problems).toEqual([])
    await page.close()
  })
})

describe.each(providers)('the $provider reference', ({ provider, spec, operations }) => {
  it('shows every operation of the spec, with its path, under its tag', async () => {
    const { page, problems } = await openReference(provider)
    await page.screenshot({ path: join(artifacts, `${provider}.png`) })
    const menu = page.locator('[data-component-name="Menu/Menu"]')
    const tags = [...new Set(operations.map((op) => op.operation.tags?.[0]))]
    for (const tag of tags) {
      expect(tag, 'every operation has a tag: Redoc lists operations under their tag').toBeDefined()
      await menu.getByText(tag, { exact: true }).click()
      for (const op of operations.filter((o) => o.operation.tags?.[0] === tag)) {
        // Redoc 3 anchors an operation at #/<tag>/<operationId in lower case>.
        const link = menu.locator(`a[href$="/${op.operationId?.toLowerCase()}"]`)
        expect((await link.textContent())?.toLowerCase()).toContain(op.method)
        const href = (await link.getAttribute('href')) ?? ''
        await link.click()
        const section = page.locator(`[id="${href.slice(2)}"]`)
        await section.waitFor()
        await expect.poll(() => section.textContent()).toContain(op.path)
        await expect.poll(() => section.textContent()).toContain(op.summary ?? op.operationId)
      }
    }
    await page.screenshot({ path: join(artifacts, `${provider}-operation.png`) })
    expect(problems).toEqual([])
    await page.close()
  })

  it('finds its search term with the search box and opens where it is documented', async () => {
    const term = searchTerms[provider]
    expect(term, `add a search term for ${provider} to this test`).toBeDefined()
    const parameters = operations.flatMap((op) => op.parameters.map((p) => p.name))
    expect(parameters, `${term} is a parameter of ${specPath(provider)}`).toContain(term)

    const { page, problems } = await openReference(provider)
    await page.locator('[data-testid="search-trigger"]').click()
    await page.keyboard.type(term as string)
    const hit = page
      .locator('[data-component-name="Search/SearchItem"]')
      .filter({ hasText: term })
      .first()
    await hit.waitFor()
    await page.screenshot({ path: join(artifacts, `${provider}-search.png`) })
    await hit.click()
    // The result's address ends with the id of what it found: an operation or one of its fields.
    await page.waitForURL((url) => url.hash.length > 2)
    const target = decodeURIComponent(page.url().split('#').pop() ?? '').replace(/^\//, '')
    const found = page.locator(`[id="${target}"]`)
    await found.waitFor()
    expect(await found.textContent()).toContain(term)
    expect(problems).toEqual([])
    await page.close()
  })

  it('documents every operation in both Korean and English', () => {
    const hangul = /[\uac00-\ud7af]/
    for (const op of operations) {
      const words = `${op.summary ?? ''} ${op.description ?? ''}`
      expect(words, `${op.operationId}: Korean`).toMatch(hangul)
      expect(words, `${op.operationId}: English`).toMatch(/\b(the|a|an|of|to|is|and)\b/i)
    }
    expect(spec.info.description).toMatch(hangul)
  })
})
