import { execFileSync } from 'node:child_process'
import { type Section, table } from '../report'

/** The last commit before the provider kit (issue 15): each provider wired its own transport. */
export const BEFORE_KIT = 'e5e4e21'
const PROVIDERS = ['iamport', 'bootpay', 'portone'] as const
/**
 * A provider package's payment files: `payments.ts` (the payment calls, `toPayment` and the facade
 * adapter's payment part) and iamport's `webhook.ts` (a payment notification verified by looking
 * its payment up). None existed before the kit.
 */
export const PAYMENT_FILES = ['payments.ts', 'webhook.ts'] as const

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

/** A provider package's own code lines at `ref`: its billing keys and wiring, and its payments. */
export interface ProviderLines {
  /**
   * Everything but the payment files: the factory, the billing-key calls, the facade adapter's
   * lookups, the model, errors, input checks, the `/api` entry.
   */
  keys: number
  /**
   * The payment files (`PAYMENT_FILES`): charges, payment lookups, cancels, schedules, the facade
   * adapter's `charge`/`findPayment`/`scheduledChargeAfter`, webhooks (none before issue 17).
   */
  payments: number
}

/** Code lines of a provider package's own source (src/, without the generated types) at `ref`. */
export function providerLines(provider: string, ref: string): ProviderLines | undefined {
  const dir = `packages/${provider}/src/`
  let listing: string
  try {
    listing = git('ls-tree', '-r', '--full-tree', '--name-only', ref, '--', dir)
  } catch {
    return undefined // a shallow clone without that commit
  }
  const files = listing
    .split('\n')
    .filter((file) => file.endsWith('.ts') && !file.startsWith(`${dir}generated/`))
  if (files.length === 0) return undefined
  const lines = { keys: 0, payments: 0 }
  const payments = new Set<string>(PAYMENT_FILES.map((name) => `${dir}${name}`))
  for (const file of files) {
    lines[payments.has(file) ? 'payments' : 'keys'] += codeLines(git('show', `${ref}:${file}`))
  }
  return lines
}

/** PortOne V2 against iamport before the kit, like for like: what a provider writes for its keys. */
export function portoneVerdict(
  iamportBefore: ProviderLines | undefined,
  portone: ProviderLines | undefined,
): string {
  if (!iamportBefore || !portone) return 'Not measured: this clone lacks the commit before the kit.'
  const ratio = portone.keys / iamportBefore.keys
  return (
    `PortOne V2’s billing keys and wiring (the factory, lookups, the paged list, delete, the facade adapter’s lookups, ` +
    `the model, errors, the /api entry: what iamport had before the kit) take ${portone.keys} lines against ` +
    `iamport’s ${iamportBefore.keys} before the kit: ${Math.round((1 - ratio) * 100)} % fewer, ` +
    `${ratio <= 0.85 ? '**met**' : '**not met**'} (goal: clearly fewer, here at most 0.85×). ` +
    `With its payments (charge with an idempotency key, payment lookup, cancel, schedules, the facade adapter’s charge), which iamport ` +
    `did not have then, it is ${portone.keys + portone.payments} lines in all.`
  )
}

export async function code(): Promise<Section> {
  const root = git('rev-parse', '--show-toplevel').trim()
  process.chdir(root)
  const before = new Map(PROVIDERS.map((p) => [p, providerLines(p, BEFORE_KIT)]))
  const now = new Map(PROVIDERS.map((p) => [p, providerLines(p, 'HEAD')]))
  const total = (lines: ProviderLines | undefined) =>
    lines ? lines.keys + lines.payments : '(did not exist)'
  const rows = PROVIDERS.map((provider) => {
    const then = before.get(provider)
    const lines = now.get(provider)
    return [
      `@billingkey/${provider}`,
      total(then),
      lines?.keys ?? '—',
      lines?.payments ?? '—',
      lines ? total(lines) : '—',
    ]
  })
  return {
    title: 'Provider-specific code',
    body: [
      'Lines of code (not blank, not only a comment) in each provider package’s `src/`, without the types generated from its spec: what a provider must write itself. Before the provider kit (commit `' +
        BEFORE_KIT +
        '`) each provider wired its own token cache, transport, typed caller and classification, and had billing-key calls only; with the kit a provider declares its name, base URL, authentication, idempotent POSTs and how to classify and map an answer. Counted at the committed HEAD, in two parts: payments, `payments.ts` and `webhook.ts` (charges, payment lookups, cancels and schedules, the facade adapter’s `charge`, `findPayment` and `scheduledChargeAfter`, iamport’s payment webhook: all came after the kit), and billing keys and wiring, everything else (the factory and the billing-key calls, the facade adapter’s lookups, the model, errors, input checks, the `/api` entry).',
      table(
        [
          'package',
          'before the kit',
          'now: billing keys and wiring (the rest)',
          'now: payments (payments.ts, webhook.ts)',
          'now: total',
        ],
        rows,
      ),
      portoneVerdict(before.get('iamport'), now.get('portone')),
    ].join('\n\n'),
  }
}
