/**
 * Reference tables shared by the seeded data set and the issue handlers, so a key issued through
 * the API looks like a seeded one. Codes follow the facts file where it names them (KFTC card
 * codes from the official Java SDK's CardConstant, Bootpay's `02` KB국민 and `004` 국민 from the
 * reference captures); the rest are plausible, not authoritative.
 */

import type { CardFields } from './wire'

export interface CardIssuer {
  /** KFTC (금융결제원) code, as iamport reports it in `card_code`. */
  kftc: string
  /** Bootpay's `card_company_code`. */
  bootpay: string
  /** PortOne V2's issuer id (`Card.issuer`), e.g. `KOOKMIN_CARD`. */
  portone: string
  name: string
  /** First eight digits of numbers this issuer prints; masked numbers keep them. */
  bins: readonly string[]
}

export const CARD_ISSUERS: readonly CardIssuer[] = [
  {
    kftc: '361',
    portone: 'BC_CARD',
    bootpay: '11',
    name: 'BC카드',
    bins: ['95404900', '94110023'],
  },
  {
    kftc: '365',
    portone: 'SAMSUNG_CARD',
    bootpay: '03',
    name: '삼성카드',
    bins: ['53692300', '45184702'],
  },
  {
    kftc: '366',
    portone: 'SHINHAN_CARD',
    bootpay: '06',
    name: '신한카드',
    bins: ['53611600', '45184201'],
  },
  {
    kftc: '367',
    portone: 'HYUNDAI_CARD',
    bootpay: '04',
    name: '현대카드',
    bins: ['51528800', '40402815'],
  },
  {
    kftc: '368',
    portone: 'LOTTE_CARD',
    bootpay: '07',
    name: '롯데카드',
    bins: ['52174600', '40179700'],
  },
  {
    kftc: '371',
    portone: 'NH_CARD',
    bootpay: '12',
    name: 'NH농협카드',
    bins: ['54677900', '48219400'],
  },
  {
    kftc: '374',
    portone: 'HANA_CARD',
    bootpay: '01',
    name: '하나카드',
    bins: ['45009300', '53880500'],
  },
  {
    kftc: '381',
    portone: 'KOOKMIN_CARD',
    bootpay: '02',
    name: 'KB국민카드',
    bins: ['55704204', '40201700'],
  },
  {
    kftc: '041',
    portone: 'WOORI_CARD',
    bootpay: '15',
    name: '우리카드',
    bins: ['53880800', '46161200'],
  },
]

/** The issuer of a card number: by its BIN when known, else a stable choice by its digits. */
export function issuerOf(cardDigits: string): CardIssuer {
  const bin = cardDigits.slice(0, 8)
  const known = CARD_ISSUERS.find((issuer) => issuer.bins.includes(bin))
  if (known) return known
  let sum = 0
  for (const digit of cardDigits.slice(0, 6)) sum += Number(digit)
  return CARD_ISSUERS[sum % CARD_ISSUERS.length] as CardIssuer
}

/** iamport's masking (8 digits, ****, last 4), as in the live capture `95404900****1569`. */
export function maskCardNumber(cardDigits: string): string {
  return `${cardDigits.slice(0, 8)}****${cardDigits.slice(-4)}`
}

export function luhnValid(cardDigits: string): boolean {
  let sum = 0
  for (let i = 0; i < cardDigits.length; i++) {
    let digit = Number(cardDigits[cardDigits.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return cardDigits.length >= 12 && sum % 10 === 0
}

export interface IamportPg {
  provider: string
  /** The test MID a merchant gets for this PG; `pg: "{provider}"` without a MID uses it. */
  mid: string
  /** The per-PG notes: paypal_v2 reports no card data, inicis billing no card type. */
  card: 'full' | 'no-type' | 'none'
  /** Only some PGs report card_issuer_* / card_publisher_* (facts §1.5). */
  issuerFields: boolean
  /** Share of the seeded keys. */
  weight: number
}

export const IAMPORT_PGS: readonly IamportPg[] = [
  { provider: 'nice', mid: 'nictest04m', card: 'full', issuerFields: false, weight: 24 },
  { provider: 'html5_inicis', mid: 'INIBillTst', card: 'no-type', issuerFields: false, weight: 16 },
  { provider: 'kcp', mid: 'T0000', card: 'full', issuerFields: false, weight: 14 },
  { provider: 'tosspayments', mid: 'tosstest', card: 'full', issuerFields: true, weight: 14 },
  { provider: 'nice_v2', mid: 'nicepay00m', card: 'full', issuerFields: true, weight: 10 },
  { provider: 'ksnet', mid: '2999199999', card: 'full', issuerFields: true, weight: 6 },
  { provider: 'welcome', mid: 'welcometst', card: 'full', issuerFields: true, weight: 6 },
  { provider: 'smartro_v2', mid: 't_2311011m', card: 'full', issuerFields: true, weight: 4 },
  { provider: 'paypal_v2', mid: 'paypal-sandbox-01', card: 'none', issuerFields: false, weight: 6 },
]

export function iamportPg(provider: string): IamportPg | undefined {
  return IAMPORT_PGS.find((pg) => pg.provider === provider)
}

/** Bootpay reports PGs by display name; requests name them by alias or display name. */
/** What a PG reports about a card (facts §1.5 per-PG notes). */
export function cardFields(pg: IamportPg, cardDigits: string, cardType: 0 | 1): CardFields {
  if (pg.card === 'none')
    return { card_name: null, card_code: null, card_number: null, card_type: null }
  const issuer = issuerOf(cardDigits)
  return {
    card_name: issuer.name,
    card_code: issuer.kftc,
    card_number: maskCardNumber(cardDigits),
    card_type: pg.card === 'full' ? cardType : null,
    ...(pg.issuerFields && {
      card_issuer_code: issuer.kftc,
      card_issuer_name: issuer.name,
      card_publisher_code: issuer.kftc,
      card_publisher_name: issuer.name,
    }),
  }
}

export const BOOTPAY_PGS: readonly { aliases: readonly string[]; name: string; bank: boolean }[] = [
  { aliases: ['nicepay', '나이스페이'], name: '나이스페이먼츠', bank: true },
  { aliases: ['inicis', '이니시스'], name: 'KG이니시스', bank: false },
  { aliases: ['kcp', '케이씨피'], name: 'NHN KCP', bank: false },
  { aliases: ['toss', 'tosspayments', '토스'], name: '토스페이먼츠', bank: true },
  { aliases: ['ksnet'], name: 'KSNET', bank: false },
  { aliases: ['welcome', '웰컴'], name: '웰컴페이먼츠', bank: false },
]

export function bootpayPgName(requested: string): string {
  const known = BOOTPAY_PGS.find(
    (pg) => pg.name === requested || pg.aliases.includes(requested.toLowerCase()),
  )
  return known?.name ?? requested
}

export const BANKS: readonly { code: string; name: string }[] = [
  { code: '004', name: '국민' },
  { code: '088', name: '신한' },
  { code: '020', name: '우리' },
  { code: '081', name: '하나' },
  { code: '011', name: '농협' },
  { code: '003', name: '기업' },
  { code: '090', name: '카카오뱅크' },
  { code: '092', name: '토스뱅크' },
]

export const SURNAMES = ['김', '이', '박', '최', '정', '강', '조', '윤', '장', '임', '한', '오']
export const GIVEN_NAMES = [
  '민준',
  '서연',
  '도윤',
  '하은',
  '지호',
  '수아',
  '예준',
  '지우',
  '건우',
  '서윤',
  '현우',
  '민서',
]

/** A subscription plan: what a seeded key is charged every period. */
export interface Plan {
  name: string
  amount: number
}

export const PLANS: readonly Plan[] = [
  { name: '베이직 월간 구독', amount: 9900 },
  { name: '스탠다드 월간 구독', amount: 14900 },
  { name: '프리미엄 월간 구독', amount: 29000 },
  { name: '팀 플랜 월간 구독', amount: 99000 },
]

export const ADDRESSES = [
  { addr: '서울특별시 강남구 테헤란로 152', postcode: '06236' },
  { addr: '서울특별시 마포구 월드컵북로 396', postcode: '03925' },
  { addr: '경기도 성남시 분당구 판교역로 235', postcode: '13494' },
  { addr: '부산광역시 해운대구 센텀중앙로 97', postcode: '48058' },
  { addr: '대전광역시 유성구 대학로 99', postcode: '34134' },
]
