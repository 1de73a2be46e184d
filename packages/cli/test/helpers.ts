import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Sandbox } from '@billingkey/sandbox'
import { afterEach } from 'vitest'

export const packageDir = resolve(import.meta.dirname, '..')
export const repoRoot = resolve(packageDir, '../..')
export const bin = join(packageDir, 'dist/bin.js')
export const fixtures = join(packageDir, 'test/fixtures')

/**
 * The environment of every child: this process's, without any provider variable (so a
 * developer's real credentials never reach a test) and without colour settings.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(IAMPORT_|BOOTPAY_|PORTONE_)/.test(name) &&
        name !== 'NO_COLOR' &&
        name !== 'FORCE_COLOR',
    ),
  )
  return { ...env, ...extra }
}

/** The variables that point the CLI at `sandbox` with its demo credentials. */
export function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  const { iamport, bootpay } = sandbox.credentials
  return {
    IAMPORT_API_KEY: iamport.apiKey,
    IAMPORT_API_SECRET: iamport.apiSecret,
    IAMPORT_BASE_URL: sandbox.iamport.baseUrl,
    BOOTPAY_APPLICATION_ID: bootpay.applicationId,
    BOOTPAY_PRIVATE_KEY: bootpay.privateKey,
    BOOTPAY_BASE_URL: sandbox.bootpay.baseUrl,
  }
}

export interface Result {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface Running {
  child: ChildProcess
  /** stdout and stderr so far */
  output(): { stdout: string; stderr: string }
  /** resolves once `stream` has printed something matching `pattern` */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void>
  done: Promise<Result>
}

/** The children `start` spawned that have not exited yet. */
const running = new Set<ChildProcess>()

// A test that fails (or times out) before it stops its child would leave a `billingkey sandbox`
// running for good: whatever a test started and left running is killed when the test ends.
afterEach(() => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Starts the built bin with `args`; the environment is `cleanEnv(env)`. A child still running
 * when its test ends is killed.
 */
export function start(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Running {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  child.on('exit', () => running.delete(child))
  const text = { stdout: '', stderr: '' }
  const waiters: { stream: 'stdout' | 'stderr'; pattern: RegExp; resolve: () => void }[] = []
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(text[waiter.stream])) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    child[stream]?.setEncoding('utf8')
    child[stream]?.on('data', (chunk: string) => {
      text[stream] += chunk
      check()
    })
  }
  const done = new Promise<Result>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, ...text }))
  })
  return {
    child,
    output: () => ({ ...text }),
    waitFor: (stream, pattern) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ stream, pattern, resolve })
        check()
        done.then(() =>
          reject(
            new Error(
              `exited before ${stream} matched ${pattern}:\n${text.stdout}\n${text.stderr}`,
            ),
          ),
        )
      }),
    done,
  }
}

/** Runs the built bin to the end. */
export function cli(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<Result> {
  return start(args, options).done
}

/** A scratch directory with `files` written into it. */
export function scratch(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'billingkey-cli-'))
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}
