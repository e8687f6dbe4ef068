import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

// Lists are comma-separated; names are checked by the route against the dimensions, methods and the
// indicators table, so that a 4xx can name the unknown one.
export const ResultsQuerySchema = Type.Object({
  waves: Type.String({ minLength: 1, maxLength: 2000, description: 'wave ids, comma-separated' }),
  indicators: Type.Optional(Type.String({ maxLength: 10_000, description: 'indicator names, comma-separated; default every indicator of the waves\' survey versions' })),
  by: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), {
    maxItems: 10,
    description: 'a breakdown: any of wave, gender, age_group, site_kind, county, municipality, centrality, comma-separated; ' +
      'empty for the overall figure (the default). Repeat by= for several tables, released together under one disclosure control',
  })),
  method: Type.Optional(Type.String({ maxLength: 50, description: 'wilson (default), clopper-pearson, cluster (design-based logit) or korn-graubard (design-based Korn–Graubard), both with sites as clusters' })),
  strata: Type.Optional(Type.String({ maxLength: 50, description: 'design-based methods only: a site dimension whose values are strata, e.g. county' })),
  level: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'confidence level, default 0.95' })),
  k: Type.Optional(Type.Integer({ minimum: 3, maximum: 1000, description: 'disclosure-control threshold, default 5, never below 3' })),
  weights: Type.Optional(Type.String({ maxLength: 50, description: 'none (default) or attendance: each respondent weighted by 1 / visits to the site in 7 days (design-based methods only)' })),
  repeats: Type.Optional(Type.String({ maxLength: 50, description: 'exclude (default) or include the respondents who said they had already answered in this round' })),
}, { additionalProperties: false })
export type ResultsQuery = Static<typeof ResultsQuerySchema>

const SuppressionRuleSchema = Type.Union([
  Type.Literal('n_below_k'),
  Type.Literal('yes_below_k'),
  Type.Literal('no_below_k'),
  Type.Literal('change_below_k'),
  Type.Literal('complementary'),
])

export const RELIABILITY_FLAGS = [
  'effective_n_below_30', 'ci_width_30_or_more', 'relative_width_above_130', 'no_interval',
  'df_below_8', 'complement_relative_width_above_130', 'estimate_0_or_100',
] as const

/** The NCHS presentation standard's verdict on a row (analysis/reliability.ts). */
export const ReliabilitySchema = Type.Object({
  flags: Type.Array(Type.Union([
    Type.Literal('effective_n_below_30'), Type.Literal('ci_width_30_or_more'), Type.Literal('relative_width_above_130'), Type.Literal('no_interval'),
    Type.Literal('df_below_8'), Type.Literal('complement_relative_width_above_130'), Type.Literal('estimate_0_or_100'),
  ]), { description: 'the rules the estimate fails' }),
  publish: Type.Union([Type.Literal('yes'), Type.Literal('flag'), Type.Literal('no')], {
    description: 'yes: fit to present; flag: present, marked for caution; no: the standard says do not present it',
  }),
  withheld: Type.Optional(Type.Boolean({ description: 'in a release: the estimate and interval were withheld because publish is no' })),
  explanation: Type.Optional(Type.Object({ nb: Type.String(), en: Type.String() }, { description: 'in a release: each flag in plain words' })),
})
export type ReliabilityReply = Static<typeof ReliabilitySchema>

export const RELEASE_NOTE_CODES: ReadonlyArray<ReleaseNote['code']> = [
  'no_data', 'one_site', 'one_site_per_stratum', 'lonely_stratum', 'no_interval_at_0_or_100', 'no_design_variance',
  'group_empty', 'side_missing', 'side_suppressed', 'side_withheld', 'group_at_0_or_100', 'independent_waves', 'weighted_no_difference', 'one_site_no_interval', 'unexplained',
] as const

/**
 * A note on a released figure as a code and its numbers, so the results app says it in the reader's
 * language and in plain words (api/services/release-notes.ts); never an id. `side` names which of a
 * difference's two cells (first, second) the note is about.
 */
export const ReleaseNoteSchema = Type.Object({
  code: Type.Union([
    Type.Literal('no_data'), Type.Literal('one_site'), Type.Literal('one_site_per_stratum'), Type.Literal('lonely_stratum'),
    Type.Literal('no_interval_at_0_or_100'), Type.Literal('no_design_variance'), Type.Literal('group_empty'), Type.Literal('side_missing'),
    Type.Literal('side_suppressed'), Type.Literal('side_withheld'), Type.Literal('group_at_0_or_100'), Type.Literal('independent_waves'),
    Type.Literal('weighted_no_difference'), Type.Literal('one_site_no_interval'), Type.Literal('unexplained'),
  ]),
  n: Type.Optional(Type.Integer({ description: 'respondents the note is about' })),
  strata: Type.Optional(Type.Integer({ description: 'strata (counties) the note is about' })),
  side: Type.Optional(Type.Union([Type.Literal('first'), Type.Literal('second'), Type.Literal('both')])),
}, { additionalProperties: false })
export type ReleaseNote = Static<typeof ReleaseNoteSchema>

/** One cell of a results table; a suppressed cell carries no numbers (see analysis/results-table.ts). */
export const ResultRowSchema = Type.Object({
  indicator: Type.String(),
  group: Type.Record(Type.String(), Type.String(), { description: 'dimension → value; "unknown" where the value is missing' }),
  n: Type.Optional(Type.Integer({ description: 'respondents with a known value' })),
  count: Type.Optional(Type.Integer({ description: 'respondents with the value yes' })),
  estimate: Type.Optional(Type.Number()),
  ci_low: Type.Optional(Type.Number()),
  ci_high: Type.Optional(Type.Number()),
  method: Type.Union([Type.Literal('wilson'), Type.Literal('clopper-pearson'), Type.Literal('design-logit'), Type.Literal('korn-graubard')]),
  weighted: Type.Optional(Type.Boolean({ description: 'true: the estimate and interval are weighted by attendance' })),
  deff: Type.Optional(Type.Number({ description: 'design effect (design-based rows)' })),
  df: Type.Optional(Type.Integer({ description: 'design degrees of freedom: sites with data − strata with data (design-based rows)' })),
  effective_n: Type.Optional(Type.Number({ description: 'effective sample size, capped at n (Korn–Graubard rows)' })),
  reliability: Type.Optional(ReliabilitySchema),
  suppressed: Type.Boolean(),
  rule: Type.Optional(SuppressionRuleSchema),
  reason: Type.Optional(Type.String({ description: 'why a row is suppressed, has no estimate or interval, or used a fallback method' })),
  notes: Type.Optional(Type.Array(ReleaseNoteSchema, { description: 'in a release: the reason as codes the results app words in the reader\'s language, read from the frozen reason when served' })),
})
export type ResultRowReply = Static<typeof ResultRowSchema>

export const ResultsReplySchema = Type.Object({
  rows: Type.Array(ResultRowSchema),
})
export type ResultsReply = Static<typeof ResultsReplySchema>
