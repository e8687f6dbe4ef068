/**
 * Survey versions in the console (prefix /api/survey-versions; researcher, admin):
 *   GET  /api/survey-versions                  the published versions, newest first
 *   GET  /api/survey-versions/available        the definitions in survey-definitions/ and whether each is
 *                                              new, published, or changed since publication (refused)
 *   GET  /api/survey-versions/:id              one version with its definition and indicator map (read-only rendering)
 *   POST /api/survey-versions/from-definitions { slug, version } → 201 publishes one from survey-definitions/
 *   POST /api/survey-versions                  { slug, version, survey, indicatorMap } → 201 publishes an upload
 * Both POSTs run exactly `npm run definitions:check`'s checks: a failure is 400
 * { code: 'invalid_definition', message, question?, problems: [{ file, question?, problem }] }. A version
 * number already published with other content is 409 survey_version_changed; the same content is 200
 * with outcome 'unchanged'. Audited: survey_version.publish.
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'

const Slug = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100 })
const VersionNumber = Type.Integer({ minimum: 1, maximum: 100_000 })

export const SurveyVersionSummarySchema = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  version: Type.Integer(),
  checksum: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  title: Type.Object({ nb: Type.String(), en: Type.String() }),
  questionCount: Type.Integer(),
  indicatorCount: Type.Integer(),
  /** How many waves use it (any status). */
  waveCount: Type.Integer(),
})
export type SurveyVersionSummary = Static<typeof SurveyVersionSummarySchema>

export const SurveyVersionListReplySchema = Type.Object({ versions: Type.Array(SurveyVersionSummarySchema) })
export type SurveyVersionListReply = Static<typeof SurveyVersionListReplySchema>

// Digits, not an integer schema: Ajv's type coercion turns "1e309" into Infinity and lets it through every
// integer bound, and the database then fails on it (a 500 found by fuzzing). Nine digits stay within int4.
export const SurveyVersionIdParamsSchema = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }) })
export type SurveyVersionIdParams = Static<typeof SurveyVersionIdParamsSchema>

export const SurveyVersionDetailSchema = Type.Composite([SurveyVersionSummarySchema, Type.Object({
  definition: Type.Record(Type.String(), Type.Unknown()),
  indicatorMap: Type.Record(Type.String(), Type.Unknown()),
})])
export type SurveyVersionDetail = Static<typeof SurveyVersionDetailSchema>

export const DefinitionProblemSchema = Type.Object({
  file: Type.String({ description: 'the file (or, for an upload, "survey" or "indicatorMap")' }),
  question: Type.Optional(Type.String()),
  problem: Type.String(),
})
export type DefinitionProblem = Static<typeof DefinitionProblemSchema>

export const AvailableDefinitionSchema = Type.Object({
  slug: Type.String(),
  version: Type.Integer(),
  /** new: may be published; published: already in the database unchanged; changed: published with other content (refused); invalid: fails the checks. */
  status: Type.Union([Type.Literal('new'), Type.Literal('published'), Type.Literal('changed'), Type.Literal('invalid')]),
  checksum: Type.Optional(Type.String()),
  problems: Type.Array(DefinitionProblemSchema),
  /** A published version's translation files that publishing it again would store (a new language, or a draft now reviewed). */
  languagesToPublish: Type.Optional(Type.Array(Type.String())),
})
export const AvailableDefinitionsReplySchema = Type.Object({ definitions: Type.Array(AvailableDefinitionSchema) })
export type AvailableDefinitionsReply = Static<typeof AvailableDefinitionsReplySchema>

export const PublishFromDefinitionsBodySchema = Type.Object({ slug: Slug, version: VersionNumber }, { additionalProperties: false })
export type PublishFromDefinitionsBody = Static<typeof PublishFromDefinitionsBodySchema>

export const PublishUploadBodySchema = Type.Object({
  slug: Slug,
  version: VersionNumber,
  survey: Type.Record(Type.String(), Type.Unknown(), { description: 'the SurveyJS JSON' }),
  indicatorMap: Type.Record(Type.String(), Type.Unknown(), { description: 'the indicator map (as v<N>.indicators.json)' }),
  instrument: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
    description: 'the instrument\'s rules (as <slug>/instrument.json); default the file survey-definitions/ ships for the slug',
  })),
}, { additionalProperties: false })
export type PublishUploadBody = Static<typeof PublishUploadBodySchema>

export const PublishReplySchema = Type.Object({
  outcome: Type.Union([Type.Literal('published'), Type.Literal('unchanged')]),
  version: SurveyVersionSummarySchema,
})
export type PublishReply = Static<typeof PublishReplySchema>

export const InvalidDefinitionReplySchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  question: Type.Optional(Type.String()),
  /** Every problem (absent when the request itself was malformed, e.g. a bad slug). */
  problems: Type.Optional(Type.Array(DefinitionProblemSchema)),
})
export type InvalidDefinitionReply = Static<typeof InvalidDefinitionReplySchema>
