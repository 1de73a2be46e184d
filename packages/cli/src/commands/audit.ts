import { access, constants, stat } from 'node:fs/promises'
import { dirname, extname, resolve } from 'node:path'
import { choice, integer, parse } from '../args'
import type { Command } from '../command'
import { readPrevious } from '../compare'
import { type Connection, connect } from '../connect'
import { ENV_HELP } from '../env'
import { EXIT, InputError, UsageError } from '../errors'
import { EXAMPLE_FILE } from '../example'
import { describeFsError } from '../input'
import { progressReporter } from '../progress'
import { openState } from '../state'
import { auditStream } from '../stream-audit'
import { scanInput } from '../stream-input'
import {
  AUDIT_FORMATS,
  type AuditFormat,
  fileSink,
  outputSink,
  type ReportWriter,
  reportWriter,
} from '../stream-report'
import { colorEnabled, painter, plural } from '../text'

const usage =
  'billingkey audit (<file.csv|file.jsonl> | --example) [--format table|json|csv|jsonl] ' +
  '[--out <file>] [--concurrency <n>] [--rate <n>] [--expiring-within <days>] [--resume <state file>] ' +
  '[--compare <previous report>] [--verbose]'

export const audit: Command = {
  name: 'audit',
  summary: 'look up every key in a CSV or JSONL file; report the ones that need action',
  usage,
  help: `Usage: ${usage}

Looks up every billing key listed in the file and sorts it into active, expiring (still
chargeable, but it runs out within --expiring-within days), expires_before_charge (still
chargeable, but a charge is scheduled with it after it runs out), expired, deleted, not found, or
error (the lookup failed). Prints a summary table and the keys that need action. A progress bar with the
rate and the time left runs on stderr on a terminal; elsewhere a plain line marks each tenth.
The file is read as the lookups need it and csv and jsonl rows are written as they settle, so
memory stays flat however long the file is.

Options:
  -f, --format <format>       table (default; lists the first 1000 keys that need action), json
                              (counts and every key that needs action), csv or jsonl (a row per
                              input row with its status, written as it settles); without
                              --format, an --out file ending in .json, .csv or .jsonl picks it
  -o, --out <file>            write the report to <file> instead of stdout
  -c, --concurrency <n>       requests in flight at once, 1-64 (default 8; an iamport multi
                              lookup of up to 100 keys is one request)
      --rate <n>              at most <n> requests a second to each provider, evenly spaced
                              (token calls and retries included; default: no limit). Set it
                              to the provider's limit: a 429 pauses every request to that
                              provider for its Retry-After, and the progress line says so
      --expiring-within <days>
                              an active key that expires within this many days needs action
                              (default 30)
      --resume <state file>   record progress in <state file> (created if missing); after an
                              interruption, the same command goes on where it stopped: rows
                              already settled are not looked up again, and the report comes
                              out whole, as from one run
      --compare <report>      print what changed since a previous report (.jsonl or .csv; a
                              .json one lists only the keys that needed action): newly expired,
                              deleted, expiring, failing, recovered, new and gone keys
      --verbose               log every request and response to stderr, secrets redacted
      --example               audit the example file shipped with billingkey (382 demo keys)
                              against the embedded sandbox, whatever the environment says
  -h, --help                  show this help

Input: a CSV file with a header row, or a JSONL file with one JSON object per line. Each row has
  a provider (iamport, bootpay or portone) and one id:
    iamport  customer_uid
    bootpay  receipt_id (the receipt of the issue) or billing_key
    portone  billing_key (PortOne V2; the embedded sandbox does not serve it yet)
  provider,customer_uid,receipt_id,billing_key
  iamport,customer_1234,,
  bootpay,,6523a1b2e3f4a5b6c7d8e9f0,
  bootpay,,,66b0c0ffee0123456789abcd
  portone,,,billing-key-0195f1f0-1111-7000-8000-000000000001
  {"provider":"iamport","customer_uid":"customer_1234"}
  {"provider":"bootpay","billing_key":"66b0c0ffee0123456789abcd"}
  Columns and keys may also be spelled customerUid, receiptId, billingKey; other columns are
  ignored. CSV follows RFC 4180 (quotes, CRLF or LF, a UTF-8 byte order mark); blank lines are
  skipped. A row given again within 10,000 distinct keys is looked up once and reported on
  every line it is on.

Malformed rows: a row that cannot be read (an unknown provider, a missing or extra id, a wrong
  number of fields, bad JSON) is reported on stderr as "line N: what is wrong", listed in the
  report, and left out of the audit; the other rows are still audited, and the exit code is 2.

Exit codes:
  0  every key can be charged and nothing needs action
  1  some keys need action (expiring, expires_before_charge, expired, deleted, not found, or
     the lookup failed)
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
  billingkey audit keys.csv --format jsonl --out audit.jsonl --rate 50
  billingkey audit keys.csv --out may.jsonl --resume may.state --compare april.jsonl
  billingkey audit keys.jsonl --format json | jq '.needsAction[] | select(.reason == "expired")'
  IAMPORT_API_KEY=… IAMPORT_API_SECRET=… billingkey audit keys.csv --concurrency 4
`,

  async run(args, io) {
    const { values, positionals } = parse(args, {
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      concurrency: { type: 'string', short: 'c' },
      rate: { type: 'string' },
      'expiring-within': { type: 'string' },
      resume: { type: 'string' },
      compare: { type: 'string' },
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
      choice(values.format, '--format', AUDIT_FORMATS) ?? formatOfPath(values.out) ?? 'table'
    const concurrency = integer(values.concurrency, '--concurrency', 1, 64)
    const requestsPerSecond = integer(values.rate, '--rate', 1, 100_000)
    const expiringWithinDays = integer(values['expiring-within'], '--expiring-within', 0, 3650)
    if (values.out !== undefined) await checkOut(values.out, file, io.cwd)
    if (values.resume !== undefined) checkResume(values.resume, file, values.out, io.cwd)

    // The whole file is read once before any lookup: a file that cannot be split into rows
    // fails here, and every malformed row is named on stderr up front, as before streaming.
    let issues = 0
    const rows = await scanInput(
      file,
      io.cwd,
      (issue) => {
        issues++
        io.stderr.write(`billingkey audit: ${file} line ${issue.line}: ${issue.message}\n`)
      },
      io.signal,
    ).catch((error: unknown) => {
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
    if (rows === 0) {
      throw new InputError(`${file}: none of its ${plural(issues, 'row')} could be read`)
    }
    const comparison =
      values.compare === undefined ? undefined : await readPrevious(values.compare, io.cwd)
    const state =
      values.resume === undefined
        ? undefined
        : await openState(values.resume, io.cwd, {
            input: file,
            expiringWithinDays,
            now: new Date(),
          })

    const toStdout = values.out === undefined
    const checkedAt = state?.checkedAt ?? new Date()
    const days = state?.expiringWithinDays ?? expiringWithinDays ?? 30
    const progress = progressReporter(io.stderr, {
      live: io.stderr.isTTY === true && values.verbose !== true,
      noun: 'audited',
    })
    let connection: Connection | undefined
    let report: ReportWriter | undefined
    try {
      // The example's keys are the sandbox's demo data: real credentials would only find nothing.
      connection = await connect(io, {
        verbose: values.verbose === true,
        sandbox: example,
        requestsPerSecond,
      })
      // --out is opened (and emptied) only once the audit can start.
      report = reportWriter({
        format,
        sink: toStdout ? outputSink(io.stdout) : fileSink(resolve(io.cwd, values.out as string)),
        file,
        checkedAt,
        expiringWithinDays: days,
        paint: painter(toStdout && colorEnabled(io.stdout, io.env)),
      })
      const writer = report
      await auditStream({
        file,
        cwd: io.cwd,
        keys: connection.keys,
        state,
        statePath: values.resume,
        checkedAt,
        expiringWithinDays: days,
        concurrency,
        signal: io.signal,
        onRow: async (row) => {
          if (row.status !== 'invalid') comparison?.see(row)
          await writer.add(row)
        },
        onProgress: (done, rateLimits) => progress.update({ done, total: rows, rateLimits }),
      })
      progress.finish({ done: rows, total: rows })
    } catch (error) {
      progress.finish()
      await report?.discard()
      throw error
    } finally {
      await connection?.close()
      await state?.close()
    }

    const outcome = await (report as ReportWriter).finish()
    if (!toStdout)
      io.stderr.write(`billingkey audit: wrote the ${format} report to ${values.out}\n`)
    if (comparison) {
      // Beside a json, jsonl or csv report on stdout, the changes go to stderr.
      const text = comparison.summary(painter(false))
      if (toStdout && format !== 'table') io.stderr.write(text)
      else io.stdout.write(`${toStdout ? '\n' : ''}${text}`)
    }
    for (const line of outcome.refused) io.stderr.write(`billingkey audit: ${line}\n`)
    if (outcome.issues > 0 || outcome.refused.length > 0) return EXIT.usage
    return outcome.needsAction > 0 ? EXIT.attention : EXIT.ok
  },
}

function formatOfPath(path: string | undefined): AuditFormat | undefined {
  const ext = path && extname(path).toLowerCase()
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl'
  return ext === '.json' ? 'json' : ext === '.csv' ? 'csv' : undefined
}

/** The state file must be neither the input nor the report. */
function checkResume(state: string, file: string, out: string | undefined, cwd: string): void {
  const path = resolve(cwd, state)
  if (path === resolve(cwd, file)) throw new UsageError('--resume would overwrite the input file')
  if (out !== undefined && path === resolve(cwd, out)) {
    throw new UsageError('--resume and --out must be different files')
  }
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
