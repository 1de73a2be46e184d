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
 * Off unless a logger is given (then `info`). Fields are redacted, written into the message as
 * JSON (pino drops extra arguments without a placeholder) and passed as the second argument.
 */
export function createLog(logger?: Logger, level: LogLevel = logger ? 'info' : 'off'): Log {
  return (at, message, fields) => {
    if (!logger || LEVELS.indexOf(at) < LEVELS.indexOf(level)) return
    if (!fields) return logger[at](message)
    const safe = redact(fields)
    logger[at](`${message} ${JSON.stringify(safe)}`, safe)
  }
}
