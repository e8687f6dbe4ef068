import { assertOpenProbability } from '../internal/validate.js'

// Wichura (1988), algorithm AS 241 PPND16, coefficients in ascending powers.
// @see https://doi.org/10.2307/2347330
// Kept digit for digit as published (20 significant digits) so they can be checked against the
// paper; each literal rounds to the nearest double, which is what the rule warns about.
/* eslint-disable @typescript-eslint/no-loss-of-precision */
const CENTRAL_NUMERATOR = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
] as const
const CENTRAL_DENOMINATOR = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077,
  21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
] as const
const INTERMEDIATE_NUMERATOR = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
] as const
const INTERMEDIATE_DENOMINATOR = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455,
  0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
] as const
const TAIL_NUMERATOR = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const
const TAIL_DENOMINATOR = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525,
  7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
] as const
/* eslint-enable @typescript-eslint/no-loss-of-precision */

function horner (coefficients: readonly number[], x: number): number {
  let value = 0
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + (coefficients[i] ?? 0)
  return value
}

/**
 * The standard normal quantile z = Φ⁻¹(p), the value with P(Z ≤ z) = p for Z ~ N(0, 1).
 *
 * Wichura's rational approximations: for |p − ½| ≤ 0.425, z = q·A(r)/B(r) with q = p − ½ and
 * r = 0.180625 − q²; otherwise r = √(−ln min(p, 1 − p)) and z = ±C(r − 1.6)/D(r − 1.6) (r ≤ 5) or
 * ±E(r − 5)/F(r − 5). Relative accuracy about 1e-16, as R's `qnorm`, which uses the same algorithm.
 *
 * simple-statistics' `probit` is not used here: it inverts a closed-form approximation of erf and
 * returns 1.95716 for p = 0.975 (true value 1.95996), an error visible in the third decimal of an
 * interval.
 *
 * Reference: M. J. Wichura (1988), "Algorithm AS 241: The percentage points of the normal
 * distribution", Applied Statistics 37(3), 477–484.
 *
 * @param p probability, strictly between 0 and 1
 * @returns the quantile
 * @throws {AnalysisInputError} `invalid_probability` when p is not strictly between 0 and 1
 * @example
 * normalQuantile(0.975) // 1.959963984540054
 */
export function normalQuantile (p: number): number {
  assertOpenProbability(p, 'p')
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return q * horner(CENTRAL_NUMERATOR, r) / horner(CENTRAL_DENOMINATOR, r)
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p))
  let z: number
  if (r <= 5) {
    r -= 1.6
    z = horner(INTERMEDIATE_NUMERATOR, r) / horner(INTERMEDIATE_DENOMINATOR, r)
  } else {
    r -= 5
    z = horner(TAIL_NUMERATOR, r) / horner(TAIL_DENOMINATOR, r)
  }
  return q < 0 ? -z : z
}
