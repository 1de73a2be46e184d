import { parseArgs } from 'node:util'
import { UsageError } from './errors'
import { printable } from './text'

interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  multiple?: boolean
}

type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string
}

/**
 * node:util parseArgs, strict, with positionals, and with its errors turned into UsageErrors
 * (exit 2). Every command gets -h/--help.
 */
export function parse<const O extends Record<string, OptionSpec>>(
  args: readonly string[],
  options: O,
): { values: Values<O>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
    return { values: values as Values<O>, positionals }
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) {
      // Node's messages go on with advice about '--'; the first sentence is the useful part.
      throw new UsageError((error as Error).message.split(/\.\s/)[0] ?? String(error))
    }
    throw error
  }
}

/** A whole number within [min, max] given as `label` (an option or an argument), or a UsageError. */
export function integer(
  value: string | undefined,
  label: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined
  const number = /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!(number >= min && number <= max)) {
    throw new UsageError(
      `${label} must be a whole number from ${min} to ${max}, got "${printable(value)}"`,
    )
  }
  return number
}

/** One of `choices` given as `label`, or a UsageError. */
export function choice<T extends string>(
  value: string | undefined,
  label: string,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${label} must be one of ${choices.join(', ')}, got "${printable(value)}"`)
  }
  return value as T
}
