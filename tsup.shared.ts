import { defineConfig, type Options } from 'tsup'

/**
 * The build every public package shares: ESM + CJS with matching declarations
 * (`.d.ts` for `import`, `.d.cts` for `require`), dependencies left external.
 * `tsconfig.build.json` covers `src/` only; for the runtime packages it sets `types: []`, so a
 * Node-only global (Buffer, process) in library code fails the build.
 */
export function library(options: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // Entry names never change, so files are overwritten in place; cleaning first would leave
    // dependents without a dist/ for the length of a build.
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
    splitting: false,
    tsconfig: 'tsconfig.build.json',
    ...options,
  })
}
