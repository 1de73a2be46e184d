import { redact } from './redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off'

/** console, pino and most structured loggers fit. */
export interface Logger {
  debug(message: string, ...rest: unknown[]): void
  info(message: string, ...rest: unknown[]): void
  warn(message: string, ...rest: unknown[]): void
  error(message: string, ...rest: unknown[]): void
}

export type Log = (
  level: Exclude<LogLevel, 'off'>,
  message: string,
  fields?: Record<string, unknown>,
) => void

const LEVELS = ['debug', 'info', 'warn', 'error', 'off']

/**
 * Off unless a logger is given (then `info`). Fields are redacted and also written into the
 * message as `key=value`, because pino drops extra arguments that have no placeholder.
 */
export function createLog(logger?: Logger, level: LogLevel = logger ? 'info' : 'off'): Log {
  return (at, message, fields = {}) => {
    if (!logger || LEVELS.indexOf(at) < LEVELS.indexOf(level)) return
    const safe = redact(fields)
    const pairs = Object.entries(safe).map(([k, v]) => (v === undefined ? '' : ` ${k}=${v}`))
    logger[at](message + pairs.join(''), safe)
  }
}
