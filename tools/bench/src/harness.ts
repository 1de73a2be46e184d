import { type Summary, summarize } from './stats'

/** One side of a comparison: an operation to repeat. */
export interface Variant {
  name: string
  run: () => unknown
}

export interface CompareOptions {
  /** Samples kept per variant. */
  rounds: number
  /** Rounds run first and thrown away: JIT, connection pools, caches. */
  warmupRounds: number
  /** Operations per sample; a sample is their wall time divided by this. */
  opsPerSample: number
  /** Operations in flight at once within a sample. Default 1: one after another. */
  concurrency?: number
  /** Milliseconds; tests inject a clock. */
  now?: () => number
}

/** Per variant, in the order given: µs per operation, one sample per round. */
export type Results = Map<string, Summary & { samples: number[] }>

/**
 * Runs the variants in rounds, each variant once per round, so that a change in the machine's
 * load over the run reaches every variant alike. The order rotates every round (A B C, B C A,
 * C A B …) so no variant always runs first, right after another's garbage.
 */
export async function compare(variants: Variant[], options: CompareOptions): Promise<Results> {
  const { rounds, warmupRounds, opsPerSample, concurrency = 1 } = options
  const now = options.now ?? (() => performance.now())
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]))
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (let i = 0; i < variants.length; i++) {
      const variant = variants[(round + i) % variants.length] as Variant
      const started = now()
      await repeat(variant.run, opsPerSample, concurrency)
      const us = ((now() - started) * 1000) / opsPerSample
      if (round >= warmupRounds) samples.get(variant.name)?.push(us)
    }
  }
  return new Map([...samples].map(([name, list]) => [name, { ...summarize(list), samples: list }]))
}

/** `run` `ops` times, at most `concurrency` at once. */
export async function repeat(run: () => unknown, ops: number, concurrency: number) {
  let started = 0
  const worker = async () => {
    while (started < ops) {
      started++
      await run()
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, ops) }, worker))
}
