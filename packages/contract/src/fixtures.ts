import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020.js'
import { formatErrors, issuesOf } from './issues'

/** One recorded exchange: `specs/<provider>/fixtures/*.json` (format: specs/README.md). */
export interface Fixture {
  /** The file name within the folder it was loaded from. */
  file: string
  /** Where the case comes from: at least `case` and `provenance`. */
  _meta: Record<string, unknown>
  operationId: string
  request: {
    method: string
    path: string
    query?: string
    headers?: Record<string, string>
    body?: unknown
  }
  response: {
    status: number
    headers?: Record<string, string>
    body: unknown
  }
  /** What the provider client returns for this exchange. */
  client?: {
    call: string
    args: unknown[]
    expect: { value: true } | { error: string }
  }
}

const headers = {
  type: 'object',
  propertyNames: { pattern: '^[a-z0-9-]+$' },
  additionalProperties: { type: 'string' },
}

const fixtureSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['_meta', 'operationId', 'request', 'response'],
  properties: {
    _meta: {
      type: 'object',
      required: ['case', 'provenance'],
      properties: {
        case: { type: 'string', minLength: 1 },
        provenance: { type: 'string', minLength: 1 },
      },
    },
    operationId: { type: 'string', minLength: 1 },
    request: {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'path'],
      properties: {
        method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'] },
        path: { type: 'string', pattern: '^/[^?#]*$' },
        query: { type: 'string', pattern: '^[^?#][^#]*$' },
        headers,
        body: true,
      },
    },
    response: {
      type: 'object',
      additionalProperties: false,
      required: ['status', 'body'],
      properties: {
        status: { type: 'integer', minimum: 100, maximum: 599 },
        headers,
        body: true,
      },
    },
    client: {
      type: 'object',
      additionalProperties: false,
      required: ['call', 'args', 'expect'],
      properties: {
        call: { type: 'string', minLength: 1 },
        args: { type: 'array' },
        expect: {
          oneOf: [
            {
              type: 'object',
              additionalProperties: false,
              required: ['value'],
              properties: { value: { const: true } },
            },
            {
              type: 'object',
              additionalProperties: false,
              required: ['error'],
              properties: { error: { type: 'string', minLength: 1 } },
            },
          ],
        },
      },
    },
  },
}

let validateFixture: ReturnType<Ajv2020['compile']> | undefined

/**
 * Every `*.json` in `dir`, sorted by file name, each checked against the fixture format. Throws one
 * Error naming every file that is not valid JSON or not a fixture, with the offending pointers.
 */
export function loadFixtures(dir: string | URL): Fixture[] {
  const folder = typeof dir === 'string' ? dir : fileURLToPath(dir)
  validateFixture ??= new Ajv2020({ strict: true, allErrors: true, verbose: true }).compile(
    fixtureSchema,
  )
  const fixtures: Fixture[] = []
  const problems: string[] = []
  const files = readdirSync(folder)
    .filter((file) => file.endsWith('.json'))
    .sort()
  for (const file of files) {
    const path = join(folder, file)
    let json: unknown
    try {
      json = JSON.parse(readFileSync(path, 'utf8'))
    } catch (error) {
      problems.push(`${path}: not valid JSON: ${(error as Error).message}`)
      continue
    }
    if (validateFixture(json)) fixtures.push({ file, ...(json as Omit<Fixture, 'file'>) })
    else {
      const errors = issuesOf(validateFixture.errors ?? [], '')
      problems.push(
        `${path} is not a fixture:\n${formatErrors({ valid: false, errors }).replace(/^/gm, '  ')}`,
      )
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))
  return fixtures
}
