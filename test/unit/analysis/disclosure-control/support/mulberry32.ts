// The one seeded PRNG of the project (api/synthetic/rng.ts), re-exported so these tests keep their imports.
export { mulberry32 } from '../../../../../api/synthetic/rng.js'

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
