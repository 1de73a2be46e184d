import * as errors from '@billingkey/core/errors'
import { expect, it } from 'vitest'
import * as portone from '../src'

it("re-exports core's public error list, every name the same class", () => {
  expect(Object.keys(errors).length).toBeGreaterThan(10)
  for (const [name, value] of Object.entries(errors)) expect(portone).toHaveProperty(name, value)
  expect(portone.BillingKeyExpiredError).toBe(errors.BillingKeyExpiredError)
})
