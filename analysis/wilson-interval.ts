import { normalQuantile } from './distributions/normal-quantile.js'
import { noData } from './estimate.js'
import type { ProportionEstimate, ProportionResult } from './estimate.js'
import { assertYesOfN, resolveLevel } from './internal/validate.js'

/** Counts of one cell: respondents with a known value (n) and those with the value yes. */
export interface BinomialCounts {
  readonly n: number
  readonly yes: number
}

/** Options shared by the interval functions. */
export interface IntervalOptions {
  /** Confidence level strictly between 0 and 1; default 0.95. */
  readonly level?: number
}

/** Wilson limits without validation, for estimators that have already checked their inputs. */
export function wilsonLimits (yes: number, n: number, level: number): { lower: number, upper: number } {
  const z = normalQuantile(1 - (1 - level) / 2)
  const z2 = z * z
  const denominator = n + z2
  const centre = (yes + z2 / 2) / denominator
  const halfWidth = z * Math.sqrt(yes * (n - yes) / n + z2 / 4) / denominator
  return {
    // At yes = 0 (yes = n) the limit is exactly 0 (1); rounding could give −1e-17.
    lower: yes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: yes === n ? 1 : Math.min(1, centre + halfWidth),
  }
}

/**
 * Wilson score interval for a proportion p̂ = yes / n, without continuity correction: the p whose
 * score test z = (p̂ − p)/√(p(1 − p)/n) is not rejected at the given level.
 *
 *   (yes + z²/2) / (n + z²)  ±  z √(yes (n − yes)/n + z²/4) / (n + z²),   z = Φ⁻¹(1 − (1 − level)/2)
 *
 * At yes = 0 the lower limit is 0 and at yes = n the upper limit is 1, and the other limit is still
 * informative (0/20 gives 0 to 0.1611). Same limits as R's `prop.test(yes, n, correct = FALSE)`.
 * The default interval for one site.
 *
 * Reference: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
 * inference", JASA 22, 209–212; R. G. Newcombe (1998), "Two-sided confidence intervals for the
 * single proportion: comparison of seven methods", Statistics in Medicine 17, 857–872 (method 3).
 *
 * @param counts n ≥ 0 respondents with a known value, yes ≤ n of them with the value yes
 * @param options level (default 0.95)
 * @returns an `estimated` result, or `no_data` when n = 0
 * @throws {AnalysisInputError} `invalid_count` for a negative, fractional or too large count, or yes > n; `invalid_level` for a level outside (0, 1)
 * @example
 * wilsonInterval({ yes: 81, n: 263 })
 * // { status: 'estimated', method: 'wilson', n: 263, count: 81, p: 0.30798…, lower: 0.25529…, upper: 0.36621…, level: 0.95 }
 */
export function wilsonInterval (counts: BinomialCounts, options: IntervalOptions = {}): ProportionResult {
  const level = resolveLevel(options.level)
  const { n, yes } = counts
  assertYesOfN(yes, n, 'counts')
  if (n === 0) return noData('wilson', level)
  const { lower, upper } = wilsonLimits(yes, n, level)
  const estimate: ProportionEstimate = { status: 'estimated', method: 'wilson', n, count: yes, p: yes / n, lower, upper, level }
  return estimate
}
