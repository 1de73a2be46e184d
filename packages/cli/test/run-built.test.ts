import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { cleanEnv, packageDir, scratch } from './helpers'

const execFileAsync = promisify(execFile)

// `pnpm billingkey <args>` (the root script) is how a contributor runs the CLI from a checkout.
describe('scripts/run-built.js', () => {
  it('builds, then runs the bin in the directory pnpm started in, with stdout the CLI’s alone', async () => {
    const dir = scratch({ 'keys.csv': 'provider,customer_uid\niamport,user239393_card2\n' })
    const { stdout } = await execFileAsync(
      process.execPath,
      [join(packageDir, 'scripts/run-built.js'), 'audit', 'keys.csv', '--format', 'csv'],
      { cwd: packageDir, env: cleanEnv({ INIT_CWD: dir }) },
    )
    expect(stdout).toBe(
      'line,provider,customer_uid,receipt_id,billing_key,status,message\r\n2,iamport,user239393_card2,,,active,\r\n',
    )
  })
})
