import { cpSync } from 'node:fs'
import { library } from '../../tsup.shared'

// `billingkey audit --example` audits the demo file the package ships: the repository's
// examples/ is its one source, copied beside dist/ at every build.
const copyExamples = async () => {
  for (const name of ['keys.csv', 'keys.jsonl']) {
    cpSync(`../../examples/${name}`, `examples/${name}`)
  }
}

export default [
  // ESM: the programmatic API (run(argv, io)) and the `billingkey` bin over one shared chunk
  // (dist/shared.js), so the bin is a thin entry, not a second copy of the CLI. tsup keeps the
  // bin's shebang and marks it executable. The fixed chunk name means a rebuild overwrites it.
  library({
    platform: 'node',
    entry: ['src/index.ts', 'src/bin.ts'],
    format: ['esm'],
    splitting: true,
    dts: { entry: 'src/index.ts' },
    esbuildOptions(options) {
      options.chunkNames = 'shared'
    },
    onSuccess: copyExamples,
  }),
  // CommonJS: the programmatic API for require()
  // (shims: import.meta.url, which finds the shipped example, works in CommonJS too)
  library({ platform: 'node', format: ['cjs'], shims: true }),
]
