import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, release, totalmem, type } from 'node:os'
import { fileURLToPath } from 'node:url'
import { scaleAudit } from './comparisons/audit'
import { bulk } from './comparisons/bulk'
import { bundleSize } from './comparisons/bundle'
import { charges } from './comparisons/charges'
import { code } from './comparisons/code'
import { imports } from './comparisons/imports'
import { load } from './comparisons/load'
import { overhead } from './comparisons/overhead'
import { throughput } from './comparisons/throughput'
import { tokens } from './comparisons/tokens'
import { type Machine, render, type Section } from './report'
import { only, settings } from './settings'

const comparisons: Record<string, () => Promise<Section>> = {
  overhead,
  throughput,
  bulk,
  tokens,
  bundle: bundleSize,
  imports,
  load,
  charges,
  code,
  audit: scaleAudit,
}

const unknown = only?.filter((name) => !(name in comparisons))
if (unknown?.length) {
  throw new Error(
    `BILLINGKEY_BENCH_ONLY: no comparison ${unknown.join(', ')} (${Object.keys(comparisons)})`,
  )
}

const machine: Machine = {
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  memoryGb: totalmem() / 2 ** 30,
  os: `${type()} ${release()}`,
  node: process.version,
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  load: loadavg(),
}
console.log(`bench: ${machine.cpu}, ${machine.cores} cores, load ${machine.load.join(' ')}`)

const sections: Section[] = []
for (const [name, run] of Object.entries(comparisons)) {
  if (only && !only.includes(name)) continue
  const started = performance.now()
  console.log(`bench: ${name} …`)
  const section = await run()
  console.log(`bench: ${name} done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  console.log(`\n## ${section.title}\n\n${section.body}\n`)
  sections.push(section)
}

if (!only) {
  const file = fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url))
  writeFileSync(file, render({ machine, loadAtEnd: loadavg(), settings, sections }))
  // Biome formats Markdown too (aligned tables): the file passes `biome ci` as written.
  const biome = fileURLToPath(new URL('../../../node_modules/.bin/biome', import.meta.url))
  execFileSync(biome, ['format', '--write', file], { stdio: 'ignore' })
  console.log(`bench: wrote ${file}`)
}
