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
  method: Type.Optional(Type.String({ maxLength: 50, description: 'wilson (default), clopper-pearson or cluster (design-based, sites as clusters)' })),
  strata: Type.Optional(Type.String({ maxLength: 50, description: 'method cluster only: a site dimension whose values are strata, e.g. county' })),
  level: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'confidence level, default 0.95' })),
  k: Type.Optional(Type.Integer({ minimum: 3, maximum: 1000, description: 'disclosure-control threshold, default 5, never below 3' })),
}, { additionalProperties: false })
export type ResultsQuery = Static<typeof ResultsQuerySchema>

const SuppressionRuleSchema = Type.Union([
  Type.Literal('n_below_k'),
  Type.Literal('yes_below_k'),
  Type.Literal('no_below_k'),
  Type.Literal('change_below_k'),
  Type.Literal('complementary'),
])

/** One cell of a results table; a suppressed cell carries no numbers (see analysis/results-table.ts). */
export const ResultRowSchema = Type.Object({
  indicator: Type.String(),
  group: Type.Record(Type.String(), Type.String(), { description: 'dimension → value; "unknown" where the value is missing' }),
  n: Type.Optional(Type.Integer({ description: 'respondents with a known value' })),
  count: Type.Optional(Type.Integer({ description: 'respondents with the value yes' })),
  estimate: Type.Optional(Type.Number()),
  ci_low: Type.Optional(Type.Number()),
  ci_high: Type.Optional(Type.Number()),
  method: Type.Union([Type.Literal('wilson'), Type.Literal('clopper-pearson'), Type.Literal('design-logit')]),
  deff: Type.Optional(Type.Number({ description: 'design effect (design-based rows)' })),
  suppressed: Type.Boolean(),
  rule: Type.Optional(SuppressionRuleSchema),
  reason: Type.Optional(Type.String({ description: 'why a row is suppressed, has no estimate or interval, or used a fallback method' })),
})
export type ResultRowReply = Static<typeof ResultRowSchema>

export const ResultsReplySchema = Type.Object({
  rows: Type.Array(ResultRowSchema),
})
export type ResultsReply = Static<typeof ResultsReplySchema>
