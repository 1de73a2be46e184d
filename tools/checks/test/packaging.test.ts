import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installProject, pack } from './packed'
import { publicPackages, repoRoot, run } from './workspace'

const required = ['license', 'repository', 'engines', 'files', 'exports'] as const

/** Every entry point a public package exports (`@billingkey/iamport`, `@billingkey/iamport/api` …). */
const entryPoints = publicPackages.flatMap((pkg) =>
  Object.keys(pkg.manifest.exports as Record<string, unknown>)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => ({ name: `${pkg.name}${subpath.slice(1)}` })),
)

describe.each(publicPackages)('$name', (pkg) => {
  it('declares the publishing metadata', () => {
    for (const field of required) expect(pkg.manifest, field).toHaveProperty(field)
    expect(pkg.manifest.sideEffects).toBe(false)
    expect(pkg.manifest.exports).toMatchObject({
      '.': {
        import: { types: './dist/index.d.ts', default: './dist/index.js' },
        require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
      },
    })
  })

  it('passes publint with no findings', async () => {
    const { messages, pkg: manifest } = await publint({
      pkgDir: pkg.dir,
      pack: 'pnpm',
      strict: true,
    })
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, manifest)}`)).toEqual([])
  })

  it('passes @arethetypeswrong/cli --pack with no findings', async () => {
    const attw = join(repoRoot, 'tools/checks/node_modules/.bin/attw')
    const result = await run(attw, ['--pack', '.', '--format', 'json'], { cwd: pkg.dir })
    const report = JSON.parse(result.stdout) as { analysis: { problems?: unknown[] } }
    expect(report.analysis.problems ?? []).toEqual([])
    expect(result.code).toBe(0)
  })
})

/**
 * Packs every public package (see packed.ts), installs the tarballs into a scratch project outside the workspace with npm, and
 * loads each package both ways.
 */
describe('packed tarballs in a scratch project', () => {
  let project: string
  let scratch: string

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'billingkey-smoke-'))
    project = join(scratch, 'project')
    await installProject(project, await pack(publicPackages, join(scratch, 'tarballs')))
  })

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  })

  it('covers the subpath entries', () => {
    expect(entryPoints.map((e) => e.name)).toEqual(
      expect.arrayContaining([
        '@billingkey/iamport/api',
        '@billingkey/bootpay/api',
        '@billingkey/portone/api',
      ]),
    )
  })

  it.each(entryPoints)(
    '$name loads with import() and require() with the same exports',
    async (pkg) => {
      const script = `
      const esm = Object.keys(await import(${JSON.stringify(pkg.name)})).filter((k) => k !== 'default' && k !== 'module.exports').sort()
      const { createRequire } = await import('node:module')
      const cjs = Object.keys(createRequire(process.cwd() + '/')(${JSON.stringify(pkg.name)})).sort()
      console.log(JSON.stringify({ esm, cjs }))`
      const result = await run('node', ['--input-type=module', '-e', script], { cwd: project })
      expect(result.code, result.stderr).toBe(0)
      const { esm, cjs } = JSON.parse(result.stdout) as { esm: string[]; cjs: string[] }
      expect(esm.length).toBeGreaterThan(0)
      expect(cjs).toEqual(esm)
    },
  )

  it("@billingkey/cli: the README's first command works where the package is installed", async () => {
    const bin = join(project, 'node_modules/.bin/billingkey')
    const result = await run(bin, ['audit', '--example', '--format', 'json'], { cwd: project })
    // the demo file holds keys that need action on purpose: exit code 1, the report on stdout
    expect(result.code, result.stderr).toBe(1)
    expect((JSON.parse(result.stdout) as { total: number }).total).toBeGreaterThan(300)
  })

  it.each(publicPackages.filter((pkg) => pkg.manifest.bin))(
    '$name bin runs --help',
    async (pkg) => {
      for (const bin of Object.keys(pkg.manifest.bin ?? {})) {
        const result = await run(join(project, 'node_modules/.bin', bin), ['--help'], {
          cwd: project,
        })
        expect(result.code, result.stderr).toBe(0)
        expect(result.stdout).toContain('Usage')
      }
    },
  )
})
