// `pnpm start` (the README's main job) ends here: `billingkey audit examples/keys.csv`, built bin,
// embedded sandbox unless credentials are set. The example file deliberately holds keys that
// need action, so the audit's expected result is exit code 1; this script passes that as success
// and fails only on 2 (usage, input or run error) or an interrupt.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url))
const file = fileURLToPath(new URL('../../../examples/keys.csv', import.meta.url))
const { status, error } = spawnSync(
  process.execPath,
  [bin, 'audit', file, ...process.argv.slice(2)],
  { stdio: 'inherit' },
)
if (error) throw error
process.exitCode = status === 1 ? 0 : (status ?? 1)
