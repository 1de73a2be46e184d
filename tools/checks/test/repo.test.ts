import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { publicPackages, repoRoot, run } from './workspace'

const require = createRequire(import.meta.url)
const bin = (name: string) => join(repoRoot, 'node_modules/.bin', name)

describe('repository', () => {
  it('passes Biome (lint and format) on every file', async () => {
    const result = await run(bin('biome'), ['ci', '--reporter=summary', '.'], { cwd: repoRoot })
    expect(result.code, result.stdout + result.stderr).toBe(0)
  })

  it('changeset status succeeds (every changed package has a changeset)', async () => {
    const result = await run(bin('changeset'), ['status'], { cwd: repoRoot })
    expect(result.code, result.stdout + result.stderr).toBe(0)
  })

  it('versions public packages independently and keeps private ones out of releases', () => {
    const config = JSON.parse(readFileSync(join(repoRoot, '.changeset/config.json'), 'utf8'))
    expect(config.fixed).toEqual([])
    expect(config.linked).toEqual([])
    expect(config.access).toBe('public')
    expect(config.privatePackages).toEqual({ version: false, tag: false })
    expect(publicPackages.length).toBeGreaterThanOrEqual(7)
  })

  // Issue 15: the same file roles in every provider package, so knowing one is knowing all.
  it('gives every provider package the same file roles', () => {
    const roles = [
      'client.ts',
      'payments.ts',
      'input.ts',
      'errors.ts',
      'model.ts',
      'adapter.ts',
      'api.ts',
      'types.ts',
      'index.ts',
    ]
    for (const provider of ['iamport', 'bootpay', 'portone']) {
      const missing = roles.filter(
        (role) => !existsSync(join(repoRoot, 'packages', provider, 'src', role)),
      )
      expect(missing, `packages/${provider}/src lacks`).toEqual([])
    }
  })
})

describe('size budgets (size-limit, gzip, dependencies included)', async () => {
  const result = await run(
    join(repoRoot, 'tools/checks/node_modules/.bin/size-limit'),
    ['--json'],
    {
      cwd: join(repoRoot, 'tools/checks'),
    },
  )
  const entries = JSON.parse(result.stdout || '[]') as {
    name: string
    passed: boolean
    size: number
  }[]
  const budgets: { name: string; limit: string }[] & { goals: Record<string, string> } =
    require('../.size-limit.cjs')

  it('measures every budgeted entry', () => {
    expect(result.stderr).toBe('')
    expect(entries.map((e) => e.name)).toEqual(budgets.map((b) => b.name))
  })

  it('keeps the goals: 5 kB for each provider client, 8 kB for the facade', () => {
    expect(budgets.goals).toEqual({
      '@billingkey/iamport: createIamportClient': '5 kB',
      '@billingkey/bootpay: createBootpayClient': '5 kB',
      '@billingkey/portone: createPortoneClient': '5 kB',
      '@billingkey/client: createBillingKeys': '8 kB',
    })
    // Where a goal is missed, say by how much (the budget then guards today's size).
    for (const [name, goal] of Object.entries(budgets.goals)) {
      const size = entries.find((e) => e.name === name)?.size ?? 0
      const over = size - Number.parseFloat(goal) * 1000
      console.log(`size: ${name} ${size} B, goal ${goal}${over > 0 ? `, ${over} B over` : ', met'}`)
    }
  })

  it.each(entries)('$name stays within its budget ($size bytes)', (entry) => {
    expect(entry.passed).toBe(true)
  })
})
