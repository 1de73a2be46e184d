// The engine's checks can fail: clients that break the money rule, each caught.
import { type ChargeResult, ResponseError } from '@billingkey/core'
import { describe, expect, it } from 'vitest'
import { type ChaosDriver, drivers, iamport, runChaos } from '../src/index'

const base = iamport as ChaosDriver
const small = { seed: 17, charges: 300, workers: 16 }

describe('runChaos', () => {
  it('counts an unknown outcome reported as declined as a disagreement', async () => {
    const guessing: ChaosDriver = {
      ...base,
      async charge(...args) {
        const result = await base.charge(...args)
        if (result.outcome !== 'unknown') return result
        const declined: ChargeResult = {
          outcome: 'declined',
          orderId: result.orderId,
          code: null,
          reason: null,
          payment: null,
          error: null,
        }
        return declined
      },
    }
    const figures = await runChaos(guessing, small)
    expect(figures.unknown.total).toBe(0)
    expect(figures.disagreements).toContainEqual(
      expect.stringMatching(/reported declined, but the ledger has it paid/),
    )
  })

  it('counts a charge re-sent after a lost answer without an idempotency key', async () => {
    const resending: ChaosDriver = {
      ...base,
      async charge(client, key, order, options) {
        const result = await base.charge(client, key, order, options)
        if (result.outcome !== 'unknown') return result
        return base.charge(client, key, order, { ...options, signal: AbortSignal.timeout(200) })
      },
    }
    const figures = await runChaos(resending, small)
    expect(figures.disagreements).toContainEqual(
      expect.stringMatching(/charge re-sent without an idempotency key after (no answer|5\d\d)/),
    )
  })

  it('counts a re-send under an idempotency key as a retried charge, not a disagreement', async () => {
    const keyed: ChaosDriver = {
      ...base,
      async chargeRequest(request) {
        const charge = await base.chargeRequest(request)
        return charge && { ...charge, idempotencyKey: charge.orderId }
      },
      async charge(client, key, order, options) {
        const result = await base.charge(client, key, order, options)
        if (result.outcome !== 'unknown') return result
        return base.charge(client, key, order, { ...options, signal: AbortSignal.timeout(200) })
      },
    }
    const figures = await runChaos(keyed, small)
    expect(figures.retriedCharges).toBeGreaterThan(0)
    expect(figures.disagreements.filter((d) => d.includes('re-sent'))).toEqual([])
  })
})

// Each driver reads its provider's wire: the statuses answers told, and its charge requests.
describe.each(drivers.map((driver) => [driver.name, driver as ChaosDriver] as const))(
  '%s driver',
  (name, driver) => {
    // A paid charge reported unknown, caught only if the driver reads what the answers told.
    const hiding: ChaosDriver = {
      ...driver,
      async charge(...args) {
        const result = await driver.charge(...args)
        if (result.outcome !== 'paid') return result
        const unknown: ChargeResult = {
          outcome: 'unknown',
          orderId: result.orderId,
          error: new ResponseError('hidden by the test', {
            provider: result.payment.provider,
            operation: 'charge',
          }),
          payment: null,
        }
        return unknown
      },
    }

    it("reads the status a charge's answer told: a paid charge reported unknown is caught", async () => {
      // No faults: every outcome comes from the charge's own answer, none from a lookup.
      const figures = await runChaos({ ...hiding, faults: [] }, small)
      expect(figures.disagreements).toContainEqual(
        expect.stringMatching(`unknown, though ${name} told it`),
      )
    })

    it('reads the status a lookup told: a paid charge reported unknown is caught', async () => {
      // Every charge's answer is lost after the commit: every outcome comes from a lookup.
      const lost = driver.faults
        .filter((rule) => rule.kind === 'commit-then-reset')
        .map((rule) => ({ ...rule, rate: 1 }))
      const figures = await runChaos({ ...hiding, faults: lost }, small)
      expect(figures.faults['commit-then-reset']).toBeGreaterThan(0)
      expect(figures.disagreements).toContainEqual(
        expect.stringMatching(`unknown, though ${name} told it`),
      )
    })

    it('recognises its charge requests and their idempotency keys: an unsafe re-send is caught', async () => {
      // The caller re-sends after a lost answer, and every request's Idempotency-Key (where the
      // client sends one: PortOne) is replaced by a fresh one, so no re-send is safe.
      let sent = 0
      const resending: ChaosDriver = {
        ...driver,
        connect: (sandbox, fetch) =>
          driver.connect(sandbox, (input, init) => {
            const request = new Request(input, init)
            if (request.headers.has('idempotency-key'))
              request.headers.set('idempotency-key', `"tampered-key-${sent++}"`)
            return fetch(request)
          }),
        async charge(client, key, order, options) {
          const result = await driver.charge(client, key, order, options)
          if (result.outcome !== 'unknown') return result
          return driver.charge(client, key, order, { ...options, signal: AbortSignal.timeout(200) })
        },
      }
      const figures = await runChaos(resending, small)
      expect(figures.disagreements).toContainEqual(
        expect.stringMatching(/charge re-sent (without an|under another) idempotency key/),
      )
    })
  },
)
