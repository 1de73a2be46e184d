import {
  type BillingKeyAdapter,
  type ChargeRequest,
  PROVIDERS,
  type ProviderName,
  ValidationError,
} from '@billingkey/core'
import { parseRef } from './refs'

type Fail = (field: string, rule: string) => never

/**
 * Checks what the facade can check of a charge before any request: the fields every provider
 * shares. Length and character rules are the provider's (its client checks them, also before any
 * request). The facade never fills in a missing order key.
 */
export function checkChargeRequest(request: unknown, provider: ProviderName): void {
  const fail: Fail = (field, rule) => {
    throw new ValidationError(`request.${field} ${rule}`, {
      field: `request.${field}`,
      provider,
      operation: 'charge',
    })
  }
  if (typeof request !== 'object' || request === null) fail('orderId', 'is required')
  const { orderId, amount, name, currency, taxFree, customer, extra } = request as ChargeRequest
  if (typeof orderId !== 'string' || orderId === '')
    fail('orderId', 'is required: your order key, stored before the charge')
  if (!Number.isSafeInteger(amount) || amount <= 0) fail('amount', 'must be a positive integer')
  if (typeof name !== 'string' || !/\S/.test(name)) fail('name', 'is required')
  if (currency !== undefined && (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)))
    fail('currency', 'must be an ISO 4217 code such as KRW')
  if (
    taxFree !== undefined &&
    !(Number.isSafeInteger(taxFree) && taxFree >= 0 && taxFree <= amount)
  )
    fail('taxFree', 'must be an integer from 0 to amount')
  if (customer !== undefined) {
    if (typeof customer !== 'object' || customer === null) fail('customer', 'must be an object')
    for (const field of ['name', 'email', 'phone'] as const) {
      const value = customer[field]
      if (value !== undefined && typeof value !== 'string')
        fail(`customer.${field}`, 'must be a string')
    }
  }
  if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra)))
    fail('extra', "must be an object of the provider's own fields")
}

/** The provider `findPayment` asks: a configured provider's name, or a ref of one. */
export function providerOf(value: unknown, configured: readonly ProviderName[]): ProviderName {
  if (typeof value !== 'string') return parseRef(value, configured).ref.provider
  const provider = value as ProviderName
  if (!(PROVIDERS as readonly string[]).includes(value) || !configured.includes(provider)) {
    throw new ValidationError(
      `findPayment takes a configured provider (${configured.map((p) => `'${p}'`).join(', ')}) or a ref of one, got ${
        value.length <= 32 ? `'${value}'` : 'a string'
      }`,
      { field: 'provider' },
    )
  }
  return provider
}

/** The adapter's `method`, or a ValidationError saying the provider package is too old for it. */
export function adapterMethod<M extends 'charge' | 'findPayment'>(
  adapter: BillingKeyAdapter,
  method: M,
): NonNullable<BillingKeyAdapter[M]> {
  const fn = adapter[method]
  if (typeof fn !== 'function') {
    throw new ValidationError(
      `The ${adapter.provider} adapter has no ${method}: update @billingkey/${adapter.provider} to a version whose adapter charges`,
      { field: adapter.provider, provider: adapter.provider, operation: method },
    )
  }
  return fn.bind(adapter) as NonNullable<BillingKeyAdapter[M]>
}
