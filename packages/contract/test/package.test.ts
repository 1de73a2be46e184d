// The built package finds the specs it ships, from both module formats: the sandbox and the CLI
// call loadSpec('iamport') from an installed copy. (turbo runs this package's build before its tests.)
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type * as Contract from '../src/index'
import { repoRoot } from './providers'

const dist = new URL('../dist/', import.meta.url)
const formats: [string, () => Promise<typeof Contract>][] = [
  ['ESM', () => import(/* @vite-ignore */ new URL('index.js', dist).href)],
  ['CJS', async () => createRequire(import.meta.url)(fileURLToPath(new URL('index.cjs', dist)))],
]

describe.each(formats)('the %s build', (_, load) => {
  it.each(['iamport', 'bootpay', 'portone'] as const)(
    'loads the %s spec it ships, as committed',
    async (name) => {
      const { loadSpec } = await load()
      const committed = parse(readFileSync(`${repoRoot}specs/${name}/openapi.yaml`, 'utf8'))
      const spec = loadSpec(name)
      expect(spec.document).toEqual(committed)
      expect(spec.operations.length).toBeGreaterThan(0)
    },
  )
})
