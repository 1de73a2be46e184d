/** A source of numbers in [0, 1). */
export type Random = () => number

/**
 * mulberry32: tiny, fast and plenty for test data. Integer arithmetic only, so a seed yields the
 * same sequence on every machine and Node version.
 */
function createRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * An independent stream per purpose (FNV-1a over the label), so drawing more numbers for one
 * purpose — more faults, a new field in the data set — never shifts the numbers of another.
 */
export function deriveRandom(seed: number, label: string): Random {
  let hash = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < label.length; i++) {
    hash = Math.imul(hash ^ label.charCodeAt(i), 0x01000193) >>> 0
  }
  return createRandom(hash)
}

export function int(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

/** `items` as [value, weight] pairs; weights need not sum to 1. */
export function weighted<T>(random: Random, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((sum, [, weight]) => sum + weight, 0)
  let draw = random() * total
  for (const [value, weight] of items) {
    draw -= weight
    if (draw < 0) return value
  }
  return (items[items.length - 1] as readonly [T, number])[0]
}

const HEX_DIGITS = '0123456789abcdef'
const DECIMAL_DIGITS = '0123456789'
const codes: number[] = []

/**
 * `length` characters of `alphabet`, one draw each. Built from character codes rather than by
 * concatenation: a flat string, cheaper to hash as a Map key than a rope of one-character pieces,
 * and the data set makes thousands of ids at start.
 */
function draw(random: Random, length: number, alphabet: string): string {
  codes.length = length
  for (let i = 0; i < length; i++) {
    codes[i] = alphabet.charCodeAt(Math.floor(random() * alphabet.length))
  }
  return String.fromCharCode(...codes)
}

export function hex(random: Random, length: number): string {
  return draw(random, length, HEX_DIGITS)
}

export function digits(random: Random, length: number): string {
  return draw(random, length, DECIMAL_DIGITS)
}

/** Fisher–Yates, in place. */
export function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j] as T, items[i] as T]
  }
  return items
}
