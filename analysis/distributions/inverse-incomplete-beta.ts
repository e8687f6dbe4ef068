import { assertOpenProbability, assertPositive } from '../internal/validate.js'
import { logBeta, regularizedIncompleteBeta } from './incomplete-beta.js'

const MAX_ITERATIONS = 2000

/** Starting point of Numerical Recipes' `invbetai` (3rd ed., §6.14.10; Abramowitz & Stegun 26.5.22). */
function initialGuess (p: number, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const pp = p < 0.5 ? p : 1 - p
    const t = Math.sqrt(-2 * Math.log(pp))
    let x = (2.30753 + t * 0.27061) / (1 + t * (0.99229 + t * 0.04481)) - t
    if (p < 0.5) x = -x
    const al = (x * x - 3) / 6
    const h = 2 / (1 / (2 * a - 1) + 1 / (2 * b - 1))
    const w = x * Math.sqrt(al + h) / h - (1 / (2 * b - 1) - 1 / (2 * a - 1)) * (al + 5 / 6 - 2 / (3 * h))
    return a / (a + b * Math.exp(2 * w))
  }
  const lna = Math.log(a / (a + b))
  const lnb = Math.log(b / (a + b))
  const t = Math.exp(a * lna) / a
  const u = Math.exp(b * lnb) / b
  const w = t + u
  return p < t / w ? Math.pow(a * w * p, 1 / a) : 1 - Math.pow(b * w * (1 - p), 1 / b)
}

/** Solves I_x(a, b) = p for p ≤ ½ by safeguarded Newton steps inside a shrinking bracket. */
function solveLowerHalf (p: number, a: number, b: number): number {
  const lnB = logBeta(a, b)
  let lo = 0
  let hi = 1
  let x = initialGuess(p, a, b)
  if (!(x > lo && x < hi)) x = 0.5
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const f = regularizedIncompleteBeta(x, a, b) - p
    if (f === 0) return x
    if (f < 0) lo = x
    else hi = x
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - lnB)
    let next = x - f / density
    // Outside the bracket (or not a number): bisect, geometrically while the bracket spans decades near 0.
    if (!(next > lo && next < hi)) next = lo > 0 && hi / lo > 1e3 ? Math.sqrt(lo * hi) : lo === 0 && hi < 1e-3 ? hi / 1e3 : (lo + hi) / 2
    if (Math.abs(next - x) <= 4 * Number.EPSILON * next || hi - lo <= 4 * Number.EPSILON * hi) return next
    x = next
  }
  return x
}

/**
 * The inverse of the regularized incomplete beta function: the x in [0, 1] with I_x(a, b) = p,
 * i.e. the p-quantile of the Beta(a, b) distribution (R's `qbeta(p, a, b)`).
 *
 * Newton's method x ← x − (I_x(a, b) − p) / f(x), with the Beta density
 * f(x) = x^(a−1) (1 − x)^(b−1) / B(a, b), started from Numerical Recipes' `invbetai` guess and kept
 * inside a bracket [lo, hi] that every evaluation shrinks; a step that leaves the bracket is
 * replaced by bisection. For p > ½ it solves I_(1−x)(b, a) = 1 − p instead, so that the target is
 * never a difference of numbers near 1. Converges to a few units in the last place of x.
 *
 * Reference: W. H. Press et al. (2007), Numerical Recipes, 3rd ed., §6.14.10 (`invbetai`).
 *
 * @param p probability, strictly between 0 and 1
 * @param a first shape, > 0
 * @param b second shape, > 0
 * @returns the quantile x
 * @throws {AnalysisInputError} `invalid_probability` when p is not in (0, 1); `invalid_parameter` when a or b is not > 0
 * @example
 * inverseRegularizedIncompleteBeta(0.025, 7, 14) // 0.15390920478454…, the Clopper–Pearson lower limit of 7/20
 */
export function inverseRegularizedIncompleteBeta (p: number, a: number, b: number): number {
  assertOpenProbability(p, 'p')
  assertPositive(a, 'a')
  assertPositive(b, 'b')
  if (p <= 0.5) return solveLowerHalf(p, a, b)
  return 1 - solveLowerHalf(1 - p, b, a)
}
