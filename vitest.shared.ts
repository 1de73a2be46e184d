import { defineConfig } from 'vitest/config'

/**
 * Shared vitest settings. Every package writes its results to `.vitest/results.json`;
 * `.ci/run` sums those files for its closing `N passed, N failed` line.
 * Type tests (`*.test-d.ts`, `expectTypeOf`/`assertType`) run in the same suite.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
    typecheck: {
      enabled: true,
      include: ['test/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    // CI shares 2 cores: a heavy case (compiling every schema, a sandbox round trip) may take
    // seconds under load. A hang still fails, at 30 s.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    unstubGlobals: true,
    restoreMocks: true,
  },
})
