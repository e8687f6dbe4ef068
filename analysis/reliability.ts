/**
 * Whether an estimated proportion is fit to publish, by the NCHS data presentation standard for
 * proportions (Parker et al. 2017), as we apply it to every results row.
 */

/** A rule an estimate fails. The first three withhold it; the others mark it for the reader. */
export type ReliabilityFlag =
  /** Effective sample size (n over the design effect, capped at n) below 30. */
  | 'effective_n_below_30'
  /** The interval is 30 percentage points wide or more. */
  | 'ci_width_30_or_more'
  /** Between 5 and 30 points wide, and wider than 130 % of the estimate. */
  | 'relative_width_above_130'
  /** No interval could be given (not estimable). */
  | 'no_interval'
  /** Fewer than 8 degrees of freedom (design-based rows). */
  | 'df_below_8'
  /** The complement 1 − p would fail the relative-width rule. */
  | 'complement_relative_width_above_130'
  /** An estimate of 0 % or 100 %. */
  | 'estimate_0_or_100'

export type PublishDecision = 'yes' | 'flag' | 'no'

export interface Reliability {
  readonly flags: ReliabilityFlag[]
  /** 'no': the standard says do not present it; 'flag': present it marked for caution; 'yes': present it. */
  readonly publish: PublishDecision
}

export interface ReliabilityInput {
  readonly n: number
  readonly estimate: number
  /** Absent when no interval exists. */
  readonly lower?: number
  readonly upper?: number
  /** The effective sample size where the design gives one; n otherwise. */
  readonly effectiveN?: number
  /** Design degrees of freedom; absent for intervals that assume simple random sampling. */
  readonly df?: number
}

/** Flags that mean "do not present". */
export const WITHHOLDING_FLAGS: ReadonlySet<ReliabilityFlag> = new Set(['effective_n_below_30', 'ci_width_30_or_more', 'relative_width_above_130', 'no_interval'])

export const MIN_EFFECTIVE_N = 30
export const MAX_ABSOLUTE_WIDTH = 0.30
/** The relative-width rule applies only to intervals wider than this. */
export const RELATIVE_RULE_FROM_WIDTH = 0.05
export const MAX_RELATIVE_WIDTH = 1.30
export const MIN_DF = 8

/**
 * The NCHS rules for one estimate:
 *
 * 1. effective sample size < 30 → do not present (n_eff = n/deff capped at n, so n < 30 fails too);
 * 2. interval width ≥ 0.30 → do not present;
 * 3. width > 0.05 and width/p > 1.30 → do not present (the standard does not apply it to narrower
 *    intervals, nor at p = 0 where it is undefined);
 * 4. degrees of freedom < 8, an estimate of 0 % or 100 %, or a complement 1 − p that would fail rule 3
 *    → present, flagged for statistical review.
 *
 * The standard pairs these rules with the Korn–Graubard interval; on rows of another method they are
 * applied to that method's interval (and n_eff = n without a design).
 *
 * @see https://www.cdc.gov/nchs/data/series/sr_02/sr02_175.pdf
 * @example
 * nchsReliability({ n: 1933, estimate: 0.145, lower: 0.13, upper: 0.16, effectiveN: 1933, df: 4 })
 * // { flags: ['df_below_8'], publish: 'flag' }
 */
export function nchsReliability (input: ReliabilityInput): Reliability {
  const flags: ReliabilityFlag[] = []
  const { estimate: p, lower, upper } = input
  if ((input.effectiveN ?? input.n) < MIN_EFFECTIVE_N) flags.push('effective_n_below_30')
  if (lower === undefined || upper === undefined) {
    flags.push('no_interval')
  } else {
    const width = upper - lower
    if (width >= MAX_ABSOLUTE_WIDTH) flags.push('ci_width_30_or_more')
    else if (width > RELATIVE_RULE_FROM_WIDTH) {
      if (p > 0 && width / p > MAX_RELATIVE_WIDTH) flags.push('relative_width_above_130')
      else if (p < 1 && width / (1 - p) > MAX_RELATIVE_WIDTH) flags.push('complement_relative_width_above_130')
    }
  }
  if (input.df !== undefined && input.df < MIN_DF) flags.push('df_below_8')
  if (p === 0 || p === 1) flags.push('estimate_0_or_100')
  const publish: PublishDecision = flags.some((flag) => WITHHOLDING_FLAGS.has(flag)) ? 'no' : flags.length > 0 ? 'flag' : 'yes'
  return { flags, publish }
}

/** Each flag in plain words, bokmål and English, for releases, the results app and the codebook. */
export const RELIABILITY_TEXT: Readonly<Record<ReliabilityFlag, { readonly nb: string, readonly en: string }>> = {
  effective_n_below_30: {
    nb: 'For få svar: tallet bygger på færre enn 30 personer når vi tar hensyn til at svar fra samme sted ligner hverandre.',
    en: 'Too few answers: the figure rests on fewer than 30 people once we allow for answers from the same place being alike.',
  },
  ci_width_30_or_more: {
    nb: 'For usikkert: feilmarginen spenner over 30 prosentpoeng eller mer.',
    en: 'Too uncertain: the margin of error spans 30 percentage points or more.',
  },
  relative_width_above_130: {
    nb: 'For usikkert: feilmarginen er bredere enn 1,3 ganger selve tallet.',
    en: 'Too uncertain: the margin of error is wider than 1.3 times the figure itself.',
  },
  no_interval: {
    nb: 'Ingen feilmargin kunne beregnes for dette tallet.',
    en: 'No margin of error could be calculated for this figure.',
  },
  df_below_8: {
    nb: 'Bygger på svar fra få steder, så feilmarginen er selv usikker.',
    en: 'Based on answers from few places, so the margin of error is itself uncertain.',
  },
  complement_relative_width_above_130: {
    nb: 'Tallet er nær 100 %, og andelen som svarte nei er for usikker til å vises alene.',
    en: 'The figure is close to 100 %, and the share who said no is too uncertain to show on its own.',
  },
  estimate_0_or_100: {
    nb: 'Tallet er 0 % eller 100 %: det betyr ikke at ingen eller alle i gruppen er utsatt.',
    en: 'The figure is 0 % or 100 %: that does not mean nobody or everybody in the group is exposed.',
  },
}
