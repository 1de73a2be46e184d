import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bin, packageDir } from './helpers'

const dist = join(packageDir, 'dist')
const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)].map((m) => m[1])

// dist/bin.js was once a whole second copy of the CLI (46 kB beside index.js and index.cjs).
describe('the build', () => {
  it('makes the bin a thin entry over the chunk the ESM library entry uses', () => {
    expect(statSync(bin).size).toBeLessThan(2048)
    expect(readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
    expect(importsOf(bin)).toEqual(['./shared.js'])
    expect(importsOf(join(dist, 'index.js'))).toEqual(['./shared.js'])
    expect(readFileSync(join(dist, 'shared.js'), 'utf8')).toContain('billingkey <command>')
  })
})
