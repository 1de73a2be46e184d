// The chaos proof of issues 17–19, per driver: thousands of charges through faults at every point
// against the in-process sandbox, checked against its ledger (src/engine.ts).
import { expect, it } from 'vitest'
import { drivers, formatFigures, runChaos } from '../src/index'

const CHARGES = 2_000
/** The drivers that charge through PortOne V2's client (the facade charges its keys in turn). */
const RESENDING = new Set(['portone', 'facade'])

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
    // PortOne's client re-sends a charge after a lost answer, under its idempotency key; the
    // others never re-send one (a re-send without a key would be a disagreement above).
    expect(figures.retriedCharges > 0).toBe(RESENDING.has(driver.name))
    expect(figures.violations).toEqual([])
  })
}
