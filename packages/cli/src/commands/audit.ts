import { access, constants, stat, writeFile } from 'node:fs/promises'
import { dirname, extname, resolve } from 'node:path'
import { choice, integer, parse } from '../args'
import type { Command } from '../command'
import { connect, notConfigured, refusedCredentials } from '../connect'
import { ENV_HELP } from '../env'
import { EXIT, InputError, UsageError } from '../errors'
import { EXAMPLE_FILE } from '../example'
import { describeFsError, readInput } from '../input'
import { progressReporter } from '../progress'
import { formatReport, REPORT_FORMATS, type ReportFormat } from '../report'
import { colorEnabled, painter, plural } from '../text'

const usage =
  'billingkey audit (<file.csv|file.jsonl> | --example) [--format table|json|csv] [--out <file>] ' +
  '[--concurrency <n>] [--expiring-within <days>] [--verbose]'

export const audit: Command = {
  name: 'audit',
  summary: 'look up every key in a CSV or JSONL file; report the ones that need action',
  usage,
  help: `Usage: ${usage}

Looks up every billing key listed in the file and sorts it into active, expiring (still
chargeable, but it runs out within --expiring-within days), expired, deleted, not found, or error
(the lookup failed). Prints a summary table and the keys that need action. A progress bar with the
rate and the time left runs on stderr on a terminal; elsewhere a plain line marks each tenth.

Options:
  -f, --format <format>       table (default), json (the whole report) or csv (a row per input
                              row with its status); without --format, an --out file ending in
                              .json or .csv picks that format
  -o, --out <file>            write the report to <file> instead of stdout
  -c, --concurrency <n>       requests in flight at once, 1-64 (default 8; an iamport multi
                              lookup of up to 100 keys is one request)
      --expiring-within <days>
                              an active key that expires within this many days needs action
                              (default 30)
      --verbose               log every request and response to stderr, secrets redacted
      --example               audit the example file shipped with billingkey (362 demo keys)
                              against the embedded sandbox, whatever the environment says
  -h, --help                  show this help

Input: a CSV file with a header row, or a JSONL file with one JSON object per line. Each row has
  a provider (iamport or bootpay) and one id:
    iamport  customer_uid
    bootpay  receipt_id (the receipt of the issue) or billing_key
  provider,customer_uid,receipt_id,billing_key
  iamport,customer_1234,,
  bootpay,,6523a1b2e3f4a5b6c7d8e9f0,
  bootpay,,,66b0c0ffee0123456789abcd
  {"provider":"iamport","customer_uid":"customer_1234"}
  {"provider":"bootpay","billing_key":"66b0c0ffee0123456789abcd"}
  Columns and keys may also be spelled customerUid, receiptId, billingKey; other columns are
  ignored. CSV follows RFC 4180 (quotes, CRLF or LF, a UTF-8 byte order mark); blank lines are
  skipped. A row given twice is looked up once and reported on both lines.

Malformed rows: a row that cannot be read (an unknown provider, a missing or extra id, a wrong
  number of fields, bad JSON) is reported on stderr as "line N: what is wrong", listed in the
  report, and left out of the audit; the other rows are still audited, and the exit code is 2.

Exit codes:
  0  every key can be charged and nothing needs action
  1  some keys need action (expiring, expired, deleted, not found, or the lookup failed)
  2  usage error, an unreadable file, a malformed row, a provider that refused the
     credentials (the report is still printed for these two), bad credentials settings, or a
     failure of the run itself
  130  interrupted (Ctrl-C)

${ENV_HELP}
  If only one provider is configured, rows of the other are reported as errors.

Examples:
  billingkey audit --example
  billingkey audit keys.csv
  billingkey audit keys.csv --format csv --out audit.csv
  billingkey audit keys.jsonl --format json | jq '.needsAction[] | select(.reason == "expired")'
  IAMPORT_API_KEY=… IAMPORT_API_SECRET=… billingkey audit keys.csv --concurrency 4
`,

  async run(args, io) {
    const { values, positionals } = parse(args, {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      concurrency: { type: 'string', short: 'c' },
      'expiring-within': { type: 'string' },
      verbose: { type: 'boolean' },
      example: { type: 'boolean' },
    })
    const example = values.example === true
    if (example && positionals.length > 0) {
      throw new UsageError('give a file or --example, not both')
    }
    const [file = example ? EXAMPLE_FILE : undefined, ...extra] = positionals
    if (file === undefined) {
      throw new UsageError(
        'which file? give a .csv or .jsonl file to audit (or --example to try the demo file)',
      )
    }
    if (extra.length > 0) throw new UsageError(`one file at a time, got ${positionals.length}`)
    const format =
      choice(values.format, '--format', REPORT_FORMATS) ?? formatOfPath(values.out) ?? 'table'
    const concurrency = integer(values.concurrency, '--concurrency', 1, 64)
    const expiringWithinDays = integer(values['expiring-within'], '--expiring-within', 0, 3650)
    if (values.out !== undefined) await checkOut(values.out, file, io.cwd)

    const input = await readInput(file, io.cwd).catch((error: unknown) => {
      // The README's first command names the repository's copy; outside it, point at the shipped one.
      if (
        error instanceof InputError &&
        !example &&
        /^(\.\/)?examples\/keys\.(csv|jsonl)$/.test(file)
      ) {
        error.message +=
          '; to audit the example shipped with billingkey: billingkey audit --example'
      }
      throw error
    })
    for (const issue of input.issues) {
      io.stderr.write(`billingkey audit: ${file} line ${issue.line}: ${issue.message}\n`)
    }
    if (input.rows.length === 0) {
      throw new InputError(
        `${file}: none of its ${plural(input.issues.length, 'row')} could be read`,
      )
    }

    // The example's keys are the sandbox's demo data: real credentials would only find nothing.
    const connection = await connect(io, { verbose: values.verbose === true, sandbox: example })
    const progress = progressReporter(io.stderr, {
      live: io.stderr.isTTY === true && values.verbose !== true,
      noun: 'audited',
    })
    let report: Awaited<ReturnType<typeof connection.keys.audit>>
    try {
      report = await connection.keys.audit(
        input.rows.map((row) => row.ref),
        {
          ...(concurrency !== undefined ? { concurrency } : {}),
          ...(expiringWithinDays !== undefined ? { expiringWithinDays } : {}),
          ...(io.signal ? { signal: io.signal } : {}),
          onProgress: progress.update,
        },
      )
      progress.finish({ done: report.total, total: report.total })
    } catch (error) {
      progress.finish()
      throw error
    } finally {
      await connection.close()
    }

    // The facade's message for a provider without an adapter speaks of createBillingKeys(); on
    // the command line, the fix is an environment variable.
    const configured: readonly string[] = connection.keys.providers
    const needsAction = report.needsAction.map((entry) =>
      configured.includes(entry.ref.provider)
        ? entry
        : { ...entry, message: notConfigured(entry.ref.provider) },
    )
    const outcome = {
      file,
      report: { ...report, needsAction },
      rows: input.rows,
      issues: input.issues,
    }
    if (values.out === undefined) {
      io.stdout.write(formatReport(outcome, format, painter(colorEnabled(io.stdout, io.env))))
    } else {
      await writeFile(resolve(io.cwd, values.out), formatReport(outcome, format, painter(false)))
      io.stderr.write(`billingkey audit: wrote the ${format} report to ${values.out}\n`)
    }
    const refused = refusedCredentials(needsAction.map((entry) => entry.error))
    for (const line of refused) io.stderr.write(`billingkey audit: ${line}\n`)
    if (input.issues.length > 0 || refused.length > 0) return EXIT.usage
    return needsAction.length > 0 ? EXIT.attention : EXIT.ok
  },
}

function formatOfPath(path: string | undefined): ReportFormat | undefined {
  const ext = path && extname(path).toLowerCase()
  return ext === '.json' ? 'json' : ext === '.csv' ? 'csv' : undefined
}

/** Fails before any lookup if the report could not be written, or would replace the input. */
async function checkOut(out: string, file: string, cwd: string): Promise<void> {
  const path = resolve(cwd, out)
  if (path === resolve(cwd, file)) throw new UsageError('--out would overwrite the input file')
  const isDirectory = await stat(path).then(
    (stats) => stats.isDirectory(),
    () => false,
  )
  if (isDirectory) throw new InputError(`cannot write ${out}: it is a directory`)
  try {
    await access(dirname(path), constants.W_OK)
  } catch (error) {
    throw new InputError(`cannot write ${out}: ${describeFsError(error)}`)
  }
}
