import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { integer, parse } from '../args'
import type { Command } from '../command'
import { EXIT, InputError, UsageError } from '../errors'
import { describeFsError } from '../input'
import { isProvider, PROVIDER_LIST } from '../refs'
import { printable } from '../text'

const usage = 'billingkey validate <provider> <operationId> <status> <file.json>'

export const validate: Command = {
  name: 'validate',
  summary: 'check a captured provider response against the spec',
  usage,
  help: `Usage: ${usage}

Checks a response body you captured from iamport or Bootpay (or from your own mock) against the
response the spec documents for that operation and HTTP status, and prints "valid" or every
difference with its JSON pointer and the shape the spec expects.

  <provider>     iamport, bootpay or portone
  <operationId>  an operation of the spec, e.g. getBillingKey (a wrong one lists them all)
  <status>       the HTTP status the body came with
  <file.json>    the body as the provider sent it, or a fixture-shaped file
                 ({ "response": { "status": …, "body": … } }) whose response.body is checked

Options:
  -h, --help     show this help

Exit codes:
  0  valid
  1  invalid: the differences are printed on stdout
  2  unknown provider, operation or status (one the spec does not document for the
     operation), or a file that cannot be read or is not JSON

Examples:
  billingkey validate iamport getBillingKey 200 captured.json
  billingkey validate bootpay getBillingKeyByReceipt 400 specs/bootpay/fixtures/getBillingKeyByReceipt-400-rc-not-found.json
`,

  async run(args, io) {
    const { positionals } = parse(args, {})
    if (positionals.length !== 4) {
      throw new UsageError(`expected 4 arguments, got ${positionals.length}`)
    }
    const [provider, operationId, statusText, file] = positionals as [
      string,
      string,
      string,
      string,
    ]
    if (!isProvider(provider)) {
      throw new UsageError(`unknown provider "${printable(provider)}" (expected ${PROVIDER_LIST})`)
    }
    const { formatErrors, loadSpec } = await import('@billingkey/contract')
    const spec = loadSpec(provider)
    const ids = spec.operations.map((operation) => operation.operationId)
    if (!ids.includes(operationId)) {
      throw new UsageError(
        `the ${provider} spec has no operation "${printable(operationId)}"; it has ${ids.join(', ')}`,
      )
    }
    const status = integer(statusText, '<status>', 100, 599) as number
    if (!spec.responseKey(operationId, status)) {
      throw new UsageError(
        `the ${provider} spec documents no ${status} response for ${operationId}; ` +
          `it documents ${spec.operation(operationId).statuses.join(', ')}`,
      )
    }

    const body = responseBody(await readJson(file, io.cwd))
    const result = spec.validateResponse(operationId, status, body)
    const subject = `${file} against ${provider} ${operationId} ${status}`
    if (result.valid) {
      io.stdout.write(`valid: ${subject}\n`)
      return EXIT.ok
    }
    const count = result.errors.length
    io.stdout.write(
      `invalid: ${subject}: ${count} ${count === 1 ? 'difference' : 'differences'}\n` +
        formatErrors(result)
          .split('\n')
          .map((line) => `  ${printable(line)}\n`)
          .join(''),
    )
    return EXIT.attention
  },
}

async function readJson(file: string, cwd: string): Promise<unknown> {
  let text: string
  try {
    text = await readFile(resolve(cwd, file), 'utf8')
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${describeFsError(error)}`)
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new InputError(`${file} is not JSON: ${(error as Error).message}`)
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A fixture-shaped file ({ response: { status, body } }) is checked by its response.body; any
 * other JSON is the body itself. (An iamport body has a `response` too, but never with both a
 * `status` and a `body`.)
 */
export function responseBody(json: unknown): unknown {
  if (
    isObject(json) &&
    isObject(json.response) &&
    'status' in json.response &&
    'body' in json.response
  ) {
    return json.response.body
  }
  return json
}
