import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { installProject, pack, runtimePackages } from './packed'
import { repoRoot, run } from './workspace'

/**
 * TypeScript users' projects, from the packed tarballs: a Node project's lib (no DOM), @types/node
 * and skipLibCheck off, so every published .d.ts is checked, under each module setting a user may
 * have. fixtures/typescript/consumer.ts (core, iamport, bootpay, client and the /api entries) must
 * compile, and misuse.ts (a client where the facade takes an adapter) must be refused.
 */
const fixtures = join(import.meta.dirname, 'fixtures/typescript')
const tsc = join(repoRoot, 'tools/checks/node_modules/.bin/tsc')
const versionOf = (name: string) =>
  (
    JSON.parse(
      readFileSync(join(repoRoot, 'tools/checks/node_modules', name, 'package.json'), 'utf8'),
    ) as { version: string }
  ).version

const settings = [
  { name: 'node16, ESM', type: 'module', module: 'node16', moduleResolution: 'node16' },
  { name: 'node16, CommonJS', type: 'commonjs', module: 'node16', moduleResolution: 'node16' },
  { name: 'bundler', type: 'module', module: 'preserve', moduleResolution: 'bundler' },
  { name: 'node10', type: 'commonjs', module: 'commonjs', moduleResolution: 'node10' },
]

// Where misuse.ts is refused: the line that passes the client (TS2739: the adapter's members are
// missing).
const misuse = readFileSync(join(fixtures, 'misuse.ts'), 'utf8').split('\n')
const misuseLine = misuse.findIndex((line) => line.includes('createBillingKeys({ iamport })')) + 1

let scratch: string
let project: string

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'billingkey-typescript-'))
  project = join(scratch, 'project')
  const specs = await pack(runtimePackages, join(scratch, 'tarballs'))
  await installProject(project, specs, {}, { '@types/node': versionOf('@types/node') })
})

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

// One compilation per setting (each takes seconds: every .d.ts is checked): consumer.ts must add
// no diagnostic, misuse.ts exactly the one expected.
it.each(settings)(
  'under $name, compiles the program using every package and /api entry, and refuses the misuse',
  async (setting) => {
    const dir = join(project, setting.name.replace(/\W+/g, '-'))
    mkdirSync(dir)
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: setting.type }))
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022'],
          types: ['node'],
          module: setting.module,
          moduleResolution: setting.moduleResolution,
          strict: true,
          skipLibCheck: false,
          noEmit: true,
        },
        files: ['consumer.ts', 'misuse.ts'],
      }),
    )
    for (const file of ['consumer.ts', 'misuse.ts'])
      copyFileSync(join(fixtures, file), join(dir, file))
    const result = await run(tsc, ['-p', '.'], { cwd: dir })
    const diagnostics = result.stdout.split('\n').filter((line) => /^\S.*error TS/.test(line))
    expect(diagnostics).toEqual([
      expect.stringMatching(new RegExp(`^misuse\\.ts\\(${misuseLine},\\d+\\): error TS2739: `)),
    ])
    expect(result.code).toBe(2)
  },
)
