import { createBootpayClient } from '@billingkey/bootpay'
import { createIamportClient } from '@billingkey/iamport'
import { bootpayWire, iamportWire, type WireOptions } from './wire'

/** Secrets the tests hand the clients; none may ever show up in a result, error or report. */
export const SECRETS = ['imp-secret-do-not-leak', 'bootpay-private-key-do-not-leak'] as const

/** The real provider clients over the emulated wires. No retries: a 500 is final at once. */
export function providers(
  options: { iamport?: WireOptions; bootpay?: WireOptions; maxUrlLength?: number } = {},
) {
  const iamportSide = iamportWire(options.iamport)
  const bootpaySide = bootpayWire(options.bootpay)
  return {
    iamport: createIamportClient({
      apiKey: 'imp-key',
      apiSecret: SECRETS[0],
      fetch: iamportSide.fetch as typeof fetch,
      maxRetries: 0,
      maxUrlLength: options.maxUrlLength,
    }),
    bootpay: createBootpayClient({
      applicationId: 'bootpay-app',
      privateKey: SECRETS[1],
      fetch: bootpaySide.fetch as typeof fetch,
      maxRetries: 0,
    }),
    iamportLog: iamportSide.log,
    bootpayLog: bootpaySide.log,
  }
}
