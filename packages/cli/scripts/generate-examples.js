// Writes examples/keys.csv and examples/keys.jsonl (the same keys) from the sandbox's default
// seed, so `billingkey audit examples/keys.csv` against the embedded sandbox finds them: mostly
// active keys, and some that need action (expiring, expired, deleted, unknown, not a billing
// receipt). Run after a build: pnpm --filter @billingkey/cli run examples [<directory>]
// (the tests run it into a scratch directory to check the committed files are current).
import { mkdirSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { sampleRefs } from '@billingkey/sandbox'

const counts = {
  iamport: { active: 170, deleted: 8, unknown: 6 },
  bootpay: { active: 140, expiring: 8, expired: 12, deleted: 8, unknown: 6, notBilling: 4 },
  portone: { active: 14, deleted: 3, unknown: 3 },
}
const refs = sampleRefs({ counts }).map(({ ref }) => ref)

const columns = ['provider', 'customer_uid', 'receipt_id', 'billing_key']
const row = (ref) => ({
  provider: ref.provider,
  customer_uid: ref.customerUid ?? '',
  receipt_id: ref.receiptId ?? '',
  billing_key: ref.billingKey ?? '',
})

const examples = process.argv[2]
  ? pathToFileURL(`${process.argv[2]}/`)
  : new URL('../../../examples/', import.meta.url)
mkdirSync(examples, { recursive: true })
writeFileSync(
  new URL('keys.csv', examples),
  [columns, ...refs.map((ref) => columns.map((column) => row(ref)[column]))]
    .map((fields) => `${fields.join(',')}\n`)
    .join(''),
)
writeFileSync(
  new URL('keys.jsonl', examples),
  refs
    .map((ref) => {
      const { provider, ...ids } = row(ref)
      const id = Object.entries(ids).find(([, value]) => value)
      return `${JSON.stringify({ provider, [id[0]]: id[1] })}\n`
    })
    .join(''),
)
console.log(`wrote ${refs.length} keys to keys.csv and keys.jsonl in ${examples.pathname}`)
