import { type ChildProcess, spawn } from 'node:child_process'
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import {
  DEFAULT_SAMPLE_COUNTS,
  DEMO_CREDENTIALS,
  type Sandbox,
  sampleRefs,
  startSandbox,
} from '@billingkey/sandbox'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { installProject, pack, runtimePackages } from './packed'
import { repoRoot, run } from './workspace'

/**
 * The promise of every README, "runs wherever fetch does", as a test: one program
 * (fixtures/ecosystem/program.mjs) that looks keys up on the three providers, runs iamport's multi
 * lookup, the /api entries, the facade's lookupMany and audit against the sandbox, installed from
 * the packed tarballs with npm into a fresh project, and run on Node (ESM and CommonJS), Bun, Deno
 * and workerd. Every runtime must print what the same program printed in this process.
 */
const fixtures = join(import.meta.dirname, 'fixtures/ecosystem')
const bin = (name: string) => join(repoRoot, 'tools/checks/node_modules/.bin', name)
// The workerd binary itself: its bin script is a Node shim that passes on no extra descriptors.
const workerd = (createRequire(import.meta.url)('workerd') as { default: string }).default

let scratch: string
let project: string
let sandbox: Sandbox
let input: {
  url: string
  credentials: { iamport: object; bootpay: object; portone: object }
  refs: unknown[]
  active: { iamport: string; bootpay: string; portone: string }
  unknownIamport: string
}
let expected: Record<string, unknown>

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'billingkey-ecosystem-'))
  project = join(scratch, 'project')
  const specs = await pack(runtimePackages, join(scratch, 'tarballs'))
  await installProject(project, specs, { type: 'module' })
  for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(project, file))
  // The same program as CommonJS: require() calls, so Node loads the packages' .cjs builds.
  await build({
    entryPoints: [join(project, 'program.mjs')],
    outfile: join(project, 'program.cjs'),
    format: 'cjs',
    platform: 'node',
    logLevel: 'error',
  })
  // What wrangler would do for a Worker: one bundle, resolved with the workerd conditions.
  await build({
    entryPoints: [join(project, 'worker.mjs')],
    outfile: join(project, 'worker.js'),
    absWorkingDir: project,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker'],
    logLevel: 'error',
  })

  sandbox = await startSandbox()
  const samples = sampleRefs({
    counts: { ...DEFAULT_SAMPLE_COUNTS, portone: { active: 6, deleted: 2, unknown: 2 } },
  })
  const find = (category: string, provider: string, id: string) => {
    const sample = samples.find(
      ({ category: c, ref }) => c === category && ref.provider === provider && id in ref,
    )
    if (!sample) throw new Error(`no ${category} ${provider} ref by ${id} in the samples`)
    return (sample.ref as Record<string, string>)[id] as string
  }
  input = {
    url: sandbox.url,
    credentials: {
      iamport: DEMO_CREDENTIALS.iamport,
      bootpay: DEMO_CREDENTIALS.bootpay,
      portone: DEMO_CREDENTIALS.portone,
    },
    refs: samples.map((sample) => sample.ref),
    active: {
      iamport: find('active', 'iamport', 'customerUid'),
      bootpay: find('active', 'bootpay', 'billingKey'),
      portone: find('active', 'portone', 'billingKey'),
    },
    unknownIamport: find('unknown', 'iamport', 'customerUid'),
  }
  // The reference: the program on the workspace's packages, in this process.
  const program = await import(pathToFileURL(join(fixtures, 'program.mjs')).href)
  expected = await program.main(input)
})

afterAll(async () => {
  await sandbox?.close()
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

const summaryOf = (result: { code: number; stdout: string; stderr: string }) => {
  expect(result.code, result.stderr).toBe(0)
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string)
}

describe('the program, run in this process (the reference)', () => {
  it('looks keys up on the three providers, with the multi lookup, /api, lookupMany and audit', () => {
    const { counts } = expected.audit as { counts: Record<string, number> }
    expect(expected).toMatchObject({
      iamport: input.active.iamport,
      bootpay: input.active.bootpay,
      portone: [input.active.portone, 'ISSUED'],
      unknown: { name: 'NotFoundError', billingKeyError: true, notFound: true },
      multi: { found: [input.active.iamport], missing: [input.unknownIamport] },
      api: {
        iamport: [200, input.active.iamport],
        bootpay: [200, input.active.bootpay],
        portone: [200, input.active.portone],
      },
    })
    expect(expected.many).toHaveLength(input.refs.length)
    expect(Object.values(counts).reduce((a, b) => a + b)).toBe(input.refs.length)
    for (const status of ['active', 'expiring', 'expired', 'deleted', 'notFound']) {
      expect(counts[status], status).toBeGreaterThan(0)
    }
  })
})

describe('the packed tarballs, installed with npm, on every runtime', () => {
  it('Node, ESM', async () => {
    const result = await run('node', ['run.mjs', JSON.stringify(input)], { cwd: project })
    expect(summaryOf(result)).toEqual(expected)
  })

  it('Node, CommonJS (the .cjs builds)', async () => {
    const result = await run('node', ['run.cjs', JSON.stringify(input)], { cwd: project })
    const { summary, builds } = summaryOf(result)
    expect(summary).toEqual(expected)
    expect(builds).toEqual(
      expect.arrayContaining(
        ['core', 'iamport', 'bootpay', 'portone', 'client'].map(
          (name) => `@billingkey/${name}/dist/index.cjs`,
        ),
      ),
    )
    expect(builds.filter((file: string) => !file.endsWith('.cjs'))).toEqual([])
  })

  it('Node, both builds in one process: either build recognises the errors of the other', async () => {
    const result = await run('node', ['dual.mjs', JSON.stringify(input)], { cwd: project })
    const seen = {
      name: 'NotFoundError',
      sameClass: false,
      notFound: true,
      api: true,
      billingKeyError: true,
      guard: true,
      rateLimit: false,
      connection: false,
    }
    expect(summaryOf(result)).toEqual({ cjsSeenByEsm: seen, esmSeenByCjs: seen })
  })

  it('Bun', async () => {
    const result = await run(bin('bun'), ['run.mjs', JSON.stringify(input)], { cwd: project })
    expect(summaryOf(result)).toEqual(expected)
  })

  const deno = (permissions: string[]) =>
    run(bin('deno'), ['run', '--no-prompt', ...permissions, 'run.mjs', JSON.stringify(input)], {
      cwd: project,
      env: { DENO_DIR: join(scratch, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    })

  it('Deno, with --allow-net for the sandbox', async () => {
    const result = await deno([`--allow-net=127.0.0.1:${sandbox.port}`])
    expect(summaryOf(result)).toEqual(expected)
  })

  it('Deno, without --allow-net: the refusal is final and says what is missing', async () => {
    const { denied } = summaryOf(await deno([]))
    expect(denied).toMatchObject({
      name: 'ConnectionError',
      connection: true,
      billingKeyError: true,
      // one attempt: a permission is not granted by retrying
      fetches: 1,
    })
    expect(denied.message).toContain(`127.0.0.1:${sandbox.port}`)
    expect(denied.message).toContain('--allow-net')
  })

  it('workerd, its outbound network allowing loopback', async () => {
    writeFileSync(join(project, 'config.capnp'), capnp)
    const server = spawn(workerd, ['serve', 'config.capnp', '--control-fd=3'], {
      cwd: project,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    })
    try {
      const port = await listeningPort(server)
      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        body: JSON.stringify(input),
      })
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual(expected)
    } finally {
      server.kill()
    }
  })
})

// The Worker's fetch() goes out through "loopback": workerd's default network allows only
// public addresses, and the sandbox listens on 127.0.0.1.
const capnp = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
);
`

/** The port workerd reports on its control descriptor once the socket listens. */
function listeningPort(server: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stderr = ''
    server.stderr?.on('data', (chunk) => {
      stderr += chunk
    })
    server.on('exit', (code) => reject(new Error(`workerd exited with ${code}: ${stderr}`)))
    ;(server.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        const event = JSON.parse(line) as { event: string; port: number }
        if (event.event === 'listen') resolve(event.port)
      }
    })
  })
}
