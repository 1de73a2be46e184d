import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type PublicPackage, publicPackages, run } from './workspace'

/** The packages a program imports at run time (not the CLI, the sandbox or the contract). */
export const runtimePackages = ['core', 'iamport', 'bootpay', 'portone', 'client'].map(
  (name) => publicPackages.find((pkg) => pkg.name === `@billingkey/${name}`) as PublicPackage,
)

/**
 * Packs `packages` with pnpm into `dir` (which rewrites `workspace:` and `catalog:` ranges as a
 * publish would) and returns a `file:` spec per package name, for a package.json.
 */
export async function pack(
  packages: PublicPackage[],
  dir: string,
): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true })
  for (const pkg of packages) {
    const packed = await run('pnpm', ['pack', '--pack-destination', dir], { cwd: pkg.dir })
    if (packed.code !== 0) throw new Error(`pnpm pack ${pkg.name}: ${packed.stderr}`)
  }
  const files = readdirSync(dir)
  return Object.fromEntries(
    packages.map((pkg) => {
      const file = files.find((f) =>
        f.startsWith(`${pkg.name.replace('@', '').replace('/', '-')}-`),
      )
      if (!file) throw new Error(`no tarball of ${pkg.name} in ${dir}`)
      return [pkg.name, `file:${join(dir, file)}`]
    }),
  )
}

/**
 * A fresh project in `project` that depends on the tarballs `specs` (overriding the registry for
 * their dependencies on each other) and on `registry` packages, installed with npm as a user would.
 */
export async function installProject(
  project: string,
  specs: Record<string, string>,
  manifest: Record<string, unknown> = {},
  registry: Record<string, string> = {},
): Promise<void> {
  mkdirSync(project, { recursive: true })
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'billingkey-user',
      private: true,
      ...manifest,
      dependencies: { ...specs, ...registry },
      overrides: specs,
    }),
  )
  const installed = await run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--prefer-offline',
      '--loglevel=error',
    ],
    { cwd: project },
  )
  if (installed.code !== 0) throw new Error(`npm install in ${project}: ${installed.stderr}`)
}
