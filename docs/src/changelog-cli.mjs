#!/usr/bin/env node
// `pnpm spec:changelog`: see usage below and docs/README.md ("Spec changelog").
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { diffSpecs, emptySpec, renderMarkdown } from './changelog.mjs'
import { listProviders, packageName, parseSpec, specPath } from './spec.mjs'

const usage = `Usage: pnpm spec:changelog [--provider <name>] [--base <git ref>] [--check]

Prints, as Markdown, the operations and fields added, removed and changed in
specs/<provider>/openapi.yaml (working tree) since --base, marking the breaking changes.

  --provider <name>  one provider (default: every provider under specs/)
  --base <git ref>   what to compare with (default: the provider package's latest release
                     tag, @billingkey/<provider>@<version>; with no tag yet, an empty spec)
  --check            exit 1 when a change is breaking and neither a pending changeset
                     (.changeset/*.md) nor the package's version makes a major release of it`

/**
 * @param {string} cwd
 * @param {string[]} args
 */
const git = (cwd, args) =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()

/** The highest released version's tag, e.g. `@billingkey/iamport@1.2.0`, if there is one. */
function latestTag(/** @type {string} */ root, /** @type {string} */ provider) {
  const tags = git(root, [
    '-c',
    'versionsort.suffix=-',
    'tag',
    '--list',
    `${packageName(provider)}@*`,
    '--sort=-v:refname',
  ])
  return tags.split('\n')[0] || undefined
}

/** The spec's text at `ref`, or undefined when the file does not exist there. */
function specAt(/** @type {string} */ root, /** @type {string} */ ref, /** @type {string} */ path) {
  try {
    git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])
  } catch {
    throw new Error(`unknown git ref: ${ref}`)
  }
  try {
    git(root, ['cat-file', '-e', `${ref}:${path}`])
  } catch {
    return undefined
  }
  return git(root, ['show', `${ref}:${path}`])
}

/**
 * Why the next release of the provider's package is a major one, if it is: a pending changeset
 * that says so, or (in the "Version packages" pull request, where the changesets are consumed) a
 * package version whose major is above the released one.
 * @param {string} root
 * @param {string} provider
 * @param {string | undefined} base
 */
function majorRelease(root, provider, base) {
  const name = packageName(provider)
  const dir = join(root, '.changeset')
  const files = existsSync(dir) ? readdirSync(dir) : []
  for (const file of files.filter((f) => f.endsWith('.md') && f !== 'README.md').sort()) {
    const front = readFileSync(join(dir, file), 'utf8').match(/^---\r?\n([\s\S]*?)\r?\n---/)
    for (const line of front?.[1]?.split(/\r?\n/) ?? []) {
      const bump = line.match(/^\s*(['"]?)(.+?)\1\s*:\s*(major|minor|patch)\s*$/)
      if (bump?.[2] === name && bump[3] === 'major') {
        return `\`.changeset/${file}\` makes a major release of \`${name}\``
      }
    }
  }
  const manifest = join(root, 'packages', provider, 'package.json')
  const released = base?.startsWith(`${name}@`) ? base.slice(name.length + 1) : undefined
  if (released && existsSync(manifest)) {
    const { version } = JSON.parse(readFileSync(manifest, 'utf8'))
    const major = (/** @type {string} */ v) => Number.parseInt(v, 10)
    if (major(version) > major(released)) {
      return `\`${name}\` is at ${version}, a major release after ${released}`
    }
  }
  return undefined
}

function main() {
  const { values } = parseArgs({
    options: {
      provider: { type: 'string' },
      base: { type: 'string' },
      check: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    console.log(usage)
    return 0
  }
  const root = git(process.cwd(), ['rev-parse', '--show-toplevel'])
  const known = listProviders(root)
  if (values.provider && !known.includes(values.provider)) {
    throw new Error(`unknown provider ${values.provider} (specs: ${known.join(', ')})`)
  }
  let failed = false
  for (const provider of values.provider ? [values.provider] : known) {
    const path = specPath(provider)
    const base = values.base ?? latestTag(root, provider)
    const before = base === undefined ? undefined : specAt(root, base, path)
    const diffs = diffSpecs(
      before === undefined ? emptySpec : parseSpec(before),
      parseSpec(readFileSync(join(root, path), 'utf8')),
    )
    let since = `since \`${base}\``
    if (base === undefined) since = `(no release tag \`${packageName(provider)}@*\` yet: all new)`
    else if (before === undefined) since = `since \`${base}\` (where it did not exist: all new)`
    console.log(renderMarkdown(`${provider}: \`${path}\` ${since}`, diffs))

    if (values.check && diffs.some((diff) => diff.breaking)) {
      const reason = majorRelease(root, provider, base)
      if (reason) {
        console.log(`Check passed: ${reason}.\n`)
      } else {
        failed = true
        console.log(
          `Check failed: breaking changes need a \`major\` changeset for \`${packageName(provider)}\` (run \`pnpm changeset\`).\n`,
        )
      }
    }
  }
  return failed ? 1 : 0
}

try {
  process.exitCode = main()
} catch (error) {
  console.error(
    `spec:changelog: ${error instanceof Error ? error.message : error} (--help for usage)`,
  )
  process.exitCode = 2
}
