import { inverseRegularizedIncompleteBeta } from './distributions/inverse-incomplete-beta.js'
import { studentTQuantile } from './distributions/student-t-quantile.js'
import { noData } from './estimate.js'
import type { KornGraubardResult } from './estimate.js'
import type { DesignOptions } from './design-based-proportion.js'
import {
  buildClusterDesign,
  clustersWithData,
  exactProportionScore,
  groupTotals,
  hasZeroVariance,
  lonelyStratum,
  proportionVariance,
} from './internal/cluster-design.js'
import type { ClusterCount } from './internal/cluster-design.js'
import { resolveLevel } from './internal/validate.js'
import { wilsonLimits } from './wilson-interval.js'

/**
 * Korn–Graubard interval for a proportion with sites as clusters (optionally counties as strata):
 * a Clopper–Pearson interval on the effective sample size, as R's survey package computes it with
 * `svyciprop(~y, design, method = "beta")`, and as the NCHS presentation standard for proportions
 * prescribes it, which differs from R in one place (the cap below).
 *
 * - p, its linearised variance v and df (clusters with data − strata with data, on the domain) are
 *   those of `designBasedProportion`.
 * - Effective sample size: n_eff = p(1 − p)/v, i.e. n over the design effect against simple random
 *   sampling of n. **Departure from R:** the NCHS standard sets n_eff = n where the design effect is
 *   below 1 (p(1 − p)/v > n) or undefined (v = 0, e.g. at p = 0 or 1); R uses p(1 − p)/v uncapped
 *   (a narrower interval than simple random sampling gives) and returns NaN at p = 0 or 1.
 * - Degrees-of-freedom adjustment: n* = n_eff · (t_(n−1, α/2) / t_(df, α/2))².
 * - Interval: [Beta⁻¹(α/2; n*p, n*(1 − p) + 1), Beta⁻¹(1 − α/2; n*p + 1, n*(1 − p))], with 0 as the
 *   lower limit at p = 0 and 1 as the upper at p = 1.
 *
 * Where the cap does not bite this equals R to 1e-6 on the committed fixture
 * (test/unit/analysis/fixtures/reference-values.R); where it bites, the fixture writes the capped
 * interval out with R's qbeta.
 *
 * Said out loud instead of a number: n = 0 gives `no_data`; df = 0 (one cluster, or one per stratum)
 * the Wilson interval with `fallback`; a stratum with a single cluster in the design `not_estimable`
 * (R's lonely-PSU error).
 *
 * References: E. L. Korn and B. I. Graubard (1998), "Confidence intervals for proportions with small
 * expected number of positive counts estimated from survey data", Survey Methodology 24, 193–201;
 * J. D. Parker et al. (2017), National Center for Health Statistics data presentation standards for
 * proportions, Vital Health Stat 2(175); T. Lumley, survey package for R (4.1-1), `svyciprop`.
 *
 * @param rows one row per cluster (site) with the cell's n and yes there; rows with n = 0 allowed
 * @param options level (default 0.95); clustersPerStratum for a subgroup whose rows omit clusters
 * @throws {AnalysisInputError} as `designBasedProportion`
 * @example
 * kornGraubardProportion([
 *   { cluster: 'a', n: 40, yes: 9 }, { cluster: 'b', n: 35, yes: 12 }, { cluster: 'c', n: 50, yes: 8 },
 * ])
 * // { status: 'estimated', method: 'korn-graubard', n: 125, count: 29, p: 0.232, lower: …, upper: …, df: 2, effectiveN: …, … }
 */
export function kornGraubardProportion (rows: readonly ClusterCount[], options: DesignOptions = {}): KornGraubardResult {
  const level = resolveLevel(options.level)
  const design = buildClusterDesign([rows], ['rows'], options.clustersPerStratum)
  const { n, yes } = groupTotals(design, 0)
  if (n === 0) return noData('korn-graubard', level)
  const p = yes / n
  const { clusters, strata, firstCluster } = clustersWithData(design, [0])
  const df = clusters - strata
  if (df < 1) {
    const where = clusters === 1 ? `all ${n} respondents are in one cluster ("${firstCluster ?? ''}")` : `each of the ${strata} strata with data has its respondents in a single cluster`
    const reason = `${where}, so there are 0 degrees of freedom for a design-based interval (R's svyciprop gives NaN): Wilson score interval used, which ignores clustering`
    return { status: 'estimated', method: 'wilson', n, count: yes, p, ...wilsonLimits(yes, n, level), level, fallback: { from: 'korn-graubard', reason } }
  }
  const lonely = lonelyStratum(design, [0])
  if (lonely !== undefined) {
    return {
      status: 'not_estimable',
      method: 'korn-graubard',
      n,
      count: yes,
      p,
      level,
      se: null,
      deff: null,
      reason: `stratum "${lonely}" has only one cluster in the design, so its variance cannot be estimated (R stops with "Stratum (${lonely}) has only one PSU")`,
    }
  }
  const zero = yes === 0 || yes === n || hasZeroVariance(design, (c) => exactProportionScore(c, 0, n, yes))
  const variance = zero ? 0 : proportionVariance(design, 0, n, yes)
  const effectiveN = zero ? n : Math.min(n, p * (1 - p) / variance)
  const halfAlpha = (1 - level) / 2
  const ratio = studentTQuantile(1 - halfAlpha, n - 1) / studentTQuantile(1 - halfAlpha, df)
  const effectiveNDf = effectiveN * ratio * ratio
  const lower = yes === 0 ? 0 : inverseRegularizedIncompleteBeta(halfAlpha, effectiveNDf * p, effectiveNDf * (1 - p) + 1)
  const upper = yes === n ? 1 : inverseRegularizedIncompleteBeta(1 - halfAlpha, effectiveNDf * p + 1, effectiveNDf * (1 - p))
  return {
    status: 'estimated',
    method: 'korn-graubard',
    n,
    count: yes,
    p,
    lower,
    upper,
    level,
    ...(yes === 0 || yes === n ? {} : { deff: variance / (p * (1 - p) / (n - 1)) }),
    se: Math.sqrt(variance),
    df,
    clusters,
    strata,
    effectiveN,
    effectiveNDf,
  }
}
