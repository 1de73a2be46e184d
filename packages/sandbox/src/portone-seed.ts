import { CARD_ISSUERS, type CardIssuer, GIVEN_NAMES, SURNAMES } from './catalog'
import { DEMO_PORTONE_CREDENTIALS } from './credentials'
import { deriveRandom, digits, hex, int, pick, type Random, weighted } from './random'
import type { SeededIamportKey } from './seed'
import { DAY } from './time'
import type { IamportChannel, IamportKey, PortoneSchemas } from './wire'

/** The fields of a key besides `status` and `deletedAt`, which the emulator keeps. */
export type PortoneKeyFields = PortoneSchemas['BillingKeyInfoFields']

/**
 * A PortOne V2 key of the data set: a V2 key (`billing-key-…`), or a key issued through iamport
 * (V1), which V2 lists and looks up by its `customer_uid` [I, from the 2024-06-20 release note's
 * V1 and V2 badges; facts §2a]. Fields are made on first read, as the other providers' are.
 */
export interface SeededPortoneKey {
  readonly billingKey: string
  readonly version: 'V1' | 'V2'
  readonly deleted: boolean
  readonly fields: PortoneKeyFields
  /** Epoch ms; only for a deleted key. */
  readonly deletedAt: number | undefined
}

/** The merchant every sandbox key and payment belongs to. */
export const PORTONE_MERCHANT_ID = 'merchant-sandbox-0000-7000-8000-000000000001'

/** V2 keys in the data set; every third listed key is a V1 key instead (see createPortoneKeys). */
export const PORTONE_V2_KEYS = 500
export const PORTONE_V1_KEYS = 250

/** V2 channels a seeded key is issued on, by share: `pgProvider` and a test MID. */
const V2_CHANNELS = [
  ['NICE_V2', 'nicepay00m', 24],
  ['INICIS_V2', 'INIBillTst', 18],
  ['KCP_V2', 'T0000', 16],
  ['TOSSPAYMENTS', 'tosstest', 20],
  ['KSNET', '2999199999', 8],
  ['WELCOME', 'welcometst', 8],
  ['SMARTRO_V2', 't_2311011m', 6],
] as const

const iso = (ms: number) => new Date(ms).toISOString()

/** A channel as V2 reports it; iamport's PG names are V2's `PgProvider` in capitals. */
export function portoneChannel(pgProvider: string, pgMerchantId: string, test: boolean) {
  const slug = pgProvider.toLowerCase().replace(/_/g, '-')
  return {
    type: test ? ('TEST' as const) : ('LIVE' as const),
    id: `channel-id-${slug}`,
    key: `channel-key-${slug}`,
    name: `${pgProvider} ${test ? '테스트' : '운영'}`,
    pgProvider,
    pgMerchantId,
  }
}

function cardMethod(issuer: CardIssuer, number: string, kind: 'CREDIT' | 'DEBIT' | undefined) {
  return {
    type: 'BillingKeyPaymentMethodCard' as const,
    card: {
      publisher: issuer.portone,
      issuer: issuer.portone,
      brand: 'LOCAL',
      ...(kind && { type: kind }),
      ownerType: 'PERSONAL',
      bin: number.slice(0, 8),
      name: issuer.name,
      number: `${number.slice(0, 6)}******${number.slice(-4)}`,
    },
  }
}

/**
 * The PortOne keys of a data set: V2 keys drawn from their own id stream, and every tenth iamport
 * key (deleted ones too) as a V1 key, interleaved so that any slice has both versions.
 */
export function createPortoneKeys(
  seed: number,
  anchor: number,
  iamport: readonly SeededIamportKey[],
): SeededPortoneKey[] {
  const ids = deriveRandom(seed, 'portone:ids')
  const v2: SeededPortoneKey[] = []
  while (v2.length < PORTONE_V2_KEYS) {
    const billingKey = portoneKeyId(ids)
    v2.push(lazyV2Key(seed, billingKey, ids() < 0.15, anchor))
  }
  const v1 = iamport
    .filter((_, i) => i % 10 === 0)
    .slice(0, PORTONE_V1_KEYS)
    .map((entry) => v1Key(entry, anchor))
  const keys: SeededPortoneKey[] = []
  for (let i = 0, a = 0, b = 0; a < v2.length || b < v1.length; i++) {
    const next = (i % 3 === 2 && b < v1.length) || a >= v2.length ? v1[b++] : v2[a++]
    keys.push(next as SeededPortoneKey)
  }
  return keys
}

function lazyV2Key(
  seed: number,
  billingKey: string,
  deleted: boolean,
  anchor: number,
): SeededPortoneKey {
  let made: { fields: PortoneKeyFields; deletedAt: number | undefined } | undefined
  const make = () => {
    if (made) return made
    const random = deriveRandom(seed, `portone:${billingKey}`)
    const issuedAt = anchor - int(random, 1, 2 * 365) * DAY - int(random, 0, DAY)
    const deletedAt = deleted ? int(random, issuedAt + DAY, anchor - DAY) : undefined
    const [pgProvider, mid] = weighted(
      random,
      V2_CHANNELS.map(([p, m, w]) => [[p, m] as const, w] as const),
    )
    const issuer = pick(random, CARD_ISSUERS)
    const kind = weighted(random, [
      ['CREDIT', 7],
      ['DEBIT', 3],
    ] as const)
    const method = weighted(random, [
      ['card', 85],
      ['easyPay', 10],
      ['transfer', 5],
    ] as const)
    const named = random() < 0.7
    const customer = {
      ...(random() < 0.8 && { id: `customer-${int(random, 1, 999999)}` }),
      ...(named && { name: pick(random, SURNAMES) + pick(random, GIVEN_NAMES) }),
      ...(named && random() < 0.8 && { email: `user${int(random, 1, 99999)}@example.com` }),
      ...(named && random() < 0.85 && { phoneNumber: `010${digits(random, 8)}` }),
    }
    const fields: PortoneKeyFields = {
      billingKey,
      merchantId: PORTONE_MERCHANT_ID,
      storeId: DEMO_PORTONE_CREDENTIALS.storeId,
      methods: [
        method === 'card'
          ? cardMethod(issuer, pick(random, issuer.bins) + digits(random, 8), kind)
          : method === 'easyPay'
            ? { type: 'BillingKeyPaymentMethodEasyPay', provider: 'KAKAOPAY' }
            : {
                type: 'BillingKeyPaymentMethodTransfer',
                bank: 'KOOKMIN',
                accountNumber: `${digits(random, 4)}********${digits(random, 2)}`,
              },
      ],
      channels: [portoneChannel(pgProvider, mid, random() < 0.04)],
      customer,
      issueId: `issue-${hex(random, 16)}`,
      requestedAt: iso(issuedAt - int(random, 2_000, 60_000)),
      issuedAt: iso(issuedAt),
    }
    made = { fields, deletedAt }
    return made
  }
  return {
    billingKey,
    version: 'V2',
    deleted,
    get fields() {
      return make().fields
    },
    get deletedAt() {
      return make().deletedAt
    },
  }
}

/** An iamport key as V2 reports it: its `customer_uid` is the billing key, its PG a channel. */
function v1Key(entry: SeededIamportKey, anchor: number): SeededPortoneKey {
  let made: PortoneKeyFields | undefined
  const fields = () => {
    if (made) return made
    const key: IamportKey = entry.key
    // A super billing key (smart routing) charges its first channel, as at iamport.
    const channel = (
      'channelGroupId' in key ? (key.succeededChannels?.[0] ?? {}) : key
    ) as Partial<IamportChannel> & { sandbox?: boolean | null }
    const inserted = (channel.inserted ?? 0) * 1000
    const issuer = CARD_ISSUERS.find((i) => i.kftc === channel.card_code)
    const number = channel.card_number?.replace(/\*/g, '0')
    const kind = channel.card_type === 0 ? 'CREDIT' : channel.card_type === 1 ? 'DEBIT' : undefined
    made = {
      billingKey: entry.uid,
      merchantId: PORTONE_MERCHANT_ID,
      storeId: DEMO_PORTONE_CREDENTIALS.storeId,
      methods: issuer && number ? [cardMethod(issuer, number, kind)] : [],
      channels: [
        portoneChannel(
          (channel.pg_provider ?? 'nice').toUpperCase(),
          channel.pg_id ?? '',
          channel.sandbox === true,
        ),
      ],
      customer: {
        ...(key.customer_id && { id: key.customer_id }),
        ...(key.customer_name && { name: key.customer_name }),
        ...(key.customer_email && { email: key.customer_email }),
        ...(key.customer_tel && { phoneNumber: key.customer_tel }),
      },
      requestedAt: iso(inserted),
      issuedAt: iso(inserted),
    }
    return made
  }
  return {
    billingKey: entry.uid,
    version: 'V1',
    deleted: entry.deleted,
    get fields() {
      return fields()
    },
    // Deleted half-way between issue and the start, as the iamport history has it.
    get deletedAt() {
      if (!entry.deleted) return undefined
      const issued = Date.parse(fields().issuedAt as string)
      return Math.floor(issued + (anchor - issued) / 2)
    },
  }
}

/** A V2 billing key: `billing-key-` and a UUIDv7-shaped id, as PortOne issues them. */
export function portoneKeyId(random: Random): string {
  return `billing-key-${hex(random, 8)}-${hex(random, 4)}-7${hex(random, 3)}-8${hex(random, 3)}-${hex(random, 12)}`
}
