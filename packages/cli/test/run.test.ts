import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Sandbox, startSandbox } from '@billingkey/sandbox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Io, run } from '../src/index'
import { repoRoot, sandboxEnv, scratch } from './helpers'

// run(argv, io) as a program embedding the CLI uses it: its own streams, environment and signal.

const ESC = '\u001b'

function streams(tty: { stdout?: boolean; stderr?: boolean } = {}) {
  const text = { stdout: '', stderr: '' }
  const io: Partial<Io> = {
    stdout: { isTTY: tty.stdout ?? false, write: (chunk: string) => (text.stdout += chunk) },
    stderr: {
      isTTY: tty.stderr ?? false,
      columns: 100,
      write: (chunk: string) => (text.stderr += chunk),
    },
    cwd: repoRoot,
  }
  return { io, text }
}

let sandbox: Sandbox
let env: Record<string, string>
beforeAll(async () => {
  sandbox = await startSandbox()
  env = sandboxEnv(sandbox)
})
afterAll(() => sandbox?.close())

describe('run(argv, io)', () => {
  it('writes to the given streams and resolves to the exit code', async () => {
    const { io, text } = streams()
    expect(await run(['--version'], io)).toBe(0)
    expect(text.stdout).toMatch(/^\d+\.\d+\.\d+/)
    expect(await run(['help', 'charge'], io)).toBe(2)
    expect(text.stderr).toContain('billingkey: unknown command "charge"')
  })

  it('colours the table only on a terminal, and not with NO_COLOR', async () => {
    const file = join(repoRoot, 'examples/keys.csv')
    const coloured = streams({ stdout: true })
    expect(await run(['audit', file], { ...coloured.io, env })).toBe(1)
    expect(coloured.text.stdout).toContain('\u001b[32mactive\u001b[39m')
    const plain = streams({ stdout: true })
    expect(await run(['audit', file], { ...plain.io, env: { ...env, NO_COLOR: '1' } })).toBe(1)
    expect(plain.text.stdout).not.toContain('\u001b[')
    expect(plain.text.stdout.replace(/as of \S+/, '')).toBe(
      coloured.text.stdout.replace(new RegExp(`${ESC}\\[\\d+m`, 'g'), '').replace(/as of \S+/, ''),
    )
  })

  it('draws a live progress line when stderr is a terminal, and erases it at the end', async () => {
    const { io, text } = streams({ stderr: true })
    const file = join(repoRoot, 'examples/keys.jsonl')
    const total = readFileSync(file, 'utf8').trim().split('\n').length
    expect(await run(['audit', file], { ...io, env })).toBe(1)
    expect(text.stderr).toMatch(
      new RegExp(`\r${ESC}\\[2K\\[[█░]{24}\\] {2}\\d+/${total} {2}\\d+% {2}[\\d.]+ keys/s {2}ETA `),
    )
    expect(text.stderr).not.toMatch(new RegExp(`audited \\d+/${total} \\(`))
    expect(text.stderr).toContain(`\r${ESC}[2Kaudited ${total} keys in `)
  })

  it('stops when the signal aborts: exit 130', async () => {
    const { io, text } = streams()
    const controller = new AbortController()
    controller.abort()
    const dir = scratch({ 'k.csv': 'provider,customer_uid\niamport,c1\n' })
    expect(await run(['audit', 'k.csv'], { ...io, cwd: dir, env, signal: controller.signal })).toBe(
      130,
    )
    expect(text.stderr).toBe('billingkey audit: interrupted\n')
  })

  it('--expiring-within widens what counts as expiring', async () => {
    const { io, text } = streams()
    const file = join(repoRoot, 'examples/keys.csv')
    expect(
      await run(['audit', file, '--format', 'json', '--expiring-within', '3650'], { ...io, env }),
    ).toBe(1)
    const report = JSON.parse(text.stdout)
    expect(report.expiringWithinDays).toBe(3650)
    expect(report.counts.expiring).toBeGreaterThan(0)
    expect(report.chargeable).toBe(report.counts.active + report.counts.expiring)
  })
})
