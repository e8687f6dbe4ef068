import { AnalysisInputError } from '../errors.js'
import { assertOpenProbability } from '../internal/validate.js'
import { inverseRegularizedIncompleteBeta } from './inverse-incomplete-beta.js'
import { normalQuantile } from './normal-quantile.js'

/**
 * The quantile t of Student's t distribution with `df` degrees of freedom: P(T ≤ t) = q
 * (R's `qt(q, df)`).
 *
 * Through the incomplete beta function: for T ~ t(ν), P(|T| > t) = I_(ν/(ν+t²))(ν/2, ½). So with
 * x = I⁻¹(2·min(q, 1 − q); ν/2, ½), |t| = √(ν(1 − x)/x), negative when q < ½ (near the median
 * the complement y = 1 − x = I⁻¹(1 − 2·min(q, 1 − q); ½, ν/2) is solved for instead). Exact forms are
 * used for ν = 1 (Cauchy: tan(π(q − ½))) and ν = 2 ((2q − 1)√(2 / (4q(1 − q)))); ν = ∞ gives the
 * normal quantile.
 *
 * Reference: Abramowitz & Stegun (1964), Handbook of Mathematical Functions, 26.7.1 and 26.5.27.
 *
 * @param q probability, strictly between 0 and 1
 * @param df degrees of freedom, > 0 (may be Infinity)
 * @returns the quantile
 * @throws {AnalysisInputError} `invalid_probability` when q is not in (0, 1); `invalid_parameter` when df is not > 0
 * @example
 * studentTQuantile(0.975, 6) // 2.446911851144969
 */
export function studentTQuantile (q: number, df: number): number {
  assertOpenProbability(q, 'q')
  if (typeof df !== 'number' || Number.isNaN(df) || df <= 0) {
    throw new AnalysisInputError('invalid_parameter', `degrees of freedom must be > 0, got ${String(df)}`)
  }
  if (df === Infinity) return normalQuantile(q)
  if (q === 0.5) return 0
  if (df === 1) return Math.tan(Math.PI * (q - 0.5))
  if (df === 2) return (2 * q - 1) * Math.sqrt(2 / (4 * q * (1 - q)))
  const twoTails = 2 * (q < 0.5 ? q : 1 - q)
  let t: number
  if (twoTails < 0.5) {
    const x = inverseRegularizedIncompleteBeta(twoTails, df / 2, 0.5)
    t = Math.sqrt(df * (1 - x) / x)
  } else {
    // Near the median x is close to 1: solve for y = 1 − x = t²/(ν + t²) directly, keeping its precision.
    const y = inverseRegularizedIncompleteBeta(1 - twoTails, 0.5, df / 2)
    t = Math.sqrt(df * y / (1 - y))
  }
  return q < 0.5 ? -t : t
}
