import { assertYesOfN } from '../internal/validate.js'
import type { BinomialCounts } from '../wilson-interval.js'
import { resolveThreshold } from './primary-rule.js'

/**
 * The change rule between two releases of the same wave: a cell published (or derivable) in an
 * earlier release with counts (n₀, yes₀) and now counted (n₁, yes₁) changed by
 * Δn = n₁ − n₀, Δyes = yes₁ − yes₀, Δno = Δn − Δyes. Publishing both lets anyone subtract them,
 * so the change is itself a group (the late respondents) and gets the primary rule:
 *
 *   suppress  ⇔  n₁ > 0  and  (Δn, Δyes, Δno) ≠ 0  and  min(|Δn|, |Δyes|, |Δno|) < k
 *
 * Three late respondents who all answered no give Δ = (3, 0, 3): suppressed. No change discloses
 * nothing; nor does a cell that is now empty (the group that left was published before).
 *
 * Reference: Hundepool et al. (2012), Statistical Disclosure Control, Wiley, §5.5 (linked tables
 * and tables published over time, "disclosure by differencing").
 *
 * @param current the counts now
 * @param earlier the counts an earlier release published or let anyone derive
 * @param k the threshold, a whole number ≥ 3 (default 5)
 * @returns 'change_below_k' when the change discloses, else null
 * @throws {AnalysisInputError} `invalid_count` for bad counts; `invalid_parameter` for a bad k
 * @example
 * changeSuppressionRule({ n: 23, yes: 10 }, { n: 20, yes: 10 })   // 'change_below_k' (3 late, all no)
 * changeSuppressionRule({ n: 32, yes: 16 }, { n: 20, yes: 10 })   // null (12 late: 6 yes, 6 no)
 */
export function changeSuppressionRule (current: BinomialCounts, earlier: BinomialCounts, k?: number): 'change_below_k' | null {
  const threshold = resolveThreshold(k)
  assertYesOfN(current.yes, current.n, 'current cell')
  assertYesOfN(earlier.yes, earlier.n, 'earlier cell')
  return changeRuleOf(current.n, current.yes, earlier.n, earlier.yes, threshold) ? 'change_below_k' : null
}

/** The change rule on counts already validated: true when the change discloses. */
export function changeRuleOf (n: number, yes: number, earlierN: number, earlierYes: number, k: number): boolean {
  if (n === 0) return false
  const dn = n - earlierN
  const dyes = yes - earlierYes
  const dno = dn - dyes
  if (dn === 0 && dyes === 0) return false
  return Math.min(Math.abs(dn), Math.abs(dyes), Math.abs(dno)) < k
}
