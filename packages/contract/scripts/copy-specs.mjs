// Ships the provider specs inside the package: `loadSpec('iamport')` reads specs/iamport.json
// beside dist/, so the sandbox and the CLI work from an installed copy. The JSON is what loads (a
// YAML parse of the specs costs half a second at every start); the YAML copy is there for people
// reading the installed package. Both are git-ignored; specs/<provider>/openapi.yaml at the
// repository root is the one to edit.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'

const source = new URL('../../../specs/', import.meta.url)
const target = new URL('../specs/', import.meta.url)
mkdirSync(target, { recursive: true })
for (const provider of ['iamport', 'bootpay', 'portone']) {
  const yaml = new URL(`${provider}/openapi.yaml`, source)
  copyFileSync(yaml, new URL(`${provider}.yaml`, target))
  writeFileSync(
    new URL(`${provider}.json`, target),
    JSON.stringify(parse(readFileSync(yaml, 'utf8'))),
  )
}
