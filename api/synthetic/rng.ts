/** A source of uniform numbers in [0, 1), like Math.random. */
export type Rng = () => number

/**
 * mulberry32: a tiny, fast 32-bit seeded PRNG, good enough for synthetic data and tests (not for secrets).
 * The same seed always gives the same sequence.
 */
export function mulberry32 (seed: number): Rng {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An integer in [0, n). */
export function randomInt (rng: Rng, n: number): number {
  return Math.floor(rng() * n)
}

/** One item of a non-empty list, uniformly. */
export function randomItem<T> (rng: Rng, items: readonly T[]): T {
  const item = items[randomInt(rng, items.length)]
  if (item === undefined) throw new RangeError('randomItem: the list is empty')
  return item
}

/** An index drawn with probability proportional to its weight; -1 when no weight is positive. */
export function weightedIndex (rng: Rng, weights: readonly number[]): number {
  let total = 0
  for (const weight of weights) if (weight > 0) total += weight
  if (!(total > 0)) return -1
  let target = rng() * total
  let last = -1
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i] ?? 0
    if (!(weight > 0)) continue
    last = i
    target -= weight
    if (target < 0) return i
  }
  return last
}
