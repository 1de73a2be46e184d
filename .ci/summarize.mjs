// Sums the vitest JSON results that `pnpm test` wrote (.vitest/results.json in each workspace
// package) and prints the closing line `N passed, N failed`. Exits non-zero when the test command
// failed, a test failed, or a package with a test script wrote no results.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const testStatus = Number(process.argv[2] ?? 1)
const dirs = ['packages', 'tools']
  .flatMap((parent) => readdirSync(parent).map((name) => join(parent, name)))
  .concat(existsSync('docs/package.json') ? ['docs'] : [])
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.test)

let passed = 0
let failed = 0
const problems = []
for (const dir of dirs) {
  const file = join(dir, '.vitest/results.json')
  if (!existsSync(file)) {
    problems.push(`${dir}: no test results (did its build or test task fail before running?)`)
    continue
  }
  const results = JSON.parse(readFileSync(file, 'utf8'))
  passed += results.numPassedTests
  failed += results.numFailedTests
  if (!results.success && results.numFailedTests === 0)
    problems.push(`${dir}: the test run reported errors outside any test`)
}
for (const problem of problems) console.log(`ci: ${problem}`)
if (testStatus !== 0) console.log(`ci: the test command exited with status ${testStatus}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(testStatus === 0 && failed === 0 && problems.length === 0 ? 0 : 1)
