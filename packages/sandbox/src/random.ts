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

export function hex(random: Random, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16)
  return out
}

export function digits(random: Random, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += Math.floor(random() * 10).toString()
  return out
}

/** Fisher–Yates, in place. */
export function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[items[i], items[j]] = [items[j] as T, items[i] as T]
  }
  return items
}
