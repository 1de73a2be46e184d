import {
  ADDRESSES,
  BANKS,
  BOOTPAY_PGS,
  CARD_ISSUERS,
  cardFields,
  GIVEN_NAMES,
  IAMPORT_PGS,
  type IamportPg,
  maskCardNumber,
  PLANS,
  type Plan,
  SURNAMES,
} from './catalog'
import {
  createPortoneKeys,
  PORTONE_V1_KEYS,
  PORTONE_V2_KEYS,
  portoneKeyId,
  type SeededPortoneKey,
} from './portone-seed'
import { deriveRandom, digits, hex, int, pick, type Random, shuffle, weighted } from './random'
import { BANK_KEY_EXPIRY, DAY, kstEndOfDay, unixSeconds } from './time'
import type { BootpayBillingData, IamportKey } from './wire'

/** The seed used when none is given; example files generated from it match the default sandbox. */
export const DEFAULT_SEED = 20240528

/** How many keys the data set holds per provider (besides Bootpay's non-billing receipts). */
export const DATA_SET_SIZE = {
  iamport: 2500,
  bootpay: 2560,
  /** V2 keys, and V1 keys (a tenth of the iamport ones, by the same `customer_uid`). */
  portone: PORTONE_V2_KEYS + PORTONE_V1_KEYS,
} as const

/**
 * Bootpay card keys that expire within a month of the sandbox clock at start. They are drawn from
 * their own id stream after the others, so adding them changed no id or category drawn before.
 */
const EXPIRING_BOOTPAY_KEYS = 60
/** The Bootpay keys drawn from the main id stream: active, expired and deleted. */
const DRAWN_BOOTPAY_KEYS = DATA_SET_SIZE.bootpay - EXPIRING_BOOTPAY_KEYS

/**
 * Expiring keys expire at the end of a day (KST) this many days after the clock at start: an audit
 * within a couple of days of the start counts them as expiring within its default 30 days, and
 * not yet expired.
 */
const EXPIRING_WITHIN_DAYS = { min: 3, max: 27 } as const

export type BootpayCategory = 'active' | 'expiring' | 'expired' | 'deleted'

/**
 * A seeded key: its id and category are drawn with the data set; its fields (`key`, `plan`) are
 * generated from the id's own stream when first read, then kept. A run reads a few hundred of the
 * thousands of keys, and the values are the same whenever and in whatever order they are read.
 */
export interface SeededIamportKey {
  readonly uid: string
  /** Issued and later deleted: the API no longer knows it, but its payment history remains. */
  readonly deleted: boolean
  readonly key: IamportKey
  readonly plan: Plan
}

/** A seeded Bootpay key: ids and category drawn with the data set, `key` made when first read. */
export interface SeededBootpayKey {
  readonly receiptId: string
  readonly billingKey: string
  readonly category: BootpayCategory
  /** Made once and kept: the emulator marks this object destroyed when the key is deleted. */
  readonly key: BootpayKey
}

/** A billing key and the receipt that issued it; times in epoch ms. */
export interface BootpayKey {
  receipt_id: string
  billing_key: string
  subscription_id: string
  /** Display name, e.g. 나이스페이먼츠. */
  pg: string
  method: 'card' | 'bank'
  billing_data: BootpayBillingData
  requestedAt: number
  publishedAt: number
  expireAt: number
  sandbox: boolean
  destroyed: boolean
  /** The merchant's `metadata` of the issue request, returned as sent. */
  metadata: Record<string, unknown>
}

export interface DataSet {
  iamport: SeededIamportKey[]
  bootpay: {
    keys: SeededBootpayKey[]
    /** Receipts of ordinary payments: looking one up as a billing key is RC_NOT_SUBSCRIBE. */
    paymentReceipts: string[]
  }
  portone: SeededPortoneKey[]
}

/**
 * The data set for a seed. Ids and categories depend on the seed alone (so an example file made
 * from one seed matches every sandbox started with it, on any machine); times are placed relative
 * to `anchor`, the sandbox clock at start, so "expired" means expired now.
 *
 * Ids are drawn from their own stream and each record's fields from a stream named after its id,
 * so adding a field changes no id, and fields can be generated lazily (see SeededIamportKey).
 * Changing how ids are drawn breaks committed example files.
 */
export function createDataSet(seed: number, anchor: number): DataSet {
  const iamportIds = deriveRandom(seed, 'iamport:ids')
  const uids = new Set<string>()
  const iamport: SeededIamportKey[] = []
  while (iamport.length < DATA_SET_SIZE.iamport) {
    const uid = customerUid(iamportIds)
    const deleted = iamportIds() < 0.1
    if (uids.has(uid)) continue
    uids.add(uid)
    iamport.push(lazyIamportKey(seed, uid, deleted, anchor))
  }

  const bootpayIds = deriveRandom(seed, 'bootpay:ids')
  const keys: DataSet['bootpay']['keys'] = []
  for (let i = 0; i < DRAWN_BOOTPAY_KEYS; i++) {
    const receiptId = objectId(bootpayIds)
    const billingKey = objectId(bootpayIds)
    const category = weighted(bootpayIds, [
      ['active', 76],
      ['expired', 12],
      ['deleted', 12],
    ] as const)
    keys.push(lazyBootpayKey(seed, receiptId, billingKey, category, anchor))
  }
  const paymentReceipts = Array.from({ length: DRAWN_BOOTPAY_KEYS / 20 }, () =>
    objectId(bootpayIds),
  )
  const taken = new Set([...keys.flatMap((k) => [k.receiptId, k.billingKey]), ...paymentReceipts])
  const expiringIds = deriveRandom(seed, 'bootpay:expiring:ids')
  const unusedId = () => {
    let id: string
    do id = objectId(expiringIds)
    while (taken.has(id))
    taken.add(id)
    return id
  }
  while (keys.length < DATA_SET_SIZE.bootpay) {
    const receiptId = unusedId()
    const billingKey = unusedId()
    keys.push(lazyBootpayKey(seed, receiptId, billingKey, 'expiring', anchor))
  }
  const portone = createPortoneKeys(seed, anchor, iamport)
  return { iamport, bootpay: { keys, paymentReceipts }, portone }
}

function lazyIamportKey(
  seed: number,
  uid: string,
  deleted: boolean,
  anchor: number,
): SeededIamportKey {
  let fields: { key: IamportKey; plan: Plan } | undefined
  const made = () => {
    if (!fields) {
      const random = deriveRandom(seed, `iamport:${uid}`)
      fields = { key: seededIamportKey(random, uid, anchor), plan: pick(random, PLANS) }
    }
    return fields
  }
  return {
    uid,
    deleted,
    get key() {
      return made().key
    },
    get plan() {
      return made().plan
    },
  }
}

function lazyBootpayKey(
  seed: number,
  receiptId: string,
  billingKey: string,
  category: BootpayCategory,
  anchor: number,
): SeededBootpayKey {
  let key: BootpayKey | undefined
  return {
    receiptId,
    billingKey,
    category,
    get key() {
      key ??= seededBootpayKey(
        deriveRandom(seed, `bootpay:${receiptId}`),
        receiptId,
        billingKey,
        category,
        anchor,
      )
      return key
    },
  }
}

/** A reference to a key, shaped like `@billingkey/core`'s BillingKeyRef. */
export type SandboxRef =
  | { provider: 'iamport'; customerUid: string }
  | { provider: 'bootpay'; receiptId: string }
  | { provider: 'bootpay'; billingKey: string }
  | { provider: 'portone'; billingKey: string }

/**
 * What the sandbox answers for a ref: `active` keys are found and chargeable, with an expiry (if
 * any) at least 60 days after the clock at start; `expiring` Bootpay card keys are found and
 * chargeable but expire 3 to 27 days after it; `expired` Bootpay keys are found with an expiry in
 * the past; `deleted` keys are gone (iamport: not found; Bootpay: SUBSCRIBE_BK_EXPIRED; PortOne: found as DELETED); `unknown`
 * refs never existed; `notBilling` Bootpay receipts belong to ordinary payments (RC_NOT_SUBSCRIBE).
 * iamport keys carry no expiry, so it has no `expiring` or `expired`.
 */
export type RefCategory = 'active' | 'expiring' | 'expired' | 'deleted' | 'unknown' | 'notBilling'

export interface SampleRef {
  category: RefCategory
  ref: SandboxRef
}

export interface SampleCounts {
  iamport?: { active?: number; deleted?: number; unknown?: number }
  bootpay?: {
    active?: number
    expiring?: number
    expired?: number
    deleted?: number
    unknown?: number
    notBilling?: number
  }
  /** PortOne V2: active and deleted refs mix V2 keys and keys issued through iamport (V1). */
  portone?: { active?: number; deleted?: number; unknown?: number }
}

export const DEFAULT_SAMPLE_COUNTS = {
  iamport: { active: 40, deleted: 5, unknown: 5 },
  bootpay: { active: 36, expiring: 4, expired: 6, deleted: 5, unknown: 4, notBilling: 3 },
} as const satisfies SampleCounts

/**
 * Refs from the data set of `seed`, by category, in a seeded shuffled order: the material for
 * example files and benchmarks. The same arguments always give the same list, and asking for more
 * of a category keeps the refs a smaller count gave. Bootpay refs are split between lookups by
 * receipt and by billing key.
 */
export function sampleRefs(options: { seed?: number; counts?: SampleCounts } = {}): SampleRef[] {
  const seed = options.seed ?? DEFAULT_SEED
  const counts: SampleCounts = options.counts ?? DEFAULT_SAMPLE_COUNTS
  const data = createDataSet(seed, 0)
  const refs: SampleRef[] = []
  const take = <T>(
    category: RefCategory,
    pool: readonly T[],
    count = 0,
    toRef: (t: T) => SandboxRef,
  ) => {
    if (count > pool.length) {
      throw new RangeError(
        `the data set of seed ${seed} has ${pool.length} ${category} keys, not ${count}`,
      )
    }
    for (const item of pool.slice(0, count)) refs.push({ category, ref: toRef(item) })
  }

  // iamport and PortOne: a key is active or deleted, and unknown ids are drawn in its shape.
  const takeKeys = (
    provider: 'iamport' | 'portone',
    keys: readonly { id: string; deleted: boolean }[],
    makeId: (random: Random) => string,
  ) => {
    const toRef = (id: string): SandboxRef =>
      provider === 'iamport' ? { provider, customerUid: id } : { provider, billingKey: id }
    const idsOf = (deleted: boolean) => keys.filter((k) => k.deleted === deleted).map((k) => k.id)
    take('active', idsOf(false), counts[provider]?.active, toRef)
    take('deleted', idsOf(true), counts[provider]?.deleted, toRef)
    const unknown = unknownIds(
      counts[provider]?.unknown ?? 0,
      deriveRandom(seed, `${provider}:unknown`),
      makeId,
      new Set(keys.map((k) => k.id)),
    )
    take('unknown', unknown, unknown.length, toRef)
  }
  takeKeys(
    'iamport',
    data.iamport.map((k) => ({ id: k.uid, deleted: k.deleted })),
    customerUid,
  )

  // Half the Bootpay refs look a key up by receipt, half by billing key. The id decides, not a draw,
  // so a ref stays the same whatever counts are asked for.
  const bootpayRef = (receiptId: string, billingKey: string): SandboxRef =>
    Number.parseInt(receiptId.slice(-1), 16) % 2 === 0
      ? { provider: 'bootpay', receiptId }
      : { provider: 'bootpay', billingKey }
  const keyRef = (key: SeededBootpayKey) => bootpayRef(key.receiptId, key.billingKey)
  const keysOf = (category: string) => data.bootpay.keys.filter((k) => k.category === category)
  take('active', keysOf('active'), counts.bootpay?.active, keyRef)
  take('expiring', keysOf('expiring'), counts.bootpay?.expiring, keyRef)
  take('expired', keysOf('expired'), counts.bootpay?.expired, keyRef)
  take('deleted', keysOf('deleted'), counts.bootpay?.deleted, keyRef)
  const knownIds = new Set(data.bootpay.keys.flatMap((k) => [k.receiptId, k.billingKey]))
  const unknownBootpay = unknownIds(
    counts.bootpay?.unknown ?? 0,
    deriveRandom(seed, 'bootpay:unknown'),
    objectId,
    knownIds,
  )
  take('unknown', unknownBootpay, unknownBootpay.length, (id) => bootpayRef(id, id))
  take('notBilling', data.bootpay.paymentReceipts, counts.bootpay?.notBilling, (receiptId) => ({
    provider: 'bootpay',
    receiptId,
  }))
  // PortOne: a deleted key is found with status DELETED; an unknown one is BILLING_KEY_NOT_FOUND.
  takeKeys(
    'portone',
    data.portone.map((k) => ({ id: k.billingKey, deleted: k.deleted })),
    portoneKeyId,
  )
  return shuffle(deriveRandom(seed, 'samples'), refs)
}

/** Every key of a data set by category: the most `sampleRefs` gives of each (unknown ids are unlimited). */
export interface DataSetCounts {
  iamport: { active: number; deleted: number }
  /** PortOne V2 keys, the ones that started as iamport (V1) keys included. */
  portone: { active: number; deleted: number }
  bootpay: {
    active: number
    expiring: number
    expired: number
    deleted: number
    notBilling: number
  }
}

/**
 * How many refs of each category the data set of `seed` holds: `sampleRefs({ counts:
 * dataSetCounts(seed) })` gives every one of them, so a caller that wants the whole data set never
 * hard-codes counts that drift when the data set changes.
 */
export function dataSetCounts(seed: number = DEFAULT_SEED): DataSetCounts {
  const data = createDataSet(seed, 0)
  const activeDeleted = (keys: readonly { deleted: boolean }[]) => {
    const deleted = keys.filter((k) => k.deleted).length
    return { active: keys.length - deleted, deleted }
  }
  const bootpay = (category: BootpayCategory) =>
    data.bootpay.keys.filter((k) => k.category === category).length
  return {
    iamport: activeDeleted(data.iamport),
    portone: activeDeleted(data.portone),
    bootpay: {
      active: bootpay('active'),
      expiring: bootpay('expiring'),
      expired: bootpay('expired'),
      deleted: bootpay('deleted'),
      notBilling: data.bootpay.paymentReceipts.length,
    },
  }
}

function unknownIds(
  count: number,
  random: Random,
  make: (random: Random) => string,
  known: ReadonlySet<string>,
): string[] {
  const ids = new Set<string>()
  while (ids.size < count) {
    const id = make(random)
    if (!known.has(id)) ids.add(id)
  }
  return [...ids]
}

/** Merchants name customers in many ways; the mix keeps clients honest about what a uid can be. */
function customerUid(random: Random): string {
  switch (int(random, 0, 4)) {
    case 0:
      return `cus_${hex(random, 12)}`
    case 1:
      return `user${int(random, 10000, 999999)}_card${int(random, 1, 3)}`
    case 2:
      return `member-${int(random, 1, 99999)}-${hex(random, 4)}`
    case 3:
      return `sub_${int(random, 2019, 2025)}${String(int(random, 1, 12)).padStart(2, '0')}_${digits(random, 6)}`
    default:
      return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${pick(random, ['8', '9', 'a', 'b'])}${hex(random, 3)}-${hex(random, 12)}`
  }
}

/** Bootpay ids look like MongoDB ObjectIds: 24 hex digits. */
function objectId(random: Random): string {
  return hex(random, 24)
}

function koreanName(random: Random): string {
  return pick(random, SURNAMES) + pick(random, GIVEN_NAMES)
}

/** About one key in thirty is a super billing key (smart routing, spec: SuperBillingKeyAnnotation). */
function seededIamportKey(random: Random, uid: string, anchor: number): IamportKey {
  const now = unixSeconds(anchor)
  const inserted = now - int(random, 1, 3 * 365) * 86400 - int(random, 0, 86399)
  const updated = random() < 0.15 ? int(random, inserted, now - 60) : inserted
  const issuer = pick(random, CARD_ISSUERS)
  const cardDigits = pick(random, issuer.bins) + digits(random, 8)
  const cardType = weighted(random, [
    [0, 7],
    [1, 3],
  ] as const)
  const withCustomer = random() < 0.7
  const address = random() < 0.2 ? pick(random, ADDRESSES) : undefined
  const customer = {
    customer_uid: uid,
    customer_id: random() < 0.4 ? `member_${int(random, 1, 999999)}` : null,
    customer_name: withCustomer ? koreanName(random) : null,
    customer_tel: withCustomer && random() < 0.85 ? `010${digits(random, 8)}` : null,
    customer_email:
      withCustomer && random() < 0.8 ? `user${int(random, 1, 99999)}@example.com` : null,
    customer_addr: address?.addr ?? null,
    customer_postcode: address?.postcode ?? null,
  }
  if (random() < 1 / 30) {
    const [first, second] = shuffle(
      random,
      IAMPORT_PGS.filter((pg) => pg.card === 'full'),
    )
    const channel = (pg: IamportPg) => ({
      pg_provider: pg.provider,
      pg_id: pg.mid,
      ...cardFields(pg, cardDigits, cardType),
      inserted,
      updated,
    })
    const failed = random() < 0.25
    return {
      ...customer,
      channelGroupId: `channel-group-${hex(random, 8)}`,
      succeededChannels: failed
        ? [channel(first as IamportPg)]
        : [first, second].map((pg) => channel(pg as IamportPg)),
      failedChannels: failed
        ? [
            {
              type: 'PG_PROVIDER',
              message: '카드정보 인증 및 빌키 발급에 실패하였습니다.',
              pg_provider: (second as IamportPg).provider,
              pg_id: (second as IamportPg).mid,
            },
          ]
        : [],
    }
  }
  const pg = weighted(
    random,
    IAMPORT_PGS.map((p) => [p, p.weight] as const),
  )
  return {
    ...customer,
    // welcome requires a name at issue (spec: IssueBillingKeyRequest.customer_name).
    customer_name:
      customer.customer_name ?? (pg.provider === 'welcome' ? koreanName(random) : null),
    pg_provider: pg.provider,
    pg_id: pg.mid,
    sandbox: random() < 0.04,
    ...cardFields(pg, cardDigits, cardType),
    inserted,
    updated,
  }
}

function seededBootpayKey(
  random: Random,
  receiptId: string,
  billingKey: string,
  category: BootpayCategory,
  anchor: number,
): BootpayKey {
  // Bank-account keys never expire, so expired and expiring keys are card keys.
  const bank = category !== 'expired' && category !== 'expiring' && random() < 0.2
  const requestedAt = anchor - int(random, 40, 3 * 365) * DAY - int(random, 0, DAY)
  const publishedAt = requestedAt + int(random, 2_000, 600_000)
  const { min, max } = EXPIRING_WITHIN_DAYS
  const expireAt = bank
    ? BANK_KEY_EXPIRY
    : category === 'expired'
      ? kstEndOfDay(int(random, publishedAt + 30 * DAY, anchor - 2 * DAY))
      : category === 'expiring'
        ? kstEndOfDay(anchor + int(random, min, max) * DAY)
        : kstEndOfDay(anchor + int(random, 60, 5 * 365) * DAY)
  const pg = pick(
    random,
    BOOTPAY_PGS.filter((p) => p.bank || !bank),
  ).name
  const issuer = pick(random, CARD_ISSUERS)
  const bankOf = pick(random, BANKS)
  return {
    receipt_id: receiptId,
    billing_key: billingKey,
    subscription_id:
      random() < 0.5 ? `sub_${int(random, 1, 9999999)}` : String(unixSeconds(requestedAt)),
    pg,
    method: bank ? 'bank' : 'card',
    billing_data: bank
      ? {
          bank_name: bankOf.name,
          bank_code: bankOf.code,
          bank_account: `${digits(random, 4)}********${digits(random, 2)}`,
          username: `${pick(random, SURNAMES)}${pick(random, GIVEN_NAMES).slice(0, 1)}*`,
        }
      : {
          card_no: maskCardNumber(pick(random, issuer.bins) + digits(random, 8)),
          card_company: issuer.name,
          card_company_code: issuer.bootpay,
          card_type: weighted(random, [
            [0, 7],
            [1, 3],
          ] as const),
        },
    requestedAt,
    publishedAt,
    expireAt,
    sandbox: random() < 0.04,
    destroyed: category === 'deleted',
    metadata: {},
  }
}
