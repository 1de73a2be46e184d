// `audit --rate` against a sandbox that enforces a provider's rate limit, as a user runs it: the
// client keeps to the rate, a 429 pauses the provider and the progress says so, no key is lost.
import { sampleRefs, startSandbox } from '@billingkey/sandbox'
import { describe, expect, it } from 'vitest'
import { cli, sandboxEnv, scratch } from './helpers'

/** Three active Bootpay keys of the sandbox's data set, as JSONL rows. */
const rows = sampleRefs({ counts: { bootpay: { active: 3 } } }).map(({ ref }) =>
  JSON.stringify(ref),
)

describe('audit --rate', () => {
  it('a 429 pauses the provider, the progress says until when, and every key still settles', async () => {
    // Three requests back to back, then one a second: the token call and two lookups pass, the
    // third lookup draws a 429 and passes after the pause.
    const sandbox = await startSandbox({ limits: { bootpay: { requestsPerSecond: 1, burst: 3 } } })
    try {
      const dir = scratch({ 'keys.jsonl': `${rows.join('\n')}\n` })
      const { code, stdout, stderr } = await cli(
        ['audit', 'keys.jsonl', '--format', 'jsonl', '--rate', '50', '--concurrency', '1'],
        { cwd: dir, env: sandboxEnv(sandbox) },
      )
      expect(stderr).toMatch(
        /^audited 2\/3: bootpay answered 429 Too Many Requests: its requests wait until \d\d:\d\d:\d\d UTC \(\d\.\ds\); limit 50 req\/s$/m,
      )
      expect(stderr).toMatch(
        /^audited 3 keys in \d\.\ds \(\d+ keys\/s\); bootpay paused once by a 429$/m,
      )
      const statuses = stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).status)
      expect(statuses).toEqual(['active', 'active', 'active'])
      expect(code).toBe(0)
      expect(sandbox.stats().rateLimited).toEqual({ bootpay: 1 })
    } finally {
      await sandbox.close()
    }
  })

  it.each(['0', '1.5', 'many'])('--rate %s is a usage error', async (value) => {
    const { code, stderr } = await cli(['audit', '--example', '--rate', value])
    expect(code).toBe(2)
    expect(stderr).toContain(`--rate must be a whole number from 1 to 100000, got "${value}"`)
  })
})
