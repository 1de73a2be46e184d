import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { type Fixture, loadFixtures, loadSpec, type Spec } from '../src/index'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

export interface Provider {
  name: 'iamport' | 'bootpay' | 'portone'
  specFile: string
  spec: Spec
  fixtures: Fixture[]
  /** Why the fixtures could not be loaded; the suites report it as a failure. */
  fixtureError?: string
}

/**
 * The repository's specs and fixtures (the sources, not the build's copies), so the suites run
 * over whatever the spec authors have committed. A spec that does not load fails the suite file.
 */
export const providers: Provider[] = (['iamport', 'bootpay', 'portone'] as const).map((name) => {
  const specFile = join(repoRoot, 'specs', name, 'openapi.yaml')
  const provider: Provider = { name, specFile, spec: loadSpec(specFile), fixtures: [] }
  try {
    provider.fixtures = loadFixtures(join(repoRoot, 'specs', name, 'fixtures'))
  } catch (error) {
    provider.fixtureError = (error as Error).message
  }
  return provider
})

/** Fails with the loader's message, or when there is nothing to check: a suite over zero
 * fixtures would pass without checking anything. */
export function expectFixtures(provider: Provider): void {
  expect(provider.fixtureError, provider.fixtureError).toBeUndefined()
  expect(provider.fixtures.length, `fixtures in specs/${provider.name}/fixtures`).toBeGreaterThan(0)
}
