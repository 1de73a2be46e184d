import { choice, parse } from '../args'
import type { Command } from '../command'
import { connect, notConfigured, refusedCredentials } from '../connect'
import { ENV_HELP } from '../env'
import { EXIT, InputError, UsageError } from '../errors'
import { type BillingKeyRef, describeRef, type Failure, type Key, PROVIDER_LIST } from '../refs'
import { errorJson, keyJson } from '../report'
import { colorEnabled, type Paint, painter, printable } from '../text'

const usage = `billingkey lookup iamport <customer_uid>... [--format table|json] [--verbose]
       billingkey lookup bootpay (--receipt <receipt_id> | --key <billing_key>)... [--format table|json] [--verbose]
       billingkey lookup portone <billing_key>... [--format table|json] [--verbose]`

export const lookup: Command = {
  name: 'lookup',
  summary: 'look keys up and show whether each can be charged',
  usage,
  help: `Usage: ${usage}

Looks billing keys up at the provider and prints each one: its status, the card or bank account
(masked as the provider masks it), the customer, the PG, and when it was issued, updated and
expires. iamport keys are looked up by customer_uid (several in one multi lookup); Bootpay keys by
the receipt id of their issue (--receipt) or by the billing key itself (--key), each repeatable;
PortOne V2 keys by the billing key itself (PortOne reports no expiry).

Options:
  -f, --format <format>    table (default) or json (an array of { ref, ok, key | error })
      --receipt <id>       bootpay: a receipt id; repeat for more
      --key <billing_key>  bootpay: a billing key; repeat for more
      --verbose            log every request and response to stderr, secrets redacted
  -h, --help               show this help

Exit codes:
  0  every key was found and can be charged (active and not past its expiry)
  1  some key was not found, is expired or deleted, or its lookup failed
  2  usage error, bad credentials settings, a provider that refused the credentials, or a
     failure of the run itself

${ENV_HELP}

Examples:
  billingkey lookup iamport customer_1234
  billingkey lookup iamport customer_1234 customer_5678 --format json
  billingkey lookup bootpay --receipt 6523a1b2e3f4a5b6c7d8e9f0
  billingkey lookup bootpay --key 66b0c0ffee0123456789abcd --key 66b0c0ffee0123456789abce
  billingkey lookup portone billing-key-0195f1f0-1111-7000-8000-000000000001
`,

  async run(args, io) {
    const { values, positionals } = parse(args, {
      format: { type: 'string', short: 'f' },
      receipt: { type: 'string', multiple: true },
      key: { type: 'string', multiple: true },
      verbose: { type: 'boolean' },
    })
    const format = choice(values.format, '--format', ['table', 'json'] as const) ?? 'table'
    const refs = refsOf(positionals, values.receipt ?? [], values.key ?? [])
    const provider = positionals[0] as BillingKeyRef['provider'] // refsOf checked it

    const connection = await connect(io, { verbose: values.verbose === true })
    let results: Awaited<ReturnType<typeof connection.keys.lookupMany>>
    try {
      if (!connection.keys.providers.includes(provider)) {
        throw new InputError(notConfigured(provider))
      }
      results = await connection.keys.lookupMany(refs, io.signal ? { signal: io.signal } : {})
    } finally {
      await connection.close()
    }

    const now = new Date()
    if (format === 'json') {
      const json = results.map((result) =>
        result.ok
          ? {
              ref: result.ref,
              ok: true,
              chargeable: chargeable(result.key, now),
              key: keyJson(result.key),
            }
          : { ref: result.ref, ok: false, chargeable: false, error: errorJson(result.error) },
      )
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
    } else {
      const paint = painter(colorEnabled(io.stdout, io.env))
      io.stdout.write(
        results
          .map((result) =>
            result.ok
              ? keyBlock(result.key, now, paint)
              : errorBlock(result.ref, result.error, paint),
          )
          .join('\n'),
      )
    }
    const refused = refusedCredentials(
      results.map((result) => (result.ok ? undefined : result.error)),
    )
    for (const line of refused) io.stderr.write(`billingkey lookup: ${line}\n`)
    if (refused.length > 0) return EXIT.usage
    return results.every((result) => result.ok && chargeable(result.key, now))
      ? EXIT.ok
      : EXIT.attention
  },
}

/** The refs of the command line: positionals for iamport and portone, --receipt/--key for bootpay. */
export function refsOf(
  positionals: readonly string[],
  receipts: readonly string[],
  keys: readonly string[],
): BillingKeyRef[] {
  const [provider, ...ids] = positionals
  if (provider === 'iamport') {
    if (receipts.length > 0 || keys.length > 0) {
      throw new UsageError('--receipt and --key are for bootpay; iamport keys are customer_uids')
    }
    if (ids.length === 0) throw new UsageError('give at least one customer_uid')
    return ids.map((customerUid) => ({ provider: 'iamport', customerUid }))
  }
  if (provider === 'portone') {
    if (receipts.length > 0 || keys.length > 0) {
      throw new UsageError(
        '--receipt and --key are for bootpay; portone keys are given as they are',
      )
    }
    if (ids.length === 0) throw new UsageError('give at least one billing_key')
    return ids.map((billingKey) => ({ provider: 'portone', billingKey }))
  }
  if (provider === 'bootpay') {
    if (ids.length > 0) {
      throw new UsageError(
        'bootpay keys are given with --receipt <receipt_id> or --key <billing_key>',
      )
    }
    if (receipts.length + keys.length === 0) {
      throw new UsageError('give --receipt <receipt_id> or --key <billing_key>')
    }
    return [
      ...receipts.map((receiptId) => ({ provider: 'bootpay' as const, receiptId })),
      ...keys.map((billingKey) => ({ provider: 'bootpay' as const, billingKey })),
    ]
  }
  throw new UsageError(
    provider === undefined
      ? `which provider? ${PROVIDER_LIST}`
      : `unknown provider "${printable(provider)}" (expected ${PROVIDER_LIST})`,
  )
}

/** Active and not past its expiry: a charge with this key can go through now. */
export function chargeable(key: Key, now: Date): boolean {
  return key.status === 'active' && !(key.expiresAt && key.expiresAt <= now)
}

const date = (value: Date | null) => (value ? value.toISOString() : '-')
const joined = (...parts: (string | null | undefined)[]) =>
  parts.filter((part) => part).join(' · ') || '-'

export function keyBlock(key: Key, now: Date, paint: Paint): string {
  const ok = chargeable(key, now)
  const status = ok
    ? paint('green', `${key.status}, chargeable`)
    : paint('red', `${key.status}, not chargeable`)
  const lines: [string, string][] = [['method', key.method]]
  if (key.card) {
    const { issuer, kind, maskedNumber } = key.card
    lines.push(['card', joined(issuer, kind, maskedNumber)])
  }
  if (key.bank) {
    const { name, code, maskedAccount, holder } = key.bank
    lines.push([
      'bank',
      joined(name && code ? `${name} (${code})` : (name ?? code), maskedAccount, holder),
    ])
  }
  if (key.customer) {
    const { name, phone, email } = key.customer
    lines.push(['customer', joined(name, phone, email)])
  }
  lines.push(
    ['pg', joined(key.pg.provider, key.pg.merchantId, key.sandbox ? 'sandbox' : null)],
    ['issued', date(key.issuedAt)],
    ['updated', date(key.updatedAt)],
    ['expires', date(key.expiresAt)],
  )
  return (
    `${paint('bold', printable(describeRef(key.ref)))}: ${status}\n` +
    lines.map(([label, value]) => `  ${label.padEnd(10)}${printable(value)}\n`).join('')
  )
}

export function errorBlock(ref: BillingKeyRef, error: Failure, paint: Paint): string {
  const what = error.name === 'NotFoundError' ? 'not found' : error.name
  return `${paint('bold', printable(describeRef(ref)))}: ${paint('red', what)}\n  ${printable(error.message)}\n`
}
