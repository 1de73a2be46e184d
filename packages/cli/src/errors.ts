/**
 * The two ways a run ends with exit code 2 before it has a result: the command line is wrong
 * (the message is followed by the command's usage), or an input (a file, an environment
 * variable) cannot be used.
 */
export class UsageError extends Error {
  override name = 'UsageError'
}

export class InputError extends Error {
  override name = 'InputError'
}

export const EXIT = {
  ok: 0,
  /** audit: some key needs action; lookup: not chargeable or not found; validate: invalid */
  attention: 1,
  usage: 2,
  /** stopped by SIGINT/SIGTERM (128 + SIGINT) */
  interrupted: 130,
} as const
