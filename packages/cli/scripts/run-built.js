// `pnpm billingkey <args>` at the repository root: builds the CLI and the packages it uses (turbo,
// cached when nothing changed; its output is shown only when the build fails), then runs the built
// bin with <args> in the directory pnpm was started from. This is the one way to run the
// CLI from a checkout: `pnpm --filter @billingkey/cli exec billingkey` fails on a fresh clone,
// because pnpm links bins at install time, before dist/bin.js exists.
import { spawn, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url))

const build = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'build', '--filter=@billingkey/cli...', '--output-logs=errors-only'],
  { cwd: root, encoding: 'utf8', env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } },
)
if (build.error) throw build.error
if (build.status !== 0) {
  process.stderr.write(`${build.stdout}${build.stderr}`)
  console.error('billingkey: the build failed (see above); nothing was run')
  process.exit(build.status ?? 1)
}

// Ctrl-C reaches the CLI too, which stops cleanly and picks the exit code (130).
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => {})
const cli = spawn(process.execPath, [bin, ...process.argv.slice(2)], {
  cwd: process.env.INIT_CWD || process.cwd(),
  stdio: 'inherit',
})
cli.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 + 2 : 1)
})
