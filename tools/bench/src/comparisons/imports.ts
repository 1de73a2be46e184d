import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { compare } from '../harness'
import { num, type Section, spread, table } from '../report'
import { summarize } from '../stats'

const PACKAGES = [
  '@billingkey/core',
  '@billingkey/iamport',
  '@billingkey/bootpay',
  '@billingkey/client',
  '@billingkey/contract',
  '@billingkey/sandbox',
  '@billingkey/cli',
  '@bootpay/backend-js',
  'iamport-rest-client-nodejs',
]
const SETTINGS = { rounds: 7, warmupRounds: 1, opsPerSample: 1 }

const run = promisify(execFile)
const cwd = fileURLToPath(new URL('..', import.meta.url))

/** Milliseconds for `import(name)` in a new Node process, timed inside it. */
async function coldImport(name: string): Promise<number> {
  const script = `const t = performance.now(); await import(${JSON.stringify(name)}); console.log(performance.now() - t)`
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd })
  return Number(stdout)
}

export async function imports(): Promise<Section> {
  const timings = new Map<string, number[]>(PACKAGES.map((name) => [name, []]))
  // compare() times the whole process; the import alone is timed inside it and kept here.
  const results = await compare(
    PACKAGES.map((name) => ({
      name,
      run: async () => timings.get(name)?.push(await coldImport(name)),
    })),
    SETTINGS,
  )
  return {
    title: '6. Cold `import()` time',
    body: [
      'Each package imported once in a new Node process (`node -e "await import(…)"`), timed inside that process from just before the `import()` to just after: loading, parsing and evaluating the package and what it imports, on a warm file cache. The process start is not counted; it is given for scale in the last column.',
      table(
        ['package', 'import ms (p25–p75 · min–max)', 'whole process ms'],
        PACKAGES.map((name) => {
          // The warm-up round ran first for every package: its timing is the first one.
          const ms = summarize(timings.get(name)?.slice(SETTINGS.warmupRounds) ?? [])
          const process = results.get(name)
          return [
            name,
            `${num(ms.median, 1)} (${spread(ms, 1)})`,
            process ? num(process.median / 1000, 0) : '',
          ]
        }),
      ),
      `Settings: ${SETTINGS.rounds} rounds after ${SETTINGS.warmupRounds} warm-up round, packages interleaved.`,
    ].join('\n\n'),
  }
}
