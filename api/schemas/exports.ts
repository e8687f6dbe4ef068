/**
 * A wave's anonymised microdata and its documentation (researcher, admin only; every download audited as export.*):
 *   GET /api/exports/waves/:waveId/microdata.csv?freeText=true    text/csv; one row per response, rows shuffled
 *   GET /api/exports/waves/:waveId/microdata.jsonl?freeText=true  application/x-ndjson; the same rows
 *   GET /api/exports/waves/:waveId/codebook.json                  every column: name, kind, question text, choices, indicator rule (nb, en, and each translation's code)
 *   GET /api/exports/waves/:waveId/codebook.md                    the same, readable
 *   GET /api/exports/waves/:waveId/read-microdata.R               an R script reading microdata.csv with labelled factors
 *   GET /api/exports/waves/:waveId/microdata.sav?language=nb|en   SPSS system file: the same rows, numeric codes, variable and value labels, user-missing values
 *   GET /api/exports/waves/:waveId/microdata.dta?language=nb|en   Stata 14+ (format 118): the same, missing codes as extended missing values .a, .b
 *   GET /api/exports/waves/:waveId/read-microdata.sps / .do       SPSS syntax / a Stata do-file reading microdata.csv into the same variables
 * Columns: the flat format `npm run analyze` reads (wave, site, site_kind, county, municipality, centrality,
 * gender, age_group, iso_week, one 1/0/empty column per indicator), then `q_<question>` per closed question
 * (its code; a checkbox's codes joined by ';'). Free-text questions only with freeText=true.
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { DirectionSchema, LanguageStatusSchema } from '../../survey-definitions/language-schemas.js'
import { Uuid } from './common.js'

export const ExportParamsSchema = Type.Object({ waveId: Uuid })

export const MicrodataQuerySchema = Type.Object({
  freeText: Type.Optional(Type.Boolean({ default: false, description: 'include free-text answers (anonymity rule 4: only when explicitly asked)' })),
}, { additionalProperties: false })
export type MicrodataQuery = Static<typeof MicrodataQuerySchema>

/** SPSS, Stata and their syntax readers: labels in one language; free text is never in them. */
export const LabelledQuerySchema = Type.Object({
  language: Type.Optional(Type.Union([Type.Literal('nb'), Type.Literal('en')], { default: 'nb', description: 'the language of variable and value labels (the codebook has both)' })),
}, { additionalProperties: false })
export type LabelledQuery = Static<typeof LabelledQuerySchema>

/**
 * A label in bokmål and English, and under its language code in each translation of the version that gives
 * it (a question's text and its choices; the codebook's own words and the indicator map's labels are nb and
 * en only).
 */
export interface LabelText { nb: string, en: string, [code: string]: string }
const Text = Type.Unsafe<LabelText>(Type.Object({ nb: Type.String(), en: Type.String() }, {
  additionalProperties: Type.String(),
  description: 'nb and en, and a translation\'s text under its language code (pl, uk, ar …) where the version has one',
}))

/** A language the codebook's labels are in: nb and en first, then the version's translations by code. */
export const CodebookLanguageSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  direction: DirectionSchema,
  status: LanguageStatusSchema,
})
export type CodebookLanguage = Static<typeof CodebookLanguageSchema>

export const CodebookColumnSchema = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('dimension'), Type.Literal('design'), Type.Literal('indicator'), Type.Literal('answer'), Type.Literal('free_text')], {
    description: 'design: the attendance weight w and the repeat flag answered_before, which the released figures are computed with',
  }),
  label: Text,
  /** The question's text for an answer column. */
  question: Type.Optional(Type.String()),
  questionType: Type.Optional(Type.String()),
  /** Coded values and their labels, in order (for an indicator: 1 yes, 0 no). */
  values: Type.Array(Type.Object({
    code: Type.String(),
    label: Text,
    /** The number this code has in the SPSS and Stata files (a missing code's number is SPSS's; Stata's is in missingCodes). */
    number: Type.Optional(Type.Integer()),
  })),
  /** Missing values: what an empty cell means. */
  missing: Text,
  /** For an indicator: its rule, as written in the indicator map, and in words. */
  rule: Type.Optional(Type.Object({
    anyOf: Type.Array(Type.Object({ question: Type.String(), values: Type.Array(Type.String()) })),
    text: Text,
  })),
  multiple: Type.Optional(Type.Boolean({ description: 'a checkbox: several codes joined by ";"' })),
  /** The missing values of the SPSS and Stata files: a code ('' for an empty cell), its SPSS user-missing number and Stata's extended missing value. */
  missingCodes: Type.Optional(Type.Array(Type.Object({ code: Type.String(), number: Type.Integer(), stata: Type.String(), label: Text }))),
  /** A checkbox in the SPSS and Stata files: one variable per choice, 1 chosen, 0 not chosen, and the column's missing codes. */
  dummies: Type.Optional(Type.Array(Type.Object({ name: Type.String(), code: Type.String(), label: Text }))),
})
export type CodebookColumn = Static<typeof CodebookColumnSchema>

export const CodebookSchema = Type.Object({
  wave: Type.Object({ id: Type.String(), name: Type.String(), opensOn: Type.String(), closesOn: Type.String() }),
  surveyVersion: Type.Object({ id: Type.Integer(), slug: Type.String(), version: Type.Integer(), checksum: Type.String() }),
  missingValues: Type.Array(Type.String()),
  /** The languages labels are given in: nb and en (always), then each translation of the version. */
  languages: Type.Array(CodebookLanguageSchema),
  columns: Type.Array(CodebookColumnSchema),
})
export type Codebook = Static<typeof CodebookSchema>
