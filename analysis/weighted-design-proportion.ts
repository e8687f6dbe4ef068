import { inverseRegularizedIncompleteBeta } from './distributions/inverse-incomplete-beta.js'
import { studentTQuantile } from './distributions/student-t-quantile.js'
import { AnalysisInputError } from './errors.js'
import { buildClusterDesign, clustersWithData, groupTotals, linearisedVariance, lonelyStratum } from './internal/cluster-design.js'
import type { ClusterCount, ClustersPerStratum } from './internal/cluster-design.js'
import { resolveLevel } from './internal/validate.js'

/** One cluster's counts and weighted totals: `weight` = Σ w over its respondents, `weightedYes` = Σ w·y. */
export interface WeightedClusterCount extends ClusterCount {
  readonly weight: number
  readonly weightedYes: number
}

export interface WeightedDesignOptions {
  readonly level?: number
  readonly clustersPerStratum?: ClustersPerStratum
  /** 'logit' as svyciprop(method = "logit"); 'korn-graubard' as method = "beta" with the NCHS cap. */
  readonly interval: 'logit' | 'korn-graubard'
}

export type WeightedDesignResult =
  | {
    readonly status: 'estimated'
    readonly interval: 'logit' | 'korn-graubard'
    readonly n: number
    readonly count: number
    readonly p: number
    readonly lower: number
    readonly upper: number
    readonly level: number
    readonly se: number
    /** v / (p(1 − p)/(n − 1)), as svymean(deff = "replace"); absent where 0/0. */
    readonly deff?: number
    readonly df: number
    /** Clusters with respondents in the cell, and strata with such clusters (1 when unstratified). */
    readonly clusters: number
    readonly strata: number
    /** Korn–Graubard only: p(1 − p)/v capped at n, and after the degrees-of-freedom factor. */
    readonly effectiveN?: number
    readonly effectiveNDf?: number
  }
  | { readonly status: 'no_data', readonly interval: 'logit' | 'korn-graubard', readonly n: number, readonly count: number, readonly level: number, readonly reason: string }
  | {
    readonly status: 'not_estimable'
    readonly interval: 'logit' | 'korn-graubard'
    readonly n: number
    readonly count: number
    readonly level: number
    readonly reason: string
    /** The weighted estimate, which exists though its interval does not. */
    readonly p: number
    /** The linearised standard error where it was computed, else null. */
    readonly se: number | null
  }

const expit = (x: number): number => 1 / (1 + Math.exp(-x))

/**
 * Weighted design-based proportion with sites as clusters (optionally counties as strata), as R's
 * `svydesign(ids = ~site, strata = ~county, weights = ~w)` with `svymean` and `svyciprop`:
 *
 * - p = Σ w·y / Σ w (a ratio of weighted totals);
 * - v = Σ_h n_h/(n_h − 1) Σ_c (z_hc − z̄_h)², z_c = (Σ_c w·y − p Σ_c w) / Σ w, padding the design's
 *   clusters without respondents in the cell with z = 0 (as `designBasedProportion`);
 * - logit: expit(logit p ± t_df · √v / (p(1 − p))); Korn–Graubard: the Clopper–Pearson limits on
 *   n* = min(n, p(1 − p)/v) · (t_(n−1)/t_df)² (the cap is the NCHS rule; R does not cap), with df the
 *   clusters with data minus the strata with data.
 *
 * With every weight 1 this is `designBasedProportion` / `kornGraubardProportion`. Matches R to 1e-6
 * on the committed fixture (test/unit/analysis/fixtures/reference-values.R, "weighted").
 *
 * @throws {AnalysisInputError} `invalid_count` for a weight that is not finite and ≥ 0, a weighted yes
 *   outside [0, weight], or a weight of 0 with respondents; as `designBasedProportion` otherwise
 * @example
 * weightedDesignProportion([
 *   { cluster: 'a', n: 3, yes: 1, weight: 1.5, weightedYes: 1 }, { cluster: 'b', n: 4, yes: 2, weight: 2.25, weightedYes: 0.75 },
 *   { cluster: 'c', n: 2, yes: 1, weight: 2, weightedYes: 1 },
 * ], { interval: 'korn-graubard' })
 */
export function weightedDesignProportion (rows: readonly WeightedClusterCount[], options: WeightedDesignOptions): WeightedDesignResult {
  const level = resolveLevel(options.level)
  const { interval } = options
  for (const row of rows) {
    const ok = Number.isFinite(row.weight) && row.weight >= 0 && Number.isFinite(row.weightedYes) &&
      row.weightedYes >= 0 && row.weightedYes <= row.weight * (1 + 1e-12) && (row.n === 0 || row.weight > 0)
    if (!ok) throw new AnalysisInputError('invalid_count', `cluster "${row.cluster}": weight ${row.weight} and weighted yes ${row.weightedYes} must be finite, 0 ≤ weighted yes ≤ weight, and the weight > 0 where n > 0`)
  }
  const design = buildClusterDesign([rows], ['rows'], options.clustersPerStratum)
  const { n, yes } = groupTotals(design, 0)
  const base = { interval, n, count: yes, level }
  if (n === 0) return { status: 'no_data', ...base, reason: 'no respondents with a known value in this cell (n = 0)' }
  const totals = new Map(rows.map((row) => [row.cluster, row]))
  const W = rows.reduce((s, row) => s + row.weight, 0)
  const WY = rows.reduce((s, row) => s + row.weightedYes, 0)
  const p = WY / W
  const { clusters, strata } = clustersWithData(design, [0])
  const df = clusters - strata
  if (df < 1) return { status: 'not_estimable', ...base, p, se: null, reason: '0 degrees of freedom (one cluster, or one per stratum): no design-based interval exists' }
  const lonely = lonelyStratum(design, [0])
  if (lonely !== undefined) return { status: 'not_estimable', ...base, p, se: null, reason: `stratum "${lonely}" has only one cluster in the design` }
  const variance = yes === 0 || yes === n
    ? 0
    : linearisedVariance(design, (c) => {
      const t = totals.get(c.cluster)
      return t === undefined ? 0 : (t.weightedYes - p * t.weight) / W
    })
  const halfAlpha = (1 - level) / 2
  const deff = variance > 0 ? { deff: variance / (p * (1 - p) / (n - 1)) } : {}
  if (interval === 'logit') {
    if (variance === 0) return { status: 'not_estimable', ...base, p, se: 0, reason: 'the design standard error is 0 (p = 0 or 1, or every cluster alike): the logit interval does not exist' }
    const half = studentTQuantile(1 - halfAlpha, df) * Math.sqrt(variance) / (p * (1 - p))
    const logit = Math.log(p / (1 - p))
    return { status: 'estimated', ...base, p, lower: expit(logit - half), upper: expit(logit + half), se: Math.sqrt(variance), ...deff, df, clusters, strata }
  }
  const effectiveN = variance > 0 ? Math.min(n, p * (1 - p) / variance) : n
  const ratio = studentTQuantile(1 - halfAlpha, n - 1) / studentTQuantile(1 - halfAlpha, df)
  const effectiveNDf = effectiveN * ratio * ratio
  const lower = yes === 0 ? 0 : inverseRegularizedIncompleteBeta(halfAlpha, effectiveNDf * p, effectiveNDf * (1 - p) + 1)
  const upper = yes === n ? 1 : inverseRegularizedIncompleteBeta(1 - halfAlpha, effectiveNDf * p + 1, effectiveNDf * (1 - p))
  return { status: 'estimated', ...base, p, lower, upper, se: Math.sqrt(variance), ...deff, df, clusters, strata, effectiveN, effectiveNDf }
}

/** Most visits in 7 days a weight counts: more visits do not shrink the weight further. */
export const MAX_COUNTED_VISITS = 7

/**
 * A respondent's multiplicity (attendance) weight: 1 / visits to this site in the last 7 days (the
 * representative value of the answer's band: 1, 2.5, 5 or 7 in hverdag v2), counted from 1 (they are
 * here now) up to MAX_COUNTED_VISITS, so that someone who comes daily counts a seventh of someone who
 * came once. "Don't know", "prefer not to say", no answer or a version without the question (null)
 * gets weight 1: the respondent counts as a single visit, the weight of this visit alone, rather than
 * a guess at how often they come (README, "Attendance weights and repeat participation").
 * @example multiplicityWeight(3) // 0.3333…
 */
export function multiplicityWeight (visits: number | null): number {
  if (visits === null) return 1
  if (!Number.isFinite(visits) || visits < 0) throw new AnalysisInputError('invalid_count', `visits must be a number ≥ 0 or null, got ${String(visits)}`)
  return 1 / Math.min(MAX_COUNTED_VISITS, Math.max(1, visits))
}
