import { describe, expect, it } from 'vitest'
import { cli, start } from './helpers'

describe('sandbox', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'serves the three providers in the foreground until %s, then stops cleanly with exit 0',
    async (signal) => {
      const sandbox = start(['sandbox', '--port', '0', '--seed', '7'])
      await sandbox.waitFor('stdout', /Press Ctrl-C to stop\.\n/)
      const { stdout } = sandbox.output()
      expect(stdout).toMatch(
        /^billingkey sandbox listening on http:\/\/127\.0\.0\.1:\d+ \(seed 7\)$/m,
      )
      const env = Object.fromEntries(
        [...stdout.matchAll(/export (.+)$/gm)].flatMap((match) =>
          (match[1] as string).split(' ').map((pair) => pair.split('=') as [string, string]),
        ),
      )
      expect(Object.keys(env).sort()).toEqual([
        'BOOTPAY_APPLICATION_ID',
        'BOOTPAY_BASE_URL',
        'BOOTPAY_PRIVATE_KEY',
        'IAMPORT_API_KEY',
        'IAMPORT_API_SECRET',
        'IAMPORT_BASE_URL',
        'PORTONE_API_SECRET',
        'PORTONE_BASE_URL',
        'PORTONE_STORE_ID',
      ])
      expect(stdout).toMatch(/^ {2}portone {2}http:\/\/127\.0\.0\.1:\d+\/portone$/m)

      // The printed environment is enough to use it from another process.
      const lookup = await cli(['lookup', 'iamport', 'nobody_here'], { env })
      expect(lookup.stderr).toBe('')
      expect(lookup.code).toBe(1)
      expect(lookup.stdout).toContain('iamport customer_uid=nobody_here: not found')
      const portone = await cli(['lookup', 'portone', 'billing-key-nobody'], { env })
      expect(portone.stderr).toBe('')
      expect(portone.code).toBe(1)
      expect(portone.stdout).toContain('portone billing_key=billing-key-nobody: not found')

      sandbox.child.kill(signal)
      const result = await sandbox.done
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('billingkey sandbox: stopped\n')
    },
  )

  it('--verbose logs each request on stderr, without secrets', async () => {
    const sandbox = start(['sandbox', '--verbose'])
    await sandbox.waitFor('stdout', /Press Ctrl-C to stop\.\n/)
    const baseUrl = /IAMPORT_BASE_URL=(\S+)/.exec(sandbox.output().stdout)?.[1] as string
    const env = {
      IAMPORT_API_KEY: 'sandbox_imp_key',
      IAMPORT_API_SECRET: 'sandbox_imp_secret',
      IAMPORT_BASE_URL: baseUrl,
    }
    expect((await cli(['lookup', 'iamport', 'nobody_here'], { env })).code).toBe(1)
    await sandbox.waitFor('stderr', /GET \/iamport\/subscribe\/customers/)
    sandbox.child.kill('SIGTERM')
    const { code, stderr } = await sandbox.done
    expect(code).toBe(0)
    expect(stderr).toMatch(/^POST \/iamport\/users\/getToken → 200/m)
    expect(stderr).not.toContain('sandbox_imp_secret')
  })

  it('--rate and --latency emulate a provider under load: 429 with Retry-After over the budget', async () => {
    const sandbox = start(['sandbox', '--rate', '1', '--latency', '100', '--verbose'])
    await sandbox.waitFor('stdout', /Press Ctrl-C to stop\.\n/)
    const { stdout } = sandbox.output()
    expect(stdout).toContain(
      'Emulating at most 1 requests a second per provider (429 beyond) and a latency around 100 ms.',
    )
    const baseUrl = /IAMPORT_BASE_URL=(\S+)/.exec(stdout)?.[1] as string
    const token = () =>
      fetch(`${baseUrl}/users/getToken`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ imp_key: 'sandbox_imp_key', imp_secret: 'sandbox_imp_secret' }),
      })
    const first = await token()
    const second = await token()
    expect([first.status, second.status]).toEqual([200, 429])
    expect(second.headers.get('retry-after')).toBe('1')
    expect(await second.json()).toMatchObject({ code: -1, response: null })
    sandbox.child.kill('SIGTERM')
    const { code, stderr } = await sandbox.done
    expect(code).toBe(0)
    expect(stderr).toMatch(/^POST \/iamport\/users\/getToken → 429 rate limit/m)
  })

  it.each([
    ['--rate', '0', '--rate must be a whole number from 1 to 1000000, got "0"'],
    ['--latency', 'fast', '--latency must be a whole number from 0 to 60000, got "fast"'],
  ])('%s %s is a usage error', async (flag, value, message) => {
    const { code, stderr } = await cli(['sandbox', flag, value])
    expect(code).toBe(2)
    expect(stderr).toContain(message)
  })

  it('a port in use is exit 2', async () => {
    const first = start(['sandbox'])
    await first.waitFor('stdout', /Press Ctrl-C/)
    const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(
      first.output().stdout,
    )?.[1] as string
    try {
      const second = await cli(['sandbox', '--port', port])
      expect(second.code).toBe(2)
      expect(second.stderr).toBe(
        `billingkey sandbox: port ${port} is in use: pick another with --port, or 0 for any free one\n`,
      )
    } finally {
      first.child.kill('SIGTERM')
      await first.done
    }
  })
})
