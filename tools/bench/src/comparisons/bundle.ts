import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { bytes, type Section, table } from '../report'

/** One-lookup programs, the way a user writes them. */
const PROGRAMS: Record<string, string> = {
  '@billingkey/iamport': `
    import { createIamportClient } from '@billingkey/iamport'
    const iamport = createIamportClient({ apiKey: 'key', apiSecret: 'secret' })
    console.log(await iamport.getBillingKey('customer_1'))`,
  '@billingkey/bootpay': `
    import { createBootpayClient } from '@billingkey/bootpay'
    const bootpay = createBootpayClient({ applicationId: 'app', privateKey: 'key' })
    console.log(await bootpay.getBillingKeyByReceipt('62c7ccebcf9f6d001b3adcd4'))`,
  '@billingkey/client (facade) with both providers': `
    import { createBootpayAdapter, createBootpayClient } from '@billingkey/bootpay'
    import { createBillingKeys } from '@billingkey/client'
    import { createIamportAdapter, createIamportClient } from '@billingkey/iamport'
    const keys = createBillingKeys({
      iamport: createIamportAdapter(createIamportClient({ apiKey: 'key', apiSecret: 'secret' })),
      bootpay: createBootpayAdapter(createBootpayClient({ applicationId: 'app', privateKey: 'key' })),
    })
    console.log(await keys.lookup({ provider: 'iamport', customerUid: 'customer_1' }))`,
  '@bootpay/backend-js (official)': `
    import { Bootpay } from '@bootpay/backend-js'
    Bootpay.setConfiguration({ application_id: 'app', private_key: 'key' })
    await Bootpay.getAccessToken()
    console.log(await Bootpay.lookupSubscribeBillingKey('62c7ccebcf9f6d001b3adcd4'))`,
  'iamport-rest-client-nodejs (official)': `
    import { Iamport, Request } from 'iamport-rest-client-nodejs'
    const iamport = new Iamport({ apiKey: 'key', apiSecret: 'secret' })
    console.log(await Request.Customers.getBillingKey({ customer_uid: 'customer_1' }).request(iamport))`,
}

/** Where a bundled file comes from: a workspace package, an npm package, or the program. */
export function origin(path: string): string {
  const workspace = /(?:^|\/)packages\/([^/]+)\//.exec(path)
  if (workspace) return `@billingkey/${workspace[1]}`
  const modules = path.split('node_modules/')
  if (modules.length === 1) return 'the program'
  const rest = (modules.at(-1) as string).split('/')
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] as string)
}

/** Minified bytes in the output per origin, largest first. */
export function breakdown(metafile: Metafile): [string, number][] {
  const totals = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const from = origin(path)
      totals.set(from, (totals.get(from) ?? 0) + bytesInOutput)
    }
  }
  return [...totals].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1])
}

async function bundle(contents: string) {
  const options = {
    stdin: { contents, resolveDir: new URL('..', import.meta.url).pathname, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  } as const
  // The browser first, like size-limit; an SDK that needs Node's modules gets a Node build.
  let why = ''
  for (const platform of ['browser', 'node'] as const) {
    try {
      const { outputFiles, metafile } = await build({ ...options, platform })
      const code = outputFiles[0]?.contents ?? new Uint8Array()
      return {
        platform: why ? `node (for the browser: ${why})` : platform,
        minified: code.length,
        gzip: gzipSync(code, { level: 9 }).length,
        parts: breakdown(metafile),
      }
    } catch (error) {
      if (platform === 'node') throw error
      why = (error as { errors?: { text: string }[] }).errors?.[0]?.text ?? String(error)
    }
  }
  throw new Error('unreachable')
}

/** The paragraph under the table. */
const NOTE =
  'A one-lookup program bundles core’s safety runtime (the transport with timeouts, retries and the 401 replay, single-flight tokens, typed errors, redaction, input validation) and the provider’s own calls. The typed openapi-fetch client for the whole spec is a separate entry (`createIamportApi` from `@billingkey/iamport/api`, `createBootpayApi` from `@billingkey/bootpay/api`) and the facade’s adapter a separate export (`createIamportAdapter`, `createBootpayAdapter`): neither is bundled unless the program imports it. The 5 kB budget of each provider package is checked in CI by size-limit (tools/checks/.size-limit.cjs, `pnpm size`) on an import of its factory; a program adds its own calls on top.'

export async function bundleSize(): Promise<Section> {
  const rows: string[][] = []
  for (const [name, program] of Object.entries(PROGRAMS)) {
    const { platform, minified, gzip, parts } = await bundle(program)
    const shown = parts.slice(0, 5)
    const others = parts.slice(5).reduce((sum, [, n]) => sum + n, 0)
    rows.push([
      name,
      platform,
      bytes(minified),
      bytes(gzip),
      [
        ...shown.map(([from, n]) => `${from} ${bytes(n)} (≈${bytes((gzip * n) / minified)} gz)`),
        ...(others ? [`${parts.length - shown.length} more ${bytes(others)}`] : []),
      ].join('; '),
    ])
  }
  return {
    title: '5. Bundle size',
    body: [
      'A program that looks up one billing key, bundled with esbuild (minified, ESM, dependencies included) for the browser, as size-limit does; a package that needs Node’s own modules is bundled for Node instead, as the platform column says. gzip at level 9. The breakdown gives each origin’s minified bytes in the bundle, and its share of the gzip size in proportion (≈, since gzip does not split exactly).',
      table(
        ['program', 'platform', 'minified', 'gzip', 'minified bytes by origin (≈ gzip share)'],
        rows,
      ),
      NOTE,
    ].join('\n\n'),
  }
}
