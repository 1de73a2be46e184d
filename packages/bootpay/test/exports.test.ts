import * as errors from '@billingkey/core/errors'
import { expect, it } from 'vitest'
import * as bootpay from '../src'

it("re-exports core's public error list, every name the same class", () => {
  expect(Object.keys(errors).length).toBeGreaterThan(10)
  for (const [name, value] of Object.entries(errors)) expect(bootpay).toHaveProperty(name, value)
  expect(bootpay.BillingKeyExpiredError).toBe(errors.BillingKeyExpiredError)
})
