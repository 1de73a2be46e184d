// `pnpm spec:changelog` end to end: in throwaway git repositories, and as the CI gate on this one.
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { listProviders } from '../src/spec.mjs'

const cli = resolve(import.meta.dirname, '../src/changelog-cli.mjs')
const repoRoot = resolve(import.meta.dirname, '../..')

function changelog(cwd: string, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [cli, ...args], { cwd }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code) : 0, stdout, stderr }),
    )
  })
}

const spec = (responseFields: string, extraPath = '') => `openapi: 3.1.0
info: { title: test, version: 1.0.0 }
paths:
  /subscribe/customers/{customer_uid}:
    get:
      operationId: getBillingKey
      parameters:
        - { name: customer_uid, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema:
                type: object
                properties:
${responseFields}
${extraPath}`
const v1 = spec(`                  customer_uid: { type: string }
                  card_name: { type: string }`)
/** v1 without `card_name`: breaking. */
const v2 = spec('                  customer_uid: { type: string }')
/** v1 plus an operation: not breaking. */
const v1plus = spec(
  `                  customer_uid: { type: string }
                  card_name: { type: string }`,
  `  /subscribe/customers:
    get:
      operationId: getBillingKeys
      summary: Look up several billing keys
      responses: { '200': { description: OK } }`,
)

let repo: string

/** A git repository with `specs/iamport/openapi.yaml` and the given history. */
function makeRepo() {
  repo = mkdtempSync(join(tmpdir(), 'spec-changelog-'))
  git('init', '--quiet', '--initial-branch=main')
  return repo
}

function git(...args: string[]) {
  execFileSync(
    'git',
    [
      '-c',
      'user.name=test',
      '-c',
      'user.email=test@example.com',
      '-c',
      'commit.gpgsign=false',
      '-c',
      'tag.gpgsign=false',
      ...args,
    ],
    { cwd: repo, stdio: 'ignore' },
  )
}

function write(path: string, text: string) {
  mkdirSync(dirname(join(repo, path)), { recursive: true })
  writeFileSync(join(repo, path), text)
}

function commit(specText: string, tag?: string) {
  write('specs/iamport/openapi.yaml', specText)
  git('add', '--all')
  git('commit', '--quiet', '-m', 'spec')
  if (tag) git('tag', tag)
}

afterEach(() => {
  if (repo) rmSync(repo, { recursive: true, force: true })
})

describe('spec:changelog in a git repository', () => {
  it('compares with the latest release tag and fails --check on a breaking change', async () => {
    makeRepo()
    commit(v1, '@billingkey/iamport@1.0.0')
    commit(v2)
    const result = await changelog(repo, ['--check'])
    expect(result.code, result.stderr).toBe(1)
    expect(result.stdout).toBe(
      [
        '## iamport: `specs/iamport/openapi.yaml` since `@billingkey/iamport@1.0.0`',
        '',
        '**1 breaking change**: the package needs a major release.',
        '',
        '### Changed operations',
        '',
        '- `GET /subscribe/customers/{customer_uid}` (`getBillingKey`)',
        '  - **BREAKING** response 200 `card_name`: removed',
        '',
        'Check failed: breaking changes need a `major` changeset for `@billingkey/iamport` (run `pnpm changeset`).',
        '',
        '',
      ].join('\n'),
    )
  })

  it('passes --check when a pending changeset makes a major release of the package', async () => {
    makeRepo()
    commit(v1, '@billingkey/iamport@1.0.0')
    commit(v2)
    write('.changeset/README.md', '# Changesets\n')
    write('.changeset/quiet-cats.md', "---\n'@billingkey/iamport': minor\n---\n\nA minor one.\n")
    expect((await changelog(repo, ['--check'])).code).toBe(1)

    write('.changeset/loud-dogs.md', '---\n"@billingkey/iamport": major\n---\n\nDrop card_name.\n')
    const result = await changelog(repo, ['--check'])
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(
      'Check passed: `.changeset/loud-dogs.md` makes a major release of `@billingkey/iamport`.',
    )
  })

  it('a major changeset for another package does not count', async () => {
    makeRepo()
    commit(v1, '@billingkey/iamport@1.0.0')
    commit(v2)
    write('.changeset/other.md', "---\n'@billingkey/bootpay': major\n---\n\nBootpay.\n")
    expect((await changelog(repo, ['--check'])).code).toBe(1)
  })

  it('passes --check in the release pull request, where the version already went up a major', async () => {
    makeRepo()
    commit(v1, '@billingkey/iamport@1.0.0')
    commit(v2)
    write(
      'packages/iamport/package.json',
      '{ "name": "@billingkey/iamport", "version": "2.0.0" }\n',
    )
    const result = await changelog(repo, ['--check'])
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(
      'Check passed: `@billingkey/iamport` is at 2.0.0, a major release after 1.0.0.',
    )
  })

  it('passes --check when nothing breaks', async () => {
    makeRepo()
    commit(v1, '@billingkey/iamport@1.0.0')
    commit(v1plus)
    const result = await changelog(repo, ['--check'])
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain('No breaking changes.')
    expect(result.stdout).toContain(
      '- `GET /subscribe/customers` (`getBillingKeys`): Look up several billing keys',
    )
  })

  it('takes the highest version as the latest tag, not the last in name order', async () => {
    makeRepo()
    commit(v1, '@billingkey/iamport@1.9.0')
    commit(v2, '@billingkey/iamport@1.10.0')
    const result = await changelog(repo, ['--check'])
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toBe(
      '## iamport: `specs/iamport/openapi.yaml` since `@billingkey/iamport@1.10.0`\n\nNo changes to operations or fields.\n\n',
    )
  })

  it('with no release tag yet, says so and lists every operation as new', async () => {
    makeRepo()
    commit(v1)
    const result = await changelog(repo, ['--check'])
    expect(result.code, result.stdout).toBe(0)
    expect(result.stdout).toContain(
      '## iamport: `specs/iamport/openapi.yaml` (no release tag `@billingkey/iamport@*` yet: all new)',
    )
    expect(result.stdout).toContain('- `GET /subscribe/customers/{customer_uid}` (`getBillingKey`)')
  })

  it('compares with --base when given, including a ref where the spec did not exist', async () => {
    makeRepo()
    write('README.md', 'Before the spec.\n')
    git('add', '--all')
    git('commit', '--quiet', '-m', 'readme')
    commit(v1)
    commit(v2, '@billingkey/iamport@1.0.0')

    const sinceParent = await changelog(repo, ['--base', 'HEAD~1', '--provider', 'iamport'])
    expect(sinceParent.stdout).toContain('since `HEAD~1`')
    expect(sinceParent.stdout).toContain('**BREAKING** response 200 `card_name`: removed')

    const sinceEmpty = await changelog(repo, ['--base', 'HEAD~2'])
    expect(sinceEmpty.stdout).toContain('since `HEAD~2` (where it did not exist: all new)')
  })

  it('exits 2 with a message on an unknown ref or provider', async () => {
    makeRepo()
    commit(v1)
    const badRef = await changelog(repo, ['--base', 'no-such-ref'])
    expect([badRef.code, badRef.stderr]).toEqual([
      2,
      'spec:changelog: unknown git ref: no-such-ref (--help for usage)\n',
    ])
    const badProvider = await changelog(repo, ['--provider', 'nope'])
    expect([badProvider.code, badProvider.stderr]).toEqual([
      2,
      'spec:changelog: unknown provider nope (specs: iamport) (--help for usage)\n',
    ])
  })
})

describe('this repository', () => {
  it('has no breaking spec change since a release without a major changeset (pnpm spec:changelog --check)', async () => {
    const providers = listProviders(repoRoot)
    expect(providers.length).toBeGreaterThan(0)
    const result = await changelog(repoRoot, ['--check'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    for (const provider of providers) {
      expect(result.stdout).toContain(`## ${provider}: \`specs/${provider}/openapi.yaml\``)
    }
  })
})
