import { AnalysisInputError } from '../errors.js'

/** Default confidence level of every interval in analysis/. */
export const DEFAULT_LEVEL = 0.95

/** Resolves and checks a confidence level: a finite number strictly between 0 and 1. */
export function resolveLevel (level: number | undefined): number {
  const resolved = level ?? DEFAULT_LEVEL
  if (typeof resolved !== 'number' || !Number.isFinite(resolved) || resolved <= 0 || resolved >= 1) {
    throw new AnalysisInputError('invalid_level', `level must be a number strictly between 0 and 1, got ${String(level)}`)
  }
  return resolved
}

/** Checks that `value` is a count: a safe integer ≥ 0. */
export function assertCount (value: number, label: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new AnalysisInputError('invalid_count', `${label} must be a whole number ≥ 0, got ${String(value)}`)
  }
}

/** Checks a binomial count pair: both counts, and yes ≤ n. */
export function assertYesOfN (yes: number, n: number, label: string): void {
  assertCount(n, `${label} n`)
  assertCount(yes, `${label} yes`)
  if (yes > n) {
    throw new AnalysisInputError('invalid_count', `${label} yes (${yes}) cannot exceed n (${n})`)
  }
}

/** Checks a probability strictly inside (0, 1). */
export function assertOpenProbability (p: number, label: string): void {
  if (typeof p !== 'number' || !(p > 0 && p < 1)) {
    throw new AnalysisInputError('invalid_probability', `${label} must be strictly between 0 and 1, got ${String(p)}`)
  }
}

/** Checks a positive finite shape parameter. */
export function assertPositive (value: number, label: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new AnalysisInputError('invalid_parameter', `${label} must be a finite number > 0, got ${String(value)}`)
  }
}
