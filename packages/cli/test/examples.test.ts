import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { cleanEnv, packageDir, repoRoot, scratch } from './helpers'

const run = promisify(execFile)

describe('examples/', () => {
  it('keys.csv and keys.jsonl are what scripts/generate-examples.js makes from the sandbox today', async () => {
    const dir = scratch()
    await run(process.execPath, [join(packageDir, 'scripts/generate-examples.js'), dir], {
      cwd: packageDir,
    })
    for (const name of ['keys.csv', 'keys.jsonl']) {
      const stale = `examples/${name} is out of date: pnpm --filter @billingkey/cli run examples`
      expect(readFileSync(join(repoRoot, 'examples', name), 'utf8'), stale).toBe(
        readFileSync(join(dir, name), 'utf8'),
      )
    }
  })

  it('audit:example (the end of `pnpm start`) prints the report and succeeds although keys need action', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(packageDir, 'scripts/audit-example.js')],
      {
        cwd: packageDir,
        env: cleanEnv(),
      },
    )
    expect(stderr).toMatch(/using the embedded sandbox/)
    expect(stdout).toMatch(/^\d+ keys need action:$/m)
  })

  it('audit:example still fails on exit code 2', async () => {
    const failure = run(
      process.execPath,
      [join(packageDir, 'scripts/audit-example.js'), '--format', 'xml'],
      {
        cwd: packageDir,
        env: cleanEnv(),
      },
    )
    await expect(failure).rejects.toMatchObject({ code: 2 })
  })
})
