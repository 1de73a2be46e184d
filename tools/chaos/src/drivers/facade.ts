import { createBootpayAdapter } from '@billingkey/bootpay'
import { createBillingKeys } from '@billingkey/client'
import type { BillingKeyRef, ProviderName } from '@billingkey/core'
import { createIamportAdapter } from '@billingkey/iamport'
import { createPortoneAdapter } from '@billingkey/portone'
import type { ChaosDriver, ChaosKeys } from '../engine'
import { bootpay } from './bootpay'
import { iamport } from './iamport'
import { portone } from './portone'

/** The provider drivers the facade charges through: their faults, keys and wire readers. */
const providers = { iamport, bootpay, portone }
const names = Object.keys(providers) as ProviderName[]

/** A provider driver's key as the facade's ref. */
const refOf: { [P in ProviderName]: (key: string) => BillingKeyRef } = {
  iamport: (customerUid) => ({ provider: 'iamport', customerUid }),
  bootpay: (billingKey) => ({ provider: 'bootpay', billingKey }),
  portone: (billingKey) => ({ provider: 'portone', billingKey }),
}

/** The driver of the provider a request went to: the sandbox serves each under `/<provider>/`. */
const driverOf = (url: string) =>
  (providers as Record<string, ChaosDriver>)[new URL(url).pathname.split('/')[1] ?? '']

const connect = (...args: Parameters<ChaosDriver['connect']>) =>
  createBillingKeys({
    iamport: createIamportAdapter(iamport.connect(...args)),
    bootpay: createBootpayAdapter(bootpay.connect(...args)),
    portone: createPortoneAdapter(portone.connect(...args)),
  })

type Facade = ReturnType<typeof connect>

/**
 * `@billingkey/client`'s `keys.charge(ref, { orderId, amount, name })` over a facade of all three
 * providers' adapters, each on its provider client on the same `fetch`, charging a mix of their
 * keys. Everything provider-specific (faults, refusals, what an answer told, which request is a
 * charge) is the provider driver's, chosen by the request's URL.
 */
export const facade: ChaosDriver<Facade, BillingKeyRef> = {
  name: 'facade',
  faults: Object.values(providers).flatMap((d) => d.faults),
  tokenLifetimeMs: Math.max(...Object.values(providers).map((d) => d.tokenLifetimeMs ?? 0)),
  refusals: [...new Set(Object.values(providers).flatMap((d) => d.refusals))],
  connect,
  keys(seed) {
    const keys = names.map((name) => [name, providers[name].keys(seed)] as const)
    const longest = Math.max(...keys.map(([, k]) => k.active.length))
    return {
      // Turn by turn: an iamport key, a Bootpay key, a PortOne key, ...
      active: Array.from({ length: longest }, (_, i) =>
        keys.flatMap(([name, k]) =>
          i < k.active.length ? [refOf[name](k.active[i] as string)] : [],
        ),
      ).flat(),
      unknown(index) {
        const [name, k] = keys[index % keys.length] as (typeof keys)[number]
        return refOf[name](k.unknown(index) as string)
      },
      declining: [...new Set(keys.flatMap(([, k]) => k.declining))],
    } satisfies ChaosKeys<BillingKeyRef>
  },
  charge: (keys, ref, order, options) => keys.charge(ref, order, options),
  find: (keys, ref, orderId) => keys.findPayment(ref, orderId),
  told: (body, answered) => driverOf(answered.url)?.told(body, answered),
  chargeRequest: async (request) => driverOf(request.url)?.chargeRequest(request),
  notProcessed: (error) => Object.values(providers).some((d) => d.notProcessed(error)),
}
