// The declarations users install name only packages the sandbox depends on: the provider packages
// are dev dependencies whose wire types stay inside. (turbo runs this package's build before its tests.)
import { readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { describe, expect, it } from 'vitest'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const dependencies = Object.keys(manifest.dependencies ?? {})

describe.each(['index.d.ts', 'index.d.cts'])('dist/%s', (file) => {
  it('imports only node builtins and the dependencies of the package', () => {
    const text = readFileSync(new URL(`../dist/${file}`, import.meta.url), 'utf8')
    const imported = [...text.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1])
    const outside = imported.filter(
      (name) =>
        !name?.startsWith('node:') &&
        !builtinModules.includes(name as string) &&
        !dependencies.some(
          (dependency) => name === dependency || name?.startsWith(`${dependency}/`),
        ),
    )
    expect(outside).toEqual([])
  })
})
