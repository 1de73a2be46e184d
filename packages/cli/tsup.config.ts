import { library } from '../../tsup.shared'

export default [
  // the programmatic API: run(argv, io)
  library({ platform: 'node' }),
  // the `billingkey` bin: ESM only, no declarations; tsup keeps the shebang and marks it executable
  library({ platform: 'node', entry: ['src/bin.ts'], format: ['esm'], dts: false }),
]
