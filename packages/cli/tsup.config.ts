import { library } from '../../tsup.shared'

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
  }),
  // CommonJS: the programmatic API for require()
  library({ platform: 'node', format: ['cjs'] }),
]
