/**
 * Results releases: frozen, disclosure-controlled tables of one wave (ARCHITECTURE.md, anonymity rule 6).
 * Routes (api/routes/releases.ts):
 *
 *   POST   /api/waves/:waveId/releases        researcher, admin  body ReleaseCreateBody → 201 ReleaseDetail
 *                                                                 (supersedes the wave's current release; audited)
 *   GET    /api/waves/:waveId/releases        researcher, admin  → ReleaseList (every release of the wave, newest first)
 *   GET    /api/releases[?waveId=]            funder, researcher, admin → ReleaseList (current releases only; with
 *                                                                 waveId, that wave's, or 404 naming a wave never released)
 *   GET    /api/releases/:releaseId           funder, researcher, admin → ReleaseDetail (a superseded one too:
 *                                                                 its summary says so and names its successor)
 *   POST   /api/releases/:releaseId/public-link   researcher, admin → 201 PublicLinkReply (replaces an earlier link; audited)
 *   DELETE /api/releases/:releaseId/public-link   researcher, admin → 204 (the link answers 404 from then on; audited)
 *   GET    /api/public/releases/:token        anyone             → ReleaseDetail, the same as GET /api/releases/:id
 *
 * A release is computed once and stored: later uploads never change it. A suppressed cell carries no
 * n, count, estimate or interval; a difference involving a suppressed cell is not given. Everything is
 * an aggregate: nothing is served at the level of one response.
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { ReleaseNoteSchema, ResultRowSchema } from './results.js'

export const RELEASE_METHODS = ['wilson', 'clopper-pearson', 'cluster', 'korn-graubard'] as const
export const ReleaseMethodSchema = Type.Union([Type.Literal('wilson'), Type.Literal('clopper-pearson'), Type.Literal('cluster'), Type.Literal('korn-graubard')], {
  description: 'interval method: wilson, clopper-pearson, cluster (design-based logit) or korn-graubard (design-based); ' +
    'default korn-graubard with sites as clusters when the wave has responses from at least 2 sites, wilson otherwise',
})
/** What a release does with an estimate the presentation standard says not to present. */
export const UNRELIABLE_POLICIES = ['withhold', 'mark'] as const
export const UnreliablePolicySchema = Type.Union([Type.Literal('withhold'), Type.Literal('mark')], {
  description: 'withhold (default): no estimate or interval, the reason in words; mark: shown, marked with the reason',
})
export type UnreliablePolicy = Static<typeof UnreliablePolicySchema>
/** How a release weights respondents (README, "Attendance weights and repeat participation"). */
export const WEIGHTINGS = ['none', 'attendance'] as const
export const WeightingSchema = Type.Union([Type.Literal('none'), Type.Literal('attendance')], {
  description: 'none (default): every respondent counts alike; attendance: each respondent weighted by 1 / visits to the site in 7 days (design-based methods only)',
})
export type Weighting = Static<typeof WeightingSchema>
/** Whether respondents who said they had already answered in this round are counted. */
export const REPEAT_POLICIES = ['exclude', 'include'] as const
export const RepeatPolicySchema = Type.Union([Type.Literal('exclude'), Type.Literal('include')], {
  description: 'exclude (default): respondents who said they had already answered in this round are kept but not counted; include: counted',
})
export type RepeatPolicy = Static<typeof RepeatPolicySchema>
export type ReleaseMethod = Static<typeof ReleaseMethodSchema>

export const RELEASE_DIMENSIONS = ['wave', 'gender', 'age_group', 'site_kind', 'county', 'municipality', 'centrality'] as const
export const ReleaseDimensionSchema = Type.Union([
  Type.Literal('wave'), Type.Literal('gender'), Type.Literal('age_group'), Type.Literal('site_kind'),
  Type.Literal('county'), Type.Literal('municipality'), Type.Literal('centrality'),
])
export type ReleaseDimension = Static<typeof ReleaseDimensionSchema>

/** A group of tables chosen by the researcher: each indicator broken down by `by` ([] = overall). */
export const TableChoiceSchema = Type.Object({
  indicators: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 200 }),
  by: Type.Array(ReleaseDimensionSchema, { maxItems: 3, uniqueItems: true, description: 'a breakdown or a crossing; [] for the overall figure' }),
}, { additionalProperties: false })
export type TableChoice = Static<typeof TableChoiceSchema>

export const ReleaseCreateBodySchema = Type.Object({
  tables: Type.Optional(Type.Array(TableChoiceSchema, {
    maxItems: 50,
    description: 'tables beyond the overview set, which every release includes; tables of the wave\'s earlier releases are included again',
  })),
  k: Type.Optional(Type.Integer({ minimum: 3, maximum: 1000, description: 'disclosure-control threshold, default 5, never below 3' })),
  method: Type.Optional(ReleaseMethodSchema),
  strata: Type.Optional(Type.Literal('county', { description: 'design-based methods only: counties as strata' })),
  level: Type.Optional(Type.Number({ minimum: 0.5, maximum: 0.999, description: 'confidence level, default 0.95' })),
  unreliable: Type.Optional(UnreliablePolicySchema),
  weights: Type.Optional(WeightingSchema),
  repeats: Type.Optional(RepeatPolicySchema),
}, { additionalProperties: false })
export type ReleaseCreateBody = Static<typeof ReleaseCreateBodySchema>

export const WaveParamsSchema = Type.Object({ waveId: Type.String({ format: 'uuid' }) })
export const ReleaseParamsSchema = Type.Object({ releaseId: Type.String({ format: 'uuid' }) })
export const PublicReleaseParamsSchema = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) })

/** One table of the release: an indicator by a breakdown. `overview` marks the tables every release has. */
export const ReleaseTableSpecSchema = Type.Object({
  indicator: Type.String(),
  by: Type.Array(Type.String()),
  overview: Type.Boolean(),
})
export type ReleaseTableSpec = Static<typeof ReleaseTableSpecSchema>

/**
 * One cell of "who answered": respondents by one dimension (or overall with `group` {}), after disclosure
 * control: a suppressed cell has no n.
 */
export const RespondentRowSchema = Type.Object({
  group: Type.Record(Type.String(), Type.String()),
  n: Type.Optional(Type.Integer()),
  suppressed: Type.Boolean(),
  rule: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
})
export type RespondentRow = Static<typeof RespondentRowSchema>

export const DIFFERENCE_KINDS = ['women_minus_men', 'wave_minus_previous'] as const

/**
 * A frozen difference of two published cells with its interval. `first` − `second`: women − men (group
 * {} or none), or this wave − the previous released wave (group {} overall or { gender }). When either
 * cell is suppressed (or an interval cannot be given) the numbers are absent and `reason` says why.
 */
export const DifferenceSchema = Type.Object({
  kind: Type.Union([Type.Literal('women_minus_men'), Type.Literal('wave_minus_previous')]),
  indicator: Type.String(),
  group: Type.Record(Type.String(), Type.String(), { description: 'the cell compared, e.g. {} or { gender: "woman" } for waves' }),
  first: Type.Object({ label: Type.String(), waveId: Type.String(), n: Type.Optional(Type.Integer()), count: Type.Optional(Type.Integer()), estimate: Type.Optional(Type.Number()) }),
  second: Type.Object({ label: Type.String(), waveId: Type.String(), n: Type.Optional(Type.Integer()), count: Type.Optional(Type.Integer()), estimate: Type.Optional(Type.Number()) }),
  difference: Type.Optional(Type.Number()),
  ci_low: Type.Optional(Type.Number()),
  ci_high: Type.Optional(Type.Number()),
  method: Type.Optional(Type.Union([Type.Literal('newcombe-hybrid'), Type.Literal('design-linearised')])),
  level: Type.Number(),
  suppressed: Type.Boolean({ description: 'true when a cell it needs is suppressed: no numbers are given' }),
  reason: Type.Optional(Type.String({ description: 'why no numbers are given' })),
  note: Type.Optional(Type.String({ description: 'how to read the interval (e.g. a fallback method, or waves compared as independent samples)' })),
  notes: Type.Optional(Type.Array(ReleaseNoteSchema, { description: 'reason and note as codes the results app words in the reader\'s language' })),
})
export type Difference = Static<typeof DifferenceSchema>

export const ReleaseSummarySchema = Type.Object({
  id: Type.String(),
  waveId: Type.String(),
  waveName: Type.String(),
  opensOn: Type.String({ description: 'the wave\'s first day, YYYY-MM-DD' }),
  closesOn: Type.String({ description: 'the wave\'s last day, YYYY-MM-DD' }),
  releasedAt: Type.String({ description: 'ISO 8601 time of the release' }),
  status: Type.Union([Type.Literal('current'), Type.Literal('superseded')]),
  supersededBy: Type.Union([Type.String(), Type.Null()]),
  k: Type.Integer(),
  method: ReleaseMethodSchema,
  strata: Type.Union([Type.Literal('county'), Type.Null()]),
  level: Type.Number(),
  unreliable: UnreliablePolicySchema,
  weights: WeightingSchema,
  repeats: RepeatPolicySchema,
  respondents: Type.Optional(Type.Integer({ description: 'responses of the wave counted in the release (absent if below k)' })),
  tableCount: Type.Integer(),
  hasPublicLink: Type.Boolean(),
})
export type ReleaseSummary = Static<typeof ReleaseSummarySchema>

export const ReleaseListSchema = Type.Object({ releases: Type.Array(ReleaseSummarySchema) })
export type ReleaseList = Static<typeof ReleaseListSchema>

export const IndicatorLabelSchema = Type.Object({
  name: Type.String(),
  label: Type.Object({ en: Type.String(), nb: Type.String() }),
  headline: Type.Boolean({ description: 'one of the overview\'s headline indicators' }),
})

const IntervalSchema = Type.Array(Type.Union([Type.Integer(), Type.Null()]), {
  minItems: 2,
  maxItems: 2,
  description: '[least, greatest] an attacker can prove from everything published (null: no upper bound)',
})

/** One suppressed cell as the audit saw it. */
export const AuditedCellSchema = Type.Object({
  indicator: Type.String({ description: 'the indicator, or "(respondents)" for who answered' }),
  by: Type.Array(Type.String()),
  group: Type.Record(Type.String(), Type.String()),
  rule: Type.String(),
  n: IntervalSchema,
  yes: Type.Optional(IntervalSchema),
  no: Type.Optional(IntervalSchema),
  problem: Type.Optional(Type.String({ description: 'why the cell is not protected' })),
})
export type AuditedCellReply = Static<typeof AuditedCellSchema>

/**
 * The audit of a release's disclosure control: for every suppressed count, the interval an attacker
 * with a linear/integer programming solver can prove (README, "Results releases").
 */
export const DisclosureAuditSchema = Type.Object({
  safe: Type.Boolean({ description: 'every suppressed cell protected: not determined, no count below k provable, none proven 0' }),
  solver: Type.String(),
  cells: Type.Integer({ description: 'cells in the release\'s tables' }),
  primary: Type.Integer(),
  secondary: Type.Integer(),
  minWidth: Type.Union([Type.Integer(), Type.Null()], { description: 'narrowest interval of a suppressed count' }),
  rounds: Type.Integer(),
  linearPrograms: Type.Integer(),
  seconds: Type.Number(),
  suppressed: Type.Array(AuditedCellSchema),
})
export type DisclosureAudit = Static<typeof DisclosureAuditSchema>

/** Everything the results pages need for one release, in one answer. */
export const ReleaseDetailSchema = Type.Object({
  release: ReleaseSummarySchema,
  source: Type.String({ description: 'the source line for figures and tables (English; the results app words it from the release\'s facts in the reader\'s language)' }),
  sites: Type.Optional(Type.Integer({ description: 'sites whose responses the release counted' })),
  lead: Type.Optional(Type.String({ description: 'the indicator the overview states in its first sentence, by gender: the first headline indicator (any violence, last 12 months)' })),
  indicators: Type.Array(IndicatorLabelSchema, { description: 'every indicator in the release, headline ones first' }),
  tables: Type.Array(ReleaseTableSpecSchema),
  respondents: Type.Array(RespondentRowSchema, { description: 'who answered: overall, then by gender, age_group, site_kind, county' }),
  rows: Type.Array(ResultRowSchema, { description: 'every cell of every table, per indicator then per table; a row\'s table is its indicator and the keys of its group, which come in no set order' }),
  differences: Type.Array(DifferenceSchema),
  notes: Type.Array(Type.Object({ en: Type.String(), nb: Type.String() }), {
    description: 'how to read the release, in both languages: its weighting and how many respondents said they had already answered in this round',
  }),
  audit: Type.Optional(Type.Union([DisclosureAuditSchema, Type.Null()], {
    description: 'researchers only, in the answer to making a release: the audit of its disclosure control (null for releases made before the audit)',
  })),
})
export type ReleaseDetail = Static<typeof ReleaseDetailSchema>

/** A stored release's disclosure audit, for researchers (null for releases made before the audit). */
export const ReleaseAuditReplySchema = Type.Object({ audit: Type.Union([DisclosureAuditSchema, Type.Null()]) })
export type ReleaseAuditReply = Static<typeof ReleaseAuditReplySchema>

/** What a release would publish, computed and audited but not stored. */
export const ReleasePreviewSchema = Type.Object({
  source: Type.String(),
  tables: Type.Array(ReleaseTableSpecSchema),
  respondents: Type.Array(RespondentRowSchema),
  rows: Type.Array(ResultRowSchema),
  audit: DisclosureAuditSchema,
})
export type ReleasePreview = Static<typeof ReleasePreviewSchema>

export const PublicLinkReplySchema = Type.Object({
  token: Type.String({ description: 'shown once: only its hash is stored' }),
  path: Type.String({ description: 'the release as data: /api/public/releases/<token>' }),
  page: Type.String({ description: 'the page to give to readers: /results/?link=<token>' }),
})
export type PublicLinkReply = Static<typeof PublicLinkReplySchema>
