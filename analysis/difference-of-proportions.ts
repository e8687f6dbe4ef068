import { studentTQuantile } from './distributions/student-t-quantile.js'
import type {
  DesignDifferenceResult,
  DesignGroup,
  DifferenceEstimate,
  DifferenceNotEstimable,
  NewcombeDifferenceResult,
  NewcombeGroup,
} from './estimate.js'
import {
  buildClusterDesign,
  clustersWithData,
  exactProportionScore,
  groupTotals,
  hasZeroVariance,
  linearisedVariance,
  lonelyStratum,
  proportionScore,
  proportionVariance,
} from './internal/cluster-design.js'
import type { ClusterCount, ClusterDesign } from './internal/cluster-design.js'
import { assertYesOfN, resolveLevel } from './internal/validate.js'
import type { DesignOptions } from './design-based-proportion.js'
import { wilsonLimits } from './wilson-interval.js'
import type { BinomialCounts, IntervalOptions } from './wilson-interval.js'

const clampDifference = (x: number): number => Math.min(1, Math.max(-1, x))

function emptyGroupsReason (n1: number, n2: number): string {
  const which = n1 === 0 && n2 === 0 ? 'both groups have' : n1 === 0 ? 'the first group has' : 'the second group has'
  return `${which} no respondents with a known value (n = 0): no difference to estimate`
}

/** Newcombe's interval from totals already validated; shared with the design-based fallback. */
function newcombe (first: BinomialCounts, second: BinomialCounts, level: number): DifferenceEstimate<'newcombe-hybrid', NewcombeGroup> {
  const p1 = first.yes / first.n
  const p2 = second.yes / second.n
  const w1 = wilsonLimits(first.yes, first.n, level)
  const w2 = wilsonLimits(second.yes, second.n, level)
  const difference = p1 - p2
  const delta = Math.sqrt((p1 - w1.lower) ** 2 + (w2.upper - p2) ** 2)
  const epsilon = Math.sqrt((w1.upper - p1) ** 2 + (p2 - w2.lower) ** 2)
  return {
    status: 'estimated',
    method: 'newcombe-hybrid',
    difference,
    lower: clampDifference(difference - delta),
    upper: clampDifference(difference + epsilon),
    level,
    first: { n: first.n, count: first.yes, p: p1, ...w1 },
    second: { n: second.n, count: second.yes, p: p2, ...w2 },
  }
}

/**
 * Newcombe's hybrid score interval for the difference p₁ − p₂ of two independent proportions
 * (method 10 of Newcombe 1998), for unclustered data. With (l₁, u₁) and (l₂, u₂) the Wilson score
 * limits of each group at the same level:
 *
 *   lower = (p₁ − p₂) − √((p₁ − l₁)² + (u₂ − p₂)²)
 *   upper = (p₁ − p₂) + √((u₁ − p₁)² + (p₂ − l₂)²)
 *
 * It stays inside [−1, 1], and groups with 0 or n yes still give an interval (0/10 − 0/20 gives
 * −0.1611 to 0.2775). Each group's Wilson limits are returned with it.
 *
 * Reference: R. G. Newcombe (1998), "Interval estimation for the difference between independent
 * proportions: comparison of eleven methods", Statistics in Medicine 17, 873–890 (method 10;
 * worked examples in its Table II).
 *
 * @param first counts of the first group (e.g. women)
 * @param second counts of the second group (e.g. men)
 * @param options level (default 0.95)
 * @returns `estimated` with the difference first − second, or `no_data` when a group has n = 0
 * @throws {AnalysisInputError} `invalid_count` for bad counts; `invalid_level` for a level outside (0, 1)
 * @example
 * newcombeDifference({ yes: 56, n: 70 }, { yes: 48, n: 80 })
 * // { status: 'estimated', method: 'newcombe-hybrid', difference: 0.2, lower: 0.05243…, upper: 0.33387…, … }
 */
export function newcombeDifference (first: BinomialCounts, second: BinomialCounts, options: IntervalOptions = {}): NewcombeDifferenceResult {
  const level = resolveLevel(options.level)
  assertYesOfN(first.yes, first.n, 'first')
  assertYesOfN(second.yes, second.n, 'second')
  if (first.n === 0 || second.n === 0) {
    return {
      status: 'no_data',
      method: 'newcombe-hybrid',
      level,
      reason: emptyGroupsReason(first.n, second.n),
      first: { n: first.n, count: first.yes },
      second: { n: second.n, count: second.yes },
    }
  }
  return newcombe(first, second, level)
}

function designGroup (design: ClusterDesign, group: number, n: number, yes: number): DesignGroup {
  const p = yes / n
  const variance = proportionVariance(design, group, n, yes)
  const deff = yes === 0 || yes === n || n < 2 ? null : variance / (p * (1 - p) / (n - 1))
  return { n, count: yes, p, se: Math.sqrt(variance), deff }
}

/**
 * Design-based difference p₁ − p₂ of two groups drawn from the same clustered design (women and men
 * at the same sites; two waves at the same sites), with sites as clusters and optionally counties as
 * strata. The linearised variance of the difference uses the difference of the two groups' residual
 * totals per cluster, so the covariance between the groups through shared clusters is included:
 *
 *   d_c = (yes₁_c − p₁ n₁_c)/N₁ − (yes₂_c − p₂ n₂_c)/N₂
 *   v = Σ_h n_h/(n_h − 1) Σ_c (d_hc − d̄_h)²  = v₁ + v₂ − 2·cov₁₂
 *   (p₁ − p₂) ± t_(df, 1 − α/2) √v,   clipped to [−1, 1]
 *
 * with df = clusters with data in either group − strata with data (R's `degf()` of the design
 * subset to both groups). The plain √(se₁² + se₂²) would treat the groups as independent samples;
 * respondents of both groups at one site share that site's effect, and with correlated sites the
 * independence formula misstates the SE (in the test fixture 0.0725 instead of 0.0281). When the
 * groups share no stratum the covariance is 0 and the two agree. Equivalent R:
 * `svycontrast(svyby(~y, ~gender, design, svymean, covmat = TRUE), quote(woman - man))` with
 * `confint(..., df = degf(design))` (R's own default there is the normal quantile, df = Inf; the t
 * quantile is used here for consistency with `svyciprop`).
 *
 * Said out loud instead of a number:
 * - a group with n = 0: `no_data`;
 * - df = 0 (only one cluster with data, or one per stratum): Newcombe's interval, which ignores
 *   clustering, with `fallback` giving the reason;
 * - a stratum with data and a single cluster in the design: `not_estimable` (R: lonely PSU);
 * - SE of the difference exactly 0 (e.g. p = 0 in both groups): `not_estimable`.
 * A group with p = 0 or 1 contributes no variance of its own; the interval is then given with a `note`.
 *
 * Reference: Lumley (2010), Complex Surveys: A Guide to Analysis Using R, §2.3 (domains) and
 * `svyby(covmat = TRUE)`/`svycontrast` in the survey package (4.1-1); Wolter (2007), Introduction to
 * Variance Estimation, 2nd ed., §6.11 (Taylor series for a difference of ratios).
 *
 * @param first per-cluster counts of the first group (e.g. women), rows with n = 0 allowed
 * @param second per-cluster counts of the second group (e.g. men) in the same design
 * @param options level (default 0.95); clustersPerStratum when the rows omit clusters of the design
 * @returns `estimated` ('design-linearised', with se, df and each group's se and deff), a Newcombe
 *   estimate with `fallback`, `no_data` or `not_estimable`
 * @throws {AnalysisInputError} `invalid_count`, `invalid_level`, or `invalid_design` (a cluster listed twice in
 *   a group, in two strata, or clustersPerStratum missing a stratum or too small)
 * @example
 * designBasedDifference(
 *   [{ cluster: 's1', n: 12, yes: 5 }, { cluster: 's2', n: 8, yes: 2 }, { cluster: 's3', n: 10, yes: 3 }],
 *   [{ cluster: 's1', n: 20, yes: 6 }, { cluster: 's2', n: 14, yes: 3 }, { cluster: 's3', n: 12, yes: 2 }]
 * )
 * // { status: 'estimated', method: 'design-linearised', difference: 0.094203, lower: −0.00048, upper: 0.18889,
 * //   se: 0.022006, df: 2, clusters: 3, strata: 1, first: { …, se: 0.050918, deff: 0.33833 }, … }
 */
export function designBasedDifference (
  first: readonly ClusterCount[],
  second: readonly ClusterCount[],
  options: DesignOptions = {}
): DesignDifferenceResult {
  const level = resolveLevel(options.level)
  const design = buildClusterDesign([first, second], ['first', 'second'], options.clustersPerStratum)
  const t1 = groupTotals(design, 0)
  const t2 = groupTotals(design, 1)
  if (t1.n === 0 || t2.n === 0) {
    return {
      status: 'no_data',
      method: 'design-linearised',
      level,
      reason: emptyGroupsReason(t1.n, t2.n),
      first: { n: t1.n, count: t1.yes },
      second: { n: t2.n, count: t2.yes },
    }
  }
  const p1 = t1.yes / t1.n
  const p2 = t2.yes / t2.n
  const difference = p1 - p2
  const { clusters, strata } = clustersWithData(design, [0, 1])
  const df = clusters - strata

  if (df < 1) {
    const reason = clusters === 1
      ? 'all respondents of both groups are in one cluster (0 degrees of freedom): Newcombe hybrid score interval used, which ignores clustering'
      : `each of the ${strata} strata with data has its respondents in a single cluster (0 degrees of freedom): Newcombe hybrid score interval used, which ignores clustering`
    return { ...newcombe(t1, t2, level), fallback: { from: 'design-linearised', reason } }
  }

  const notEstimable = (reason: string): DifferenceNotEstimable<'design-linearised'> => ({
    status: 'not_estimable',
    method: 'design-linearised',
    difference,
    level,
    reason,
    first: { n: t1.n, count: t1.yes, p: p1 },
    second: { n: t2.n, count: t2.yes, p: p2 },
  })

  const lonely = lonelyStratum(design, [0, 1])
  if (lonely !== undefined) {
    return notEstimable(`stratum "${lonely}" has only one cluster in the design, so its variance cannot be estimated (R stops with "Stratum (${lonely}) has only one PSU" under the default survey.lonely.psu = "fail")`)
  }
  // d_c·N₁²N₂² = e₁_c·N₂² − e₂_c·N₁², an integer: zero variance is decided exactly.
  const n1Squared = BigInt(t1.n) ** 2n
  const n2Squared = BigInt(t2.n) ** 2n
  const zero = hasZeroVariance(design, (c) =>
    exactProportionScore(c, 0, t1.n, t1.yes) * n2Squared - exactProportionScore(c, 1, t2.n, t2.yes) * n1Squared)
  if (zero) {
    return notEstimable('the design standard error of the difference is 0 (for example p = 0 or 1 in both groups), so no interval can be given')
  }

  const variance = linearisedVariance(design, (c) =>
    proportionScore(c, 0, t1.n, t1.yes) / (t1.n * t1.n) - proportionScore(c, 1, t2.n, t2.yes) / (t2.n * t2.n))
  const se = Math.sqrt(variance)
  const t = studentTQuantile(1 - (1 - level) / 2, df)
  const boundary = [p1 === 0 || p1 === 1 ? `the first group has p = ${p1}` : '', p2 === 0 || p2 === 1 ? `the second group has p = ${p2}` : '']
    .filter((s) => s !== '')
  return {
    status: 'estimated',
    method: 'design-linearised',
    difference,
    lower: clampDifference(difference - t * se),
    upper: clampDifference(difference + t * se),
    level,
    first: designGroup(design, 0, t1.n, t1.yes),
    second: designGroup(design, 1, t2.n, t2.yes),
    se,
    df,
    clusters,
    strata,
    ...(boundary.length > 0
      ? { note: `${boundary.join(' and ')}, which contributes no variance of its own: the interval may be too narrow` }
      : {}),
  }
}
