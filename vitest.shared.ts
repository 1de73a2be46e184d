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
    unstubGlobals: true,
    restoreMocks: true,
  },
})
