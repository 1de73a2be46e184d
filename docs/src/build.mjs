// `pnpm docs`: builds the static site into docs/dist/ from specs/<provider>/openapi.yaml, offline:
//   index.html                 the landing page (src/site.mjs)
//   <provider>.html            the provider's API reference, rendered by Redocly CLI (Redoc)
//   <provider>.openapi.yaml    the spec itself, for download
//   favicon.svg
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { favicon, renderIndex } from './site.mjs'
import { hasPackage, listProviders, parseSpec, specPath } from './spec.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
const dist = fileURLToPath(new URL('../dist', import.meta.url))
const template = fileURLToPath(new URL('reference.hbs', import.meta.url))
const redocly = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js')

// Redoc 3 shows Redocly's logo in the sidebar footer ("API docs by …") from its CDN, with no
// option to turn it off. The pages must load nothing from the network, so the logo becomes an
// inline image with the same words.
const cdnLogo = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g
const inlineLogo = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="54" height="14"><text x="0" y="11" font-family="sans-serif" font-size="11" font-weight="600" fill="#5b6470">Redocly</text></svg>',
)}`

/**
 * @param {string} provider
 * @param {Record<string, any>} spec
 */
async function buildReference(provider, spec) {
  const output = join(dist, `${provider}.html`)
  await promisify(execFile)(
    process.execPath,
    [
      redocly,
      'build-docs',
      join(root, specPath(provider)),
      '--output',
      output,
      '--title',
      `${spec.info?.title ?? provider}: API reference`,
      '--template',
      template,
      '--inlineBundle',
      '--openapi.disableTelemetry',
      '--lint-config',
      'off',
    ],
    { env: { ...process.env, REDOCLY_TELEMETRY: 'off' } },
  ).catch((/** @type {{ stdout?: string, stderr?: string }} */ error) => {
    throw new Error(`redocly build-docs failed for ${provider}:\n${error.stdout}${error.stderr}`)
  })
  const html = readFileSync(output, 'utf8')
  const offline = html.replaceAll(cdnLogo, inlineLogo)
  if (offline === html) {
    throw new Error(`${output}: Redoc no longer loads its logo from the CDN; drop the rewrite`)
  }
  writeFileSync(output, offline)
  copyFileSync(join(root, specPath(provider)), join(dist, `${provider}.openapi.yaml`))
}

const providers = listProviders(root).map((provider) => ({
  provider,
  spec: parseSpec(readFileSync(join(root, specPath(provider)), 'utf8')),
  hasPackage: hasPackage(root, provider),
}))
rmSync(dist, { recursive: true, force: true })
mkdirSync(dist, { recursive: true })
await Promise.all(providers.map(({ provider, spec }) => buildReference(provider, spec)))
writeFileSync(join(dist, 'favicon.svg'), favicon)
writeFileSync(join(dist, 'index.html'), renderIndex(providers))
console.log(
  `docs: ${['index', ...providers.map((p) => p.provider)].map((p) => `dist/${p}.html`).join(', ')}`,
)
