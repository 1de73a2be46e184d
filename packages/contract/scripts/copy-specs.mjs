// Ships the provider specs inside the package: `loadSpec('iamport')` reads specs/iamport.yaml
// beside dist/, so the sandbox and the CLI work from an installed copy. The copies are git-ignored;
// specs/<provider>/openapi.yaml at the repository root is the one to edit.
import { copyFileSync, mkdirSync } from 'node:fs'

const source = new URL('../../../specs/', import.meta.url)
const target = new URL('../specs/', import.meta.url)
mkdirSync(target, { recursive: true })
for (const provider of ['iamport', 'bootpay']) {
  copyFileSync(new URL(`${provider}/openapi.yaml`, source), new URL(`${provider}.yaml`, target))
}
