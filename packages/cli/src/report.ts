import type { AuditStatus } from '@billingkey/client'
import type { InputIssue, InputRow } from './input'
import { type Failure, type Key, type Report, refId } from './refs'
import { type Paint, plural, printable, table } from './text'

/** Everything an audit run reports: the facade's report plus where each ref came from. */
export interface AuditOutcome {
  /** the input file as given on the command line */
  file: string
  report: Report
  /** the rows audited; `report`'s indexes point into this */
  rows: InputRow[]
  /** the rows that could not be read, left out of the audit */
  issues: InputIssue[]
  /** how many keys that need action and malformed rows are counted but not listed */
  omitted?: { needsAction: number; issues: number }
}

const STATUS_LABELS: [AuditStatus, string][] = [
  ['active', 'active'],
  ['expiring', 'expiring'],
  ['expiresBeforeCharge', 'expires before charge'],
  ['expired', 'expired'],
  ['deleted', 'deleted'],
  ['notFound', 'not found'],
  ['error', 'error'],
]

const linesOf = (outcome: AuditOutcome, entry: Report['needsAction'][number]) =>
  entry.indexes.map((index) => outcome.rows[index]?.line ?? 0)

/**
 * The table report: the counts with their share, the keys that need action with their lines, and
 * the rows that were not audited.
 */
export function auditTable(outcome: AuditOutcome, paint: Paint): string {
  const { report, issues } = outcome
  const omitted = outcome.omitted ?? { needsAction: 0, issues: 0 }
  const more = (count: number) =>
    count > 0 ? `… and ${count} more (--format csv or jsonl lists every row)\n` : ''
  const share = (count: number) =>
    report.total === 0 ? '' : `${((count * 100) / report.total).toFixed(1)}%`
  const styleOf = (status: AuditStatus) =>
    status === 'active'
      ? 'green'
      : status === 'expiring' || status === 'expiresBeforeCharge'
        ? 'yellow'
        : 'red'
  const counts = STATUS_LABELS.map(([status, label]) => {
    const count = report.counts[status]
    return [count > 0 ? paint(styleOf(status), label) : label, String(count), share(count)]
  })
  let text =
    `Audit of ${plural(report.total, 'key')} from ${outcome.file}: ` +
    `${plural(report.chargeable, 'key')} can be charged ` +
    `(as of ${report.checkedAt.toISOString()}, expiring = within ${plural(report.expiringWithinDays, 'day')})\n\n` +
    table(
      [
        { header: 'status' },
        { header: 'keys', align: 'right' },
        { header: 'share', align: 'right' },
      ],
      [...counts, [paint('bold', 'total'), String(report.total), '']],
      paint,
    )

  if (report.needsAction.length > 0) {
    const rows = report.needsAction.map((entry) => {
      const { field, value } = refId(entry.ref)
      return [
        linesOf(outcome, entry).join(', '),
        entry.ref.provider,
        `${field}=${printable(value)}`,
        paint(
          entry.reason === 'expiring' || entry.reason === 'expires_before_charge'
            ? 'yellow'
            : 'red',
          entry.reason,
        ),
        printable(entry.message),
      ]
    })
    text +=
      `\n${paint('bold', `${plural(report.needsAction.length + omitted.needsAction, 'key needs', 'keys need')} action:`)}\n` +
      table(
        [
          { header: 'line', align: 'right' },
          { header: 'provider' },
          { header: 'id' },
          { header: 'reason' },
          { header: 'message' },
        ],
        rows,
        paint,
      ) +
      more(omitted.needsAction)
  } else if (report.total > 0) {
    text += `\n${paint('green', `Every key can be charged.`)}\n`
  }

  if (issues.length > 0) {
    text +=
      `\n${paint('bold', `${plural(issues.length + omitted.issues, 'row was', 'rows were')} not audited (malformed):`)}\n` +
      table(
        [{ header: 'line', align: 'right' }, { header: 'problem' }],
        issues.map((issue) => [String(issue.line), printable(issue.message)]),
        paint,
      ) +
      more(omitted.issues)
  }
  return text
}

/** A key without `raw` (the provider's payload: not stable across providers, and not needed). */
export function keyJson(key: Key) {
  const { raw: _raw, ref: _ref, provider: _provider, ...rest } = key
  return rest
}

/** The error's own fields; its message is already redacted by the clients. */
export function errorJson(error: Failure) {
  return {
    name: error.name,
    message: error.message,
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.code !== undefined ? { code: error.code } : {}),
    ...(error.requestId !== undefined ? { requestId: error.requestId } : {}),
  }
}
