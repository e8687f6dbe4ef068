import { studentTQuantile } from './distributions/student-t-quantile.js'
import { noData } from './estimate.js'
import type { DesignProportionResult, NotEstimable } from './estimate.js'
import {
  buildClusterDesign,
  clustersWithData,
  exactProportionScore,
  groupTotals,
  hasZeroVariance,
  lonelyStratum,
  proportionVariance,
} from './internal/cluster-design.js'
import type { ClusterCount, ClustersPerStratum } from './internal/cluster-design.js'
import { resolveLevel } from './internal/validate.js'
import { wilsonLimits } from './wilson-interval.js'
import type { IntervalOptions } from './wilson-interval.js'

export type { ClusterCount, ClustersPerStratum } from './internal/cluster-design.js'

/** Options of the design-based estimators. */
export interface DesignOptions extends IntervalOptions {
  /** Clusters in the whole design (per stratum when stratified); see `ClustersPerStratum`. */
  readonly clustersPerStratum?: ClustersPerStratum
}

const expit = (x: number): number => 1 / (1 + Math.exp(-x))

/**
 * Design-based proportion with sites as clusters (optionally counties as strata), as R's survey
 * package computes it for `svydesign(ids = ~site, strata = ~county, data)` (equal weights, with
 * replacement at the first stage), `svymean(~y, design, deff = "replace")` and
 * `svyciprop(~y, design, method = "logit")`; for a subgroup, on the design subset to it.
 *
 * - Estimate (ratio estimator, equal weights): p = Y/N = Σ yes_c / Σ n_c.
 * - Linearised variance, from cluster totals of the residuals z_c = (yes_c − p·n_c)/N:
 *     v(p) = Σ_h n_h/(n_h − 1) Σ_c (z_hc − z̄_h)²
 *   with n_h the clusters of stratum h in the whole design and a zero z for a cluster without
 *   respondents in the cell (R `svyrecvar`, `onestrat`); se = √v.
 * - Design effect against simple random sampling with replacement, as `svymean(deff = "replace")`:
 *     deff = v(p) / (p(1 − p)/(N − 1)),
 *   the SRS variance being `svyvar`'s p(1 − p)·N/(N − 1) divided by N. (`deff = TRUE` would give Inf
 *   here: with unit weights the estimated population size equals N, so its without-replacement SRS
 *   variance is 0.)
 * - Interval (`svyciprop` "logit": a Wald interval for the intercept of a quasibinomial `svyglm`,
 *   whose sandwich SE is exactly se/(p(1 − p))):
 *     expit( logit(p) ± t_(df, 1 − α/2) · se / (p(1 − p)) ),
 *   df = clusters with data − strata with data (R's `degf()` of the subset design).
 *   "With data" means n > 0, and n counts respondents with a known value of the indicator, so the
 *   R equivalent for an indicator with missing values is the subset
 *   `subset(design, gender == "woman" & !is.na(y))`. (On a subset that still held missing values,
 *   R's `degf()` would also count clusters whose subgroup members all had a missing value.)
 *
 * Said out loud instead of a number:
 * - n = 0 (or no rows): `no_data`.
 * - Only one cluster with data, or df = 0 (every stratum's respondents in one cluster): no
 *   design-based interval exists (R: `degf()` = 0 and svyciprop returns NaN); the Wilson interval
 *   is returned with `fallback` giving the reason. It ignores clustering.
 * - A stratum with data that has a single cluster in the design: `not_estimable` (R stops with
 *   "Stratum (…) has only one PSU" under the default `survey.lonely.psu = "fail"`).
 * - p = 0 or 1: `not_estimable`. logit(p) is infinite and the SE is 0; R's svyciprop returns an
 *   interval around 1e-12 (or 1 − 1e-12) that does not contain the estimate. Wilson or
 *   Clopper–Pearson still give an interval that ignores clustering.
 * - SE exactly 0 with 0 < p < 1 (every cluster of a stratum has the same residual total, decided
 *   in exact integer arithmetic): `not_estimable`; R prints the zero-width interval [p, p].
 *
 * Reference: T. Lumley, survey package for R (4.1-1), `svymean`, `svyrecvar`, `svyciprop`,
 * `degf`, https://cran.r-project.org/package=survey; T. Lumley (2010), Complex Surveys: A Guide to
 * Analysis Using R, Wiley, §2.2–2.3 and §3.2.1; Korn and Graubard (1998), "Confidence intervals for
 * proportions with small expected number of positive counts estimated from survey data", Survey
 * Methodology 24, 193–201.
 *
 * @param rows one row per cluster (site) with the cell's n and yes there; rows with n = 0 allowed
 * @param options level (default 0.95); clustersPerStratum for a subgroup whose rows omit clusters
 * @returns `estimated` (method 'design-logit', with se, deff, df), a Wilson estimate with `fallback`,
 *   `no_data` or `not_estimable`
 * @throws {AnalysisInputError} `invalid_count` for bad counts; `invalid_level` for a level outside (0, 1);
 *   `invalid_design` for a cluster listed twice, a stratum on some rows only, or clustersPerStratum
 *   missing a stratum or smaller than the clusters listed
 * @example
 * designBasedProportion([
 *   { cluster: 'a1', stratum: 'A', n: 12, yes: 5 }, { cluster: 'a2', stratum: 'A', n: 8, yes: 2 },
 *   { cluster: 'b1', stratum: 'B', n: 15, yes: 9 }, { cluster: 'b2', stratum: 'B', n: 10, yes: 3 },
 *   { cluster: 'b3', stratum: 'B', n: 6, yes: 1 },
 * ])
 * // { status: 'estimated', method: 'design-logit', n: 51, count: 20, p: 0.39216, lower: 0.16555, upper: 0.67721,
 * //   level: 0.95, deff: 1.6365, se: 0.088328, df: 3, clusters: 5, strata: 2 }
 */
export function designBasedProportion (rows: readonly ClusterCount[], options: DesignOptions = {}): DesignProportionResult {
  const level = resolveLevel(options.level)
  const design = buildClusterDesign([rows], ['rows'], options.clustersPerStratum)
  const { n, yes } = groupTotals(design, 0)
  if (n === 0) {
    return noData('design-logit', level, rows.length === 0
      ? 'no cluster rows: nobody in this cell (n = 0)'
      : 'no respondents with a known value in any cluster of this cell (n = 0)')
  }
  const p = yes / n
  const { clusters, strata, firstCluster } = clustersWithData(design, [0])
  const df = clusters - strata

  if (df < 1) {
    const reason = clusters === 1
      ? `all ${n} respondents are in one cluster ("${firstCluster ?? ''}"), so there is no between-cluster variance to estimate (0 degrees of freedom; R's svyciprop gives NaN): Wilson score interval used, which ignores clustering`
      : `each of the ${strata} strata with data has its respondents in a single cluster (0 degrees of freedom; R's svyciprop gives NaN): Wilson score interval used, which ignores clustering`
    return { status: 'estimated', method: 'wilson', n, count: yes, p, ...wilsonLimits(yes, n, level), level, fallback: { from: 'design-logit', reason } }
  }

  const notEstimable = (reason: string, se: number | null, deff: number | null): NotEstimable<'design-logit'> =>
    ({ status: 'not_estimable', method: 'design-logit', n, count: yes, p, level, reason, se, deff })

  const lonely = lonelyStratum(design, [0])
  if (lonely !== undefined) {
    return notEstimable(`stratum "${lonely}" has only one cluster in the design, so its variance cannot be estimated (R stops with "Stratum (${lonely}) has only one PSU" under the default survey.lonely.psu = "fail")`, null, null)
  }
  if (yes === 0 || yes === n) {
    return notEstimable(`p = ${p} (${yes} of ${n}): the logit interval does not exist at p = 0 or 1 (logit(p) is infinite and the design SE is 0; R's svyciprop(method = "logit") returns a degenerate interval near ${yes === 0 ? '1e-12' : '1 − 1e-12'} that excludes the estimate); a Wilson or Clopper–Pearson interval ignoring clustering is available`, 0, null)
  }
  if (hasZeroVariance(design, (c) => exactProportionScore(c, 0, n, yes))) {
    return notEstimable('the design standard error is 0 (within each stratum every cluster has the same residual total yes − p·n), so the logit interval would have zero width', 0, 0)
  }

  const variance = proportionVariance(design, 0, n, yes)
  const se = Math.sqrt(variance)
  const deff = variance / (p * (1 - p) / (n - 1))
  const t = studentTQuantile(1 - (1 - level) / 2, df)
  const logit = Math.log(p / (1 - p))
  const halfWidth = t * se / (p * (1 - p))
  return {
    status: 'estimated',
    method: 'design-logit',
    n,
    count: yes,
    p,
    lower: expit(logit - halfWidth),
    upper: expit(logit + halfWidth),
    level,
    deff,
    se,
    df,
    clusters,
    strata,
  }
}
