import { createBootpayAdapter, createBootpayClient } from '@billingkey/bootpay'
import { createIamportAdapter, createIamportClient } from '@billingkey/iamport'
import { bootpayWire, iamportWire, type WireOptions } from './wire'

/** Secrets the tests hand the clients; none may ever show up in a result, error or report. */
export const SECRETS = ['imp-secret-do-not-leak', 'bootpay-private-key-do-not-leak'] as const

/**
 * The real provider adapters (`iamport`, `bootpay`: what createBillingKeys takes) on the real
 * clients (`iamportClient`, `bootpayClient`) over the emulated wires. No retries: a 500 is final
 * at once.
 */
export function providers(
  options: { iamport?: WireOptions; bootpay?: WireOptions; maxUrlLength?: number } = {},
) {
  const iamportSide = iamportWire(options.iamport)
  const bootpaySide = bootpayWire(options.bootpay)
  const iamportClient = createIamportClient({
    apiKey: 'imp-key',
    apiSecret: SECRETS[0],
    fetch: iamportSide.fetch as typeof fetch,
    maxRetries: 0,
    maxUrlLength: options.maxUrlLength,
  })
  const bootpayClient = createBootpayClient({
    applicationId: 'bootpay-app',
    privateKey: SECRETS[1],
    fetch: bootpaySide.fetch as typeof fetch,
    maxRetries: 0,
  })
  return {
    iamport: createIamportAdapter(iamportClient),
    bootpay: createBootpayAdapter(bootpayClient),
    iamportClient,
    bootpayClient,
    iamportLog: iamportSide.log,
    bootpayLog: bootpaySide.log,
  }
}
