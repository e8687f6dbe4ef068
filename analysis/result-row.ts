/**
 * A row of a results table as published: from an estimator's result, or for a suppressed cell,
 * with no numbers at all.
 */
import type { CellGroup, SuppressionRule } from './disclosure-control/types.js'
import type { DesignProportionResult, KornGraubardResult, ProportionMethod, ProportionResult } from './estimate.js'
import { nchsReliability } from './reliability.js'
import type { Reliability } from './reliability.js'

/**
 * One published row. A suppressed row carries no numbers: only that it is suppressed, the `rule`
 * and the `reason`. A row without an estimate or interval (no data, not estimable) says why in
 * `reason`; an estimate from a fallback method carries the fallback's reason.
 */
export interface ResultRow {
  readonly indicator: string
  readonly group: CellGroup
  readonly n?: number
  readonly count?: number
  readonly estimate?: number
  readonly ci_low?: number
  readonly ci_high?: number
  readonly method: ProportionMethod
  /** true on an estimate weighted by attendance (multiplicity weights, sites as clusters). */
  readonly weighted?: boolean
  /** Design effect, on design-based rows where it is defined. */
  readonly deff?: number
  /** Design degrees of freedom (clusters with data − strata with data), on design-based rows. */
  readonly df?: number
  /** Effective sample size, capped at n (Korn–Graubard rows). */
  readonly effective_n?: number
  /** The NCHS presentation standard's verdict on a published row with an estimate. */
  readonly reliability?: Reliability
  readonly suppressed: boolean
  /** Why a suppressed row is suppressed. */
  readonly rule?: SuppressionRule
  readonly reason?: string
}

const RULE_REASONS: Readonly<Record<SuppressionRule, (k: number) => string>> = {
  n_below_k: (k) => `suppressed (primary): fewer than ${k} respondents with a known value`,
  yes_below_k: (k) => `suppressed (primary): fewer than ${k} answered yes`,
  no_below_k: (k) => `suppressed (primary): fewer than ${k} answered no`,
  change_below_k: (k) => `suppressed (primary): changed since an earlier release by fewer than ${k} respondents`,
  complementary: () => 'suppressed (secondary): publishing it would let a suppressed cell be recovered from the published figures',
}

/** A suppressed cell: the method it was requested with, the rule and the reason, and no numbers. */
export function suppressedRow (indicator: string, group: CellGroup, method: ProportionMethod, rule: SuppressionRule, k: number): ResultRow {
  return { indicator, group, method, suppressed: true, rule, reason: RULE_REASONS[rule](k) }
}

/**
 * A published cell from its estimator's result: the estimate and interval where they exist, the
 * reason where they do not (no data, not estimable) or where a fallback method gave them.
 * Keys come in the documented order, so the CLI's JSON reads as the API's does.
 */
export function publishedRow (indicator: string, group: CellGroup, result: ProportionResult | DesignProportionResult | KornGraubardResult): ResultRow {
  switch (result.status) {
    case 'no_data':
      return { indicator, group, n: 0, count: 0, method: result.method, suppressed: false, reason: result.reason }
    case 'not_estimable':
      return {
        indicator,
        group,
        n: result.n,
        count: result.count,
        estimate: result.p,
        method: result.method,
        ...(result.deff === null ? {} : { deff: result.deff }),
        suppressed: false,
        reliability: nchsReliability({ n: result.n, estimate: result.p }),
        reason: result.reason,
      }
    case 'estimated': {
      const design = 'df' in result ? result : undefined
      // A Wilson interval given for want of degrees of freedom keeps that fact in the flags.
      const df = design?.df ?? (result.fallback === undefined ? undefined : 0)
      const effectiveN = 'effectiveN' in result ? result.effectiveN : undefined
      return {
        indicator,
        group,
        n: result.n,
        count: result.count,
        estimate: result.p,
        ci_low: result.lower,
        ci_high: result.upper,
        method: result.method,
        ...(design !== undefined && result.deff !== undefined ? { deff: result.deff } : {}),
        ...(design === undefined ? {} : { df: design.df }),
        ...(effectiveN === undefined ? {} : { effective_n: effectiveN }),
        suppressed: false,
        reliability: nchsReliability({
          n: result.n,
          estimate: result.p,
          lower: result.lower,
          upper: result.upper,
          ...(effectiveN === undefined ? {} : { effectiveN }),
          ...(df === undefined ? {} : { df }),
        }),
        ...(result.fallback === undefined ? {} : { reason: result.fallback.reason }),
      }
    }
  }
}
