/**
 * The knobs of a run, from the environment. They are named BILLINGKEY_* because turbo passes only
 * those (and CI) through to a task: `BILLINGKEY_BENCH_LOAD_SECONDS=5 pnpm bench`.
 */
export function positive(name: string, fallback: number): number {
  const raw = process.env[name]
  const value = raw === undefined || raw === '' ? fallback : Number(raw)
  if (!(value > 0)) throw new Error(`${name} must be a positive number, not ${raw}`)
  return value
}

export const settings = {
  /** How long the sandbox load test runs. */
  BILLINGKEY_BENCH_LOAD_SECONDS: positive('BILLINGKEY_BENCH_LOAD_SECONDS', 30),
  /** Rounds of the bulk comparison; each is 10,000 lookups per variant. */
  BILLINGKEY_BENCH_BULK_ROUNDS: positive('BILLINGKEY_BENCH_BULK_ROUNDS', 3),
  /** Rows of the rate-limited CLI audit (50 req/s per provider: about 17 minutes at 100,000). */
  BILLINGKEY_BENCH_AUDIT_ROWS: positive('BILLINGKEY_BENCH_AUDIT_ROWS', 100_000),
  /** Rows of the large CLI audit, run without limit or latency, for its peak memory. */
  BILLINGKEY_BENCH_AUDIT_LARGE_ROWS: positive('BILLINGKEY_BENCH_AUDIT_LARGE_ROWS', 1_000_000),
}

/** Comparisons to run, comma-separated; all when unset. Then nothing is written. */
export const only = process.env.BILLINGKEY_BENCH_ONLY?.split(',').filter(Boolean)
