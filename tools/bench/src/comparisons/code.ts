import { execFileSync } from 'node:child_process'
import { type Section, table } from '../report'

/** The last commit before the provider kit (issue 15): each provider wired its own transport. */
export const BEFORE_KIT = 'e5e4e21'
const PROVIDERS = ['iamport', 'bootpay', 'portone'] as const

/** Lines that hold code: not blank, not only a comment. */
export function codeLines(text: string): number {
  let count = 0
  let inBlock = false
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (inBlock) {
      if (line.includes('*/')) inBlock = false
      continue
    }
    if (line === '' || line.startsWith('//')) continue
    if (line.startsWith('/*')) {
      inBlock = !line.includes('*/')
      continue
    }
    count++
  }
  return count
}

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' })

/** Code lines of a provider package's own source (src/, without the generated types) at `ref`. */
export function providerLines(provider: string, ref: string): number | undefined {
  const dir = `packages/${provider}/src/`
  let listing: string
  try {
    listing = git('ls-tree', '-r', '--name-only', ref, '--', dir)
  } catch {
    return undefined // a shallow clone without that commit
  }
  const files = listing
    .split('\n')
    .filter((file) => file.endsWith('.ts') && !file.startsWith(`${dir}generated/`))
  if (files.length === 0) return undefined
  return files.reduce((sum, file) => sum + codeLines(git('show', `${ref}:${file}`)), 0)
}

export async function code(): Promise<Section> {
  const root = git('rev-parse', '--show-toplevel').trim()
  process.chdir(root)
  const rows = PROVIDERS.map((provider) => {
    const before = providerLines(provider, BEFORE_KIT)
    const now = providerLines(provider, 'HEAD')
    return [`@billingkey/${provider}`, before ?? '(did not exist)', now ?? '—']
  })
  return {
    title: 'Provider-specific code',
    body: [
      'Lines of code (not blank, not only a comment) in each provider package’s `src/`, without the types generated from its spec: what a provider must write itself. Before the provider kit (commit `' +
        BEFORE_KIT +
        '`) each provider wired its own token cache, transport, typed caller and classification; with the kit a provider declares its name, base URL, authentication, idempotent POSTs and how to classify and map an answer. Counted at the committed HEAD; the packages also gained charges, payments, cancels and schedules since.',
      table(['package', 'before the kit', 'now'], rows),
    ].join('\n\n'),
  }
}
