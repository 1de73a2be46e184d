// The chaos proof of issues 17–19, per driver: thousands of charges through faults at every point
// against the in-process sandbox, checked against its ledger (src/engine.ts).
import { expect, it } from 'vitest'
import { drivers, formatFigures, runChaos } from '../src/index'

const CHARGES = 2_000

for (const driver of drivers) {
  it(`${driver.name}: ${CHARGES} charges through faults at every point: no double charge, no disagreement with the ledger`, async () => {
    const figures = await runChaos(driver, { seed: 17, charges: CHARGES })
    console.log(formatFigures(figures))
    expect(figures.charges).toBe(CHARGES)
    expect(figures.doubleCharges).toEqual([])
    expect(figures.disagreements).toEqual([])
    // Every fault kind struck, and the token expired under the client more than once.
    for (const rule of driver.faults) expect(figures.faults[rule.kind]).toBeGreaterThan(0)
    if (driver.tokenLifetimeMs !== null) expect(figures.answers401).toBeGreaterThan(0)
    expect(figures.violations).toEqual([])
  }, 240_000)
}
