import type { Io } from './io'

export interface Command {
  name: string
  /** one line for the top-level help */
  summary: string
  /** the synopsis, printed after a usage error */
  usage: string
  /** the whole --help text, synopsis included */
  help: string
  /** resolves to the exit code; throws UsageError/InputError for exit code 2 */
  run(args: readonly string[], io: Io): Promise<number>
}
