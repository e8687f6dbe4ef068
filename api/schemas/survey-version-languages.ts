/**
 * A survey version's languages in the console (prefix /api/survey-versions; researcher, admin):
 *   GET  /:id/languages                      bokmål and English, then the version's translations by code
 *   POST /:id/languages/:code/review         { reviewer, checksum } → a draft becomes reviewed today (study calendar);
 *                                            409 language_already_reviewed, 404 language_unknown. Audited.
 *   GET  /:id/languages/:code/xliff?source=  the texts to translate as XLIFF 2.0 (survey-definitions/xliff.ts):
 *                                            a stored language's words as targets, a new language's empty
 *   POST /:id/languages/:code/xliff          { xliff, name } → the translation stored as a draft (201 added,
 *                                            200 otherwise); 422 invalid_translation listing every problem by
 *                                            key, nothing stored; 409 translation_changed. Audited.
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { DirectionSchema, LanguageCodeSchema, LanguageStatusSchema } from '../../survey-definitions/language-schemas.js'

const BaseLanguage = Type.Union([Type.Literal('nb'), Type.Literal('en')])

export const VersionLanguageParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,8}$' }),
  code: LanguageCodeSchema,
})
export type VersionLanguageParams = Static<typeof VersionLanguageParamsSchema>

export const VersionLanguageSchema = Type.Object({
  code: Type.String(),
  name: Type.String({ description: 'in its own script' }),
  direction: DirectionSchema,
  status: LanguageStatusSchema,
  /** bokmål and English: in the SurveyJS JSON itself, reviewed by the team that wrote it. */
  base: Type.Boolean(),
  reviewedBy: Type.Union([Type.String(), Type.Null()]),
  reviewedOn: Type.Union([Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), Type.Null()]),
  /** The language a translation was made from; null for bokmål and English. */
  source: Type.Union([BaseLanguage, Type.Null()]),
  /** What a review vouches for (survey-definitions/translation-files.ts, translationChecksum); null for the base. */
  checksum: Type.Union([Type.String(), Type.Null()]),
  /** Every text of the version has words in this language. */
  complete: Type.Boolean(),
  /** How many texts lack words (0 when complete). */
  missing: Type.Integer({ minimum: 0 }),
})
export type VersionLanguage = Static<typeof VersionLanguageSchema>

export const VersionLanguageListReplySchema = Type.Object({ languages: Type.Array(VersionLanguageSchema) })
export type VersionLanguageListReply = Static<typeof VersionLanguageListReplySchema>

export const ReviewLanguageBodySchema = Type.Object({
  reviewer: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'who checked every text: a fluent speaker' }),
  checksum: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'the checksum of the words the reviewer checked, as the list gave it: a review vouches for those words only' }),
}, { additionalProperties: false })
export type ReviewLanguageBody = Static<typeof ReviewLanguageBodySchema>

export const XliffQuerySchema = Type.Object({
  source: Type.Optional(BaseLanguage),
}, { additionalProperties: false })
export type XliffQuery = Static<typeof XliffQuerySchema>

export const XliffImportBodySchema = Type.Object({
  xliff: Type.String({ minLength: 1, description: 'the translated XLIFF 2.0 document, as exported' }),
  name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S', description: 'the language\'s name in its own script ("Polski")' }),
}, { additionalProperties: false })
export type XliffImportBody = Static<typeof XliffImportBodySchema>

export const TranslationProblemSchema = Type.Object({ key: Type.Optional(Type.String()), problem: Type.String() })
export type TranslationProblem = Static<typeof TranslationProblemSchema>
export const TranslationWarningSchema = Type.Object({ key: Type.String(), warning: Type.String() })
export type TranslationWarning = Static<typeof TranslationWarningSchema>

export const XliffImportReplySchema = Type.Object({
  outcome: Type.Union([Type.Literal('added'), Type.Literal('replaced'), Type.Literal('unchanged')]),
  language: VersionLanguageSchema,
  /** What a person should look at but may accept (a label likely too long for the tablet). */
  warnings: Type.Array(TranslationWarningSchema),
})
export type XliffImportReply = Static<typeof XliffImportReplySchema>

export const InvalidTranslationReplySchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  problems: Type.Array(TranslationProblemSchema),
  warnings: Type.Array(TranslationWarningSchema),
})
export type InvalidTranslationReply = Static<typeof InvalidTranslationReplySchema>
