import { realpathSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, test } from 'vitest'

// A team that installs one provider must not ship the other: the facade reaches providers only
// through the adapters it is given. Bundle small programs the way a user's bundler would and look
// at what went in (by module path) and what came out (each provider's API paths).

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(resolve(packageDir, 'package.json'))
const providerDir = (name: string) =>
  dirname(realpathSync(require.resolve(`@billingkey/${name}/package.json`)))

const providers = {
  iamport: {
    dir: providerDir('iamport'),
    // lookups, then the charge and the lookup by order key that keys.charge/findPayment reach
    strings: [
      '/subscribe/customers',
      '/users/getToken',
      '/subscribe/payments/again',
      '/payments/find/{merchant_uid}',
    ],
    program: `import { createIamportAdapter, createIamportClient } from '@billingkey/iamport'
export const iamport = createIamportAdapter(createIamportClient({ apiKey: 'key', apiSecret: 'secret' }))`,
  },
  bootpay: {
    dir: providerDir('bootpay'),
    strings: [
      '/v2/billing_key',
      '/v2/subscribe/billing_key',
      '/v2/request/token',
      '/v2/subscribe/payment',
      '/v2/lookup/order/{order_id}',
    ],
    program: `import { createBootpayAdapter, createBootpayClient } from '@billingkey/bootpay'
export const bootpay = createBootpayAdapter(createBootpayClient({ applicationId: 'app', privateKey: 'key' }))`,
  },
  portone: {
    dir: providerDir('portone'),
    strings: [
      'api.portone.io',
      '/billing-keys/{billingKey}',
      '/payment-schedules',
      '/payments/{paymentId}/billing-key',
    ],
    program: `import { createPortoneAdapter, createPortoneClient } from '@billingkey/portone'
export const portone = createPortoneAdapter(createPortoneClient({ apiSecret: 'secret' }))`,
  },
}

type Provider = keyof typeof providers
const names = Object.keys(providers) as Provider[]

async function bundle(imports: Provider[]) {
  const contents = [
    `import { createBillingKeys } from '@billingkey/client'`,
    ...imports.map((name) => providers[name].program),
    `export const keys = createBillingKeys({ ${imports.join(', ')} })`,
    // A program that charges and reconciles through the facade.
    `export const charge = (ref, request) => keys.charge(ref, request)`,
    `export const findPayment = (provider, orderId) => keys.findPayment(provider, orderId)`,
  ].join('\n')
  const result = await build({
    stdin: { contents, resolveDir: packageDir, sourcefile: 'program.ts', loader: 'ts' },
    // The facade from source: what dist/ is built from, and always current in a test run.
    alias: { '@billingkey/client': resolve(packageDir, 'src/index.ts') },
    absWorkingDir: packageDir,
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.text ?? ''
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => input !== 'program.ts')
    .map((input) => realpathSync(resolve(packageDir, input)))
  const contains = (name: Provider) => ({
    modules: inputs.some((input) => input.startsWith(`${providers[name].dir}/`)),
    strings: providers[name].strings.filter((s) => code.includes(s)),
  })
  return {
    facade: inputs.some((input) => input.startsWith(resolve(packageDir, 'src'))),
    ...(Object.fromEntries(names.map((name) => [name, contains(name)])) as Record<
      Provider,
      ReturnType<typeof contains>
    >),
  }
}

const none = { modules: false, strings: [] }

describe('tree-shaking: a program carries only the providers it configures', () => {
  test.each(names)('%s only: no other provider module and no other provider path', async (name) => {
    const out = await bundle([name])
    expect(out.facade).toBe(true)
    expect(out[name]).toEqual({ modules: true, strings: providers[name].strings })
    for (const other of names.filter((n) => n !== name)) expect(out[other]).toEqual(none)
  })

  test('the check bites: a program with every provider carries every one', async () => {
    const out = await bundle(names)
    for (const name of names) {
      expect(out[name]).toEqual({ modules: true, strings: providers[name].strings })
    }
  })
})
