import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

export const repoRoot = resolve(import.meta.dirname, '../../..')

export interface PublicPackage {
  name: string
  dir: string
  manifest: Record<string, unknown> & {
    name: string
    version: string
    bin?: Record<string, string>
  }
}

/** Every package under packages/ that is published (not `private`). */
export const publicPackages: PublicPackage[] = readdirSync(join(repoRoot, 'packages'))
  .map((entry) => join(repoRoot, 'packages', entry))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true)
  .map(({ dir, manifest }) => ({ name: manifest.name, dir, manifest }))

const execFileAsync = promisify(execFile)

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command without a shell and resolves with its exit code and output (never rejects on exit != 0). */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string }
    if (typeof e.code !== 'number') throw error
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}
