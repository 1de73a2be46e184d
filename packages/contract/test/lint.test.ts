// Suite 5: the specs pass Redocly CLI lint (recommended ruleset) with zero errors and zero
// warnings, every example in them validates against its own schema, and every schema compiles
// under Ajv's strict mode.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { formatErrors, loadSpec } from '../src/index'
import { schemasAndExamples } from './examples'
import { providers, repoRoot } from './providers'

interface LintReport {
  totals: { errors: number; warnings: number }
  problems: {
    ruleId: string
    severity: string
    message: string
    location: { pointer?: string }[]
  }[]
}

const cli = createRequire(import.meta.url).resolve('@redocly/cli/package.json')

/** `redocly lint --format json` with the repository's redocly.yaml; no telemetry, no update check. */
function lint(file: string): Promise<LintReport> {
  const args = [join(dirname(cli), 'bin/cli.js'), 'lint', '--format', 'json']
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [...args, '--config', join(repoRoot, 'redocly.yaml'), file],
      {
        cwd: repoRoot,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
      // exits 1 when there are errors; the report on stdout says which
      (error, stdout, stderr) => {
        try {
          resolve(JSON.parse(stdout) as LintReport)
        } catch {
          reject(new Error(`redocly lint printed no report: ${error?.message}\n${stderr}`))
        }
      },
    )
  })
}

const problemsOf = (report: LintReport) =>
  report.problems.map(
    (p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer ?? '?'}: ${p.message}`,
  )

const scratch = mkdtempSync(join(tmpdir(), 'contract-lint-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe.concurrent('Redocly lint (recommended)', () => {
  for (const { name, specFile } of providers) {
    it(`passes specs/${name}/openapi.yaml with zero errors and zero warnings`, {
      timeout: 120_000,
    }, async () => {
      const report = await lint(specFile)
      expect(problemsOf(report)).toEqual([])
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 })
    })
  }

  it('reports the problems of a broken spec (the check bites)', { timeout: 120_000 }, async () => {
    const file = join(scratch, 'broken.yaml')
    writeFileSync(
      file,
      'openapi: 3.1.0\ninfo: { title: broken, version: "1" }\npaths:\n  /keys/{id}:\n    get:\n      responses: {}\n',
    )
    const report = await lint(file)
    expect(report.totals.errors).toBeGreaterThan(0)
    expect(report.problems.map((p) => p.ruleId)).toEqual(
      expect.arrayContaining(['path-parameters-defined']),
    )
  })
})

for (const { name, spec } of providers) {
  describe(`specs/${name}/openapi.yaml examples and schemas`, () => {
    const { schemas, examples } = schemasAndExamples(spec.document)

    it('has response examples to check', () => {
      expect(
        examples.filter(
          (e) => e.at.includes('/responses/') || e.at.startsWith('/components/examples/'),
        ).length,
      ).toBeGreaterThan(0)
    })

    it.each(examples.map((e) => [e.at, e]))('example %s validates against its schema', (_, e) => {
      const result = spec.validate(e.schema, e.value)
      expect(result.valid, formatErrors(result)).toBe(true)
    })

    it('compiles every schema under Ajv strict mode', () => {
      expect(schemas.length).toBeGreaterThan(0)
      for (const pointer of schemas)
        expect(() => spec.validate(pointer, null), pointer).not.toThrow()
    })
  })
}

describe('the examples check bites', () => {
  it('finds and rejects a wrong example in a media type, a named example, a parameter and a schema', () => {
    const document = parse(
      readFileSync(fileURLToPath(new URL('./fixtures/mini.yaml', import.meta.url)), 'utf8'),
    )
    const get = document.paths['/keys/{key_id}'].get
    get.responses['200'].content['application/json'].example = { code: 'zero' }
    get.responses['404'] = {
      description: 'Not found',
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/Error' },
          examples: { named: { $ref: '#/components/examples/NotFound' } },
        },
      },
    }
    document.components.examples = { NotFound: { value: { code: 1 } } }
    document.paths['/keys/{key_id}'].parameters[0].example = 'much-too-long'
    document.components.schemas.Key.properties.inserted.examples = ['yesterday']
    const spec = loadSpec(document)
    const rejected = schemasAndExamples(document)
      .examples.filter((e) => !spec.validate(e.schema, e.value).valid)
      .map((e) => e.at)
    expect(rejected).toEqual([
      '/paths/~1keys~1{key_id}/parameters/0/example',
      '/paths/~1keys~1{key_id}/get/responses/200/content/application~1json/example',
      '/components/examples/NotFound/value',
      '/components/schemas/Key/properties/inserted/examples/0',
    ])
  })
})
