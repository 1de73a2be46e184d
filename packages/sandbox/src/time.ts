export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

const KST_OFFSET = 9 * HOUR

/** UNIX seconds, as iamport sends times. */
export function unixSeconds(ms: number): number {
  return Math.floor(ms / SECOND)
}

/** ISO 8601 in Korea time with its offset, as Bootpay sends times: `2024-05-28T10:44:17+09:00`. */
export function kstIso(ms: number): string {
  return `${new Date(ms + KST_OFFSET).toISOString().slice(0, 19)}+09:00`
}

/** 23:59:59 KST of the day `ms` falls on: Bootpay's expiry times end a day. */
export function kstEndOfDay(ms: number): number {
  return Math.floor((ms + KST_OFFSET) / DAY) * DAY - KST_OFFSET + DAY - SECOND
}

/** The year and month (1–12) in Korea at `ms`. */
export function kstYearMonth(ms: number): { year: number; month: number } {
  const date = new Date(ms + KST_OFFSET)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 }
}

/** What Bootpay shows for bank-account keys, which do not expire. */
export const BANK_KEY_EXPIRY = Date.parse('2099-12-31T23:59:59+09:00')
