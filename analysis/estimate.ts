/**
 * Result types shared by every estimator in analysis/.
 *
 * Every result is a discriminated union on `status`, so a caller cannot print a number that does
 * not exist:
 * - `estimated`: a point estimate with an interval;
 * - `no_data`: nobody in the cell (n = 0); no estimate, and `reason` says so;
 * - `not_estimable`: there is data and a point estimate, but the requested interval does not exist
 *   for it (for example the design-based logit interval at p = 0); `reason` says why.
 * Numbers are never NaN or infinite; a missing number is absent from the type, not NaN.
 */

/** Interval methods for one proportion. */
export type ProportionMethod = 'wilson' | 'clopper-pearson' | 'design-logit' | 'korn-graubard'

/** Interval methods for a difference of two proportions. */
export type DifferenceMethod = 'newcombe-hybrid' | 'design-linearised'

/** Set when the requested method could not be used and another one was, with the reason. */
export interface Fallback {
  readonly from: ProportionMethod | DifferenceMethod
  readonly reason: string
}

/** A proportion with its confidence interval. */
export interface ProportionEstimate {
  readonly status: 'estimated'
  readonly method: ProportionMethod
  /** Respondents with a known value (the denominator). */
  readonly n: number
  /** Respondents with the value yes. */
  readonly count: number
  /** The estimate count / n. */
  readonly p: number
  readonly lower: number
  readonly upper: number
  /** Confidence level, e.g. 0.95. */
  readonly level: number
  /** Design effect; present only on design-based estimates. */
  readonly deff?: number
  /** Present when this estimate replaces a method that could not be used. */
  readonly fallback?: Fallback
}

/** A design-based proportion (sites as clusters, optionally counties as strata). */
export interface DesignProportionEstimate extends ProportionEstimate {
  readonly method: 'design-logit'
  /** Design effect: design variance / simple-random-sampling variance p(1 − p)/(n − 1). */
  readonly deff: number
  /** Linearised standard error of p. */
  readonly se: number
  /** Degrees of freedom of the t quantile: clusters with data − strata with data. */
  readonly df: number
  /** Clusters with at least one respondent in the cell. */
  readonly clusters: number
  /** Strata with at least one respondent in the cell (1 when unstratified). */
  readonly strata: number
}

/** A Wilson interval given in place of a design-based one that does not exist (one cluster, 0 df). */
export interface WilsonFallbackEstimate extends ProportionEstimate {
  readonly method: 'wilson'
  readonly fallback: Fallback
}

/** Nobody in the cell: no estimate. */
export interface NoData<M extends string = ProportionMethod> {
  readonly status: 'no_data'
  readonly method: M
  readonly n: 0
  readonly count: 0
  readonly level: number
  readonly reason: string
}

/** There is a point estimate, but the requested interval does not exist for it. */
export interface NotEstimable<M extends string = ProportionMethod> {
  readonly status: 'not_estimable'
  readonly method: M
  readonly n: number
  readonly count: number
  readonly p: number
  readonly level: number
  readonly reason: string
  /** Linearised standard error where it could be computed (0 when that is the reason), else null. */
  readonly se: number | null
  /** Design effect where it is defined, else null (it is 0/0 at p = 0 or 1). */
  readonly deff: number | null
}

/**
 * A Korn–Graubard proportion (sites as clusters, optionally counties as strata), with the effective
 * sample sizes the interval and the presentation standard use.
 */
export interface KornGraubardEstimate extends ProportionEstimate {
  readonly method: 'korn-graubard'
  /** Linearised standard error of p (0 at p = 0 or 1). */
  readonly se: number
  /** Design effect as on design-logit rows; absent where it is 0/0 (p = 0 or 1). */
  readonly deff?: number
  /** Degrees of freedom: clusters with data − strata with data. */
  readonly df: number
  readonly clusters: number
  readonly strata: number
  /** p(1 − p)/v, capped at n where the design effect is below 1 or undefined (the NCHS rule). */
  readonly effectiveN: number
  /** effectiveN × (t(n − 1)/t(df))², the size the beta quantiles use. */
  readonly effectiveNDf: number
}

/** Result of a single-sample interval (Wilson, Clopper–Pearson). */
export type ProportionResult = ProportionEstimate | NoData

/** Result of the design-based estimator; a Wilson estimate with `fallback` when the design gives 0 degrees of freedom. */
export type DesignProportionResult =
  | DesignProportionEstimate
  | WilsonFallbackEstimate
  | NoData<'design-logit'>
  | NotEstimable<'design-logit'>

/** Result of the Korn–Graubard estimator; a Wilson estimate with `fallback` when the design gives 0 degrees of freedom. */
export type KornGraubardResult =
  | KornGraubardEstimate
  | WilsonFallbackEstimate
  | NoData<'korn-graubard'>
  | NotEstimable<'korn-graubard'>

/** The counts and proportion of one group of a difference. */
export interface GroupSummary {
  readonly n: number
  readonly count: number
  readonly p: number
}

/** A group of a Newcombe difference, with the Wilson limits the hybrid interval is built from. */
export interface NewcombeGroup extends GroupSummary {
  readonly lower: number
  readonly upper: number
}

/** A group of a design-based difference, with its own linearised SE and design effect. */
export interface DesignGroup extends GroupSummary {
  readonly se: number
  /** Null where the design effect is 0/0 (p = 0 or 1). */
  readonly deff: number | null
}

/** A difference of proportions, first − second, with its interval. */
export interface DifferenceEstimate<M extends DifferenceMethod = DifferenceMethod, G extends GroupSummary = GroupSummary> {
  readonly status: 'estimated'
  readonly method: M
  /** p(first) − p(second). */
  readonly difference: number
  readonly lower: number
  readonly upper: number
  readonly level: number
  readonly first: G
  readonly second: G
  readonly fallback?: Fallback
  /** A caution about this interval that is not a reason to withhold it. */
  readonly note?: string
}

/** A design-based difference: linearised SE with the covariance of the two groups through shared clusters. */
export interface DesignDifferenceEstimate extends DifferenceEstimate<'design-linearised', DesignGroup> {
  readonly se: number
  readonly df: number
  readonly clusters: number
  readonly strata: number
}

/** Newcombe's interval given in place of a design-based one that does not exist (0 df). */
export interface NewcombeFallbackEstimate extends DifferenceEstimate<'newcombe-hybrid', NewcombeGroup> {
  readonly fallback: Fallback
}

/** One group (or both) has nobody: no difference. */
export interface DifferenceNoData<M extends DifferenceMethod = DifferenceMethod> {
  readonly status: 'no_data'
  readonly method: M
  readonly level: number
  readonly reason: string
  readonly first: { readonly n: number, readonly count: number }
  readonly second: { readonly n: number, readonly count: number }
}

/** The difference exists but its interval does not. */
export interface DifferenceNotEstimable<M extends DifferenceMethod = DifferenceMethod> {
  readonly status: 'not_estimable'
  readonly method: M
  readonly difference: number
  readonly level: number
  readonly reason: string
  readonly first: GroupSummary
  readonly second: GroupSummary
}

/** Result of Newcombe's hybrid score interval. */
export type NewcombeDifferenceResult =
  | DifferenceEstimate<'newcombe-hybrid', NewcombeGroup>
  | DifferenceNoData<'newcombe-hybrid'>

/** Result of the design-based difference; a Newcombe estimate with `fallback` when the design gives no degrees of freedom. */
export type DesignDifferenceResult =
  | DesignDifferenceEstimate
  | NewcombeFallbackEstimate
  | DifferenceNoData<'design-linearised'>
  | DifferenceNotEstimable<'design-linearised'>

/** The `no_data` result for a single proportion. */
export function noData<M extends string> (method: M, level: number, reason = 'no respondents with a known value in this cell (n = 0)'): NoData<M> {
  return { status: 'no_data', method, n: 0, count: 0, level, reason }
}
