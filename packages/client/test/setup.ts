import { createBootpayAdapter, createBootpayClient } from '@billingkey/bootpay'
import { createIamportAdapter, createIamportClient } from '@billingkey/iamport'
import { createSandbox, type SandboxOptions, sampleRefs } from '@billingkey/sandbox'
import { type Fetch, recordingFetch, type WireLog, type WireOptions } from './recording'
import { bootpayWire, iamportWire } from './wire'

/** Secrets the tests hand the clients; none may ever show up in a result, error or report. */
export const SECRETS = ['imp-secret-do-not-leak', 'bootpay-private-key-do-not-leak'] as const

interface Wires {
  iamport: { fetch: Fetch; log: WireLog; baseUrl?: string; credentials?: object }
  bootpay: { fetch: Fetch; log: WireLog; baseUrl?: string; credentials?: object }
}

/** The real adapters on the real clients over the given wires. */
function build(wires: Wires, maxUrlLength?: number, maxRetries = 0) {
  const iamportClient = createIamportClient({
    apiKey: 'imp-key',
    apiSecret: SECRETS[0],
    ...wires.iamport.credentials,
    baseUrl: wires.iamport.baseUrl,
    fetch: wires.iamport.fetch as typeof fetch,
    maxRetries,
    maxUrlLength,
  })
  const bootpayClient = createBootpayClient({
    applicationId: 'bootpay-app',
    privateKey: SECRETS[1],
    ...wires.bootpay.credentials,
    baseUrl: wires.bootpay.baseUrl,
    fetch: wires.bootpay.fetch as typeof fetch,
    maxRetries,
  })
  return {
    iamport: createIamportAdapter(iamportClient),
    bootpay: createBootpayAdapter(bootpayClient),
    iamportClient,
    bootpayClient,
    iamportLog: wires.iamport.log,
    bootpayLog: wires.bootpay.log,
  }
}

interface ProviderOptions {
  iamport?: WireOptions
  bootpay?: WireOptions
  maxUrlLength?: number
  /** Default 0: a 500 is final at once. */
  maxRetries?: number
}

/**
 * The real provider adapters (`iamport`, `bootpay`: what createBillingKeys takes) on the real
 * clients (`iamportClient`, `bootpayClient`) over the sandbox, in process (no port). Pass
 * `sandbox: { validateResponses: true }` to have its answers checked against the spec too.
 */
export function sandboxProviders(options: ProviderOptions & { sandbox?: SandboxOptions } = {}) {
  const sandbox = createSandbox(options.sandbox)
  const side = (provider: 'iamport' | 'bootpay') => {
    const { baseUrl } = sandbox[provider]
    return {
      ...recordingFetch(sandbox.fetch, baseUrl, options[provider]),
      baseUrl,
      credentials: sandbox.credentials[provider],
    }
  }
  return {
    ...build(
      { iamport: side('iamport'), bootpay: side('bootpay') },
      options.maxUrlLength,
      options.maxRetries,
    ),
    sandbox,
  }
}

/** The same over the scripted wires of wire.ts, for the answers the sandbox cannot give. */
export function providers(options: ProviderOptions = {}) {
  return build(
    { iamport: iamportWire(options.iamport), bootpay: bootpayWire(options.bootpay) },
    options.maxUrlLength,
    options.maxRetries,
  )
}

const samples = sampleRefs({
  counts: { iamport: { active: 600, unknown: 8 }, bootpay: { active: 1200, deleted: 8 } },
})

/** Ids of the sandbox's data set of one category and id kind, in the sample's order. */
export function seededIds(
  category: 'active' | 'unknown' | 'deleted',
  field: 'customerUid' | 'receiptId' | 'billingKey',
): string[] {
  return samples.flatMap((s) =>
    s.category === category && field in s.ref
      ? [(s.ref as unknown as Record<string, string>)[field] as string]
      : [],
  )
}

function seeded(
  category: 'active' | 'unknown' | 'deleted',
  field: 'customerUid' | 'receiptId' | 'billingKey',
): string {
  const [id] = seededIds(category, field)
  if (!id) throw new Error(`the sample has no ${category} ${field}`)
  return id
}

/** Ids of the sandbox's data set, by what the sandbox answers for them. */
export const SEEDED = {
  customerUid: seeded('active', 'customerUid'),
  unknownCustomerUid: seeded('unknown', 'customerUid'),
  receiptId: seeded('active', 'receiptId'),
  billingKey: seeded('active', 'billingKey'),
  deletedBillingKey: seeded('deleted', 'billingKey'),
}
