import { AnalysisInputError } from '../errors.js'
import { assertYesOfN } from '../internal/validate.js'
import type { BinomialCounts } from '../wilson-interval.js'
import type { PrimaryRule } from './types.js'

/** Default threshold k of disclosure control (ARCHITECTURE.md, anonymity rule 6). */
export const DEFAULT_THRESHOLD = 5

/** The lowest threshold allowed: below 3, a published count of 2 lets each of the two find the other's answer. */
export const MINIMUM_THRESHOLD = 3

/**
 * Resolves and checks a threshold k: a whole number ≥ 3, default 5.
 * @throws {AnalysisInputError} `invalid_parameter` for anything else
 */
export function resolveThreshold (k: number | undefined): number {
  const resolved = k ?? DEFAULT_THRESHOLD
  if (typeof resolved !== 'number' || !Number.isSafeInteger(resolved) || resolved < MINIMUM_THRESHOLD) {
    throw new AnalysisInputError(
      'invalid_parameter',
      `k must be a whole number ≥ ${MINIMUM_THRESHOLD} (the threshold of disclosure control is never below 3), got ${String(k)}`
    )
  }
  return resolved
}

/**
 * The primary suppression rule for one cell with n respondents, `yes` of them yes and
 * no = n − yes of them no:
 *
 *   suppress  ⇔  n > 0  and  min(n, yes, no) < k
 *
 * checked in the order n, yes, no, so the rule named is the first that fails. Zero counts are
 * below k: when yes = 0 (or no = 0) the whole group answered alike, which discloses each member's
 * answer. A cell with n = 0 is not suppressed: it holds nobody whose answer could be disclosed,
 * it is published as a cell without respondents (the estimators give `no_data` for it), and
 * suppressing it would force complementary suppressions to protect nobody.
 *
 * Reference: Hundepool et al. (2012), Statistical Disclosure Control, Wiley, §5.2 (the threshold
 * rule for frequency tables) and §5.2.2 on zero cells and groups that all answered alike.
 *
 * @param counts n ≥ 0 and yes ≤ n
 * @param k the threshold, a whole number ≥ 3 (default 5)
 * @returns the rule that suppresses the cell, or null when it may be published
 * @throws {AnalysisInputError} `invalid_count` for bad counts; `invalid_parameter` for k < 3 or not whole
 * @example
 * primarySuppressionRule({ n: 12, yes: 0 })   // 'yes_below_k'
 * primarySuppressionRule({ n: 12, yes: 6 })   // null
 * primarySuppressionRule({ n: 0, yes: 0 })    // null (published as no respondents)
 */
export function primarySuppressionRule (counts: BinomialCounts, k?: number): Exclude<PrimaryRule, 'change_below_k'> | null {
  const threshold = resolveThreshold(k)
  assertYesOfN(counts.yes, counts.n, 'cell')
  return primaryRuleOf(counts.n, counts.yes, threshold)
}

/** The primary rule on counts already validated, with a threshold already resolved. */
export function primaryRuleOf (n: number, yes: number, k: number): Exclude<PrimaryRule, 'change_below_k'> | null {
  if (n === 0) return null
  if (n < k) return 'n_below_k'
  if (yes < k) return 'yes_below_k'
  if (n - yes < k) return 'no_below_k'
  return null
}
