// Every relative link in every Markdown file of every packed tarball resolves to a file inside
// that tarball: a link to a sibling package or a repository file works on GitHub but is broken on
// the package's npm page. Link there with an absolute URL instead.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pack } from './packed'
import { publicPackages, run } from './workspace'

/** The link targets of a Markdown text: inline links and images, reference definitions, hrefs. */
export function linkTargets(markdown: string): string[] {
  // Code is not a link: drop fenced blocks and inline code spans first.
  const text = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/`[^`\n]*`/g, '')
  const targets = [
    ...[...text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]),
    ...[...text.matchAll(/\b(?:href|src)="([^"]+)"/g)].map((m) => m[1]),
  ]
  return targets.filter((target): target is string => target !== undefined)
}

/** A target that points into the package (not a URL, not an anchor on the same page). */
const isRelative = (target: string) => !/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(target)

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.md'))
    .map((entry) => join(entry.parentPath, entry.name))
}

/** The relative links of the Markdown files under `dir` that do not resolve to a file in `dir`. */
export function brokenLinks(dir: string): string[] {
  return markdownFiles(dir).flatMap((file) =>
    linkTargets(readFileSync(file, 'utf8'))
      .filter(isRelative)
      .filter((target) => {
        const path = resolve(dirname(file), decodeURIComponent(target.replace(/[?#].*$/, '')))
        return relative(dir, path).startsWith('..') || !existsSync(path)
      })
      .map((target) => `${relative(dir, file)}: ${target}`),
  )
}

describe('linkTargets and brokenLinks', () => {
  it('finds inline, reference and HTML links, not code', () => {
    const markdown = [
      'See [the API](./API.md#top "API") and ![logo](img/logo.png).',
      '[ref]: ../sibling',
      '<a href="docs/x.md">x</a> and `[not](a-link)`',
      '```md',
      '[also not](a-link)',
      '```',
      'A [site](https://example.com) and an [anchor](#usage).',
    ].join('\n')
    expect(linkTargets(markdown)).toEqual([
      './API.md#top',
      'img/logo.png',
      'https://example.com',
      '#usage',
      '../sibling',
      'docs/x.md',
    ])
  })

  it('reports a link out of the package and a missing file, not one that resolves', () => {
    const dir = mkdtempSync(join(tmpdir(), 'billingkey-links-'))
    try {
      const markdown = '[ok](./README.md) [out](../core) [missing](API.md) [web](https://x.y)'
      writeFileSync(join(dir, 'README.md'), markdown)
      expect(brokenLinks(dir)).toEqual(['README.md: ../core', 'README.md: API.md'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('packed READMEs', () => {
  let scratch: string
  let tarballs: Record<string, string>

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'billingkey-readme-links-'))
    tarballs = await pack(publicPackages, join(scratch, 'tarballs'))
  })

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  })

  it.each(publicPackages)('$name: every relative link resolves inside its tarball', async (pkg) => {
    const unpacked = join(scratch, pkg.name.replace('/', '+'))
    mkdirSync(unpacked)
    const untar = await run(
      'tar',
      ['-xzf', (tarballs[pkg.name] as string).slice('file:'.length), '-C', unpacked],
      {
        cwd: scratch,
      },
    )
    expect(untar.code, untar.stderr).toBe(0)
    const root = join(unpacked, 'package')
    expect(existsSync(join(root, 'README.md')), 'the tarball has a README').toBe(true)
    expect(brokenLinks(root)).toEqual([])
  })
})
