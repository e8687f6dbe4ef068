/** mulberry32: a tiny seeded PRNG (Tommy Ettinger), so that every randomized test is reproducible. */
export function mulberry32 (seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A whole number in [low, high]. */
export function integer (random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1))
}

/** A copy of the array in a random order (Fisher–Yates). */
export function shuffled<T> (random: () => number, values: readonly T[]): T[] {
  const out = [...values]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const tmp = out[i] as T
    out[i] = out[j] as T
    out[j] = tmp
  }
  return out
}
