import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { canonicalJson } from './index.js'
import type { JsonObject } from './index.js'
import { isCalendarDate } from './calendar-date.js'
import { DirectionSchema, LanguageCodeSchema, LanguageStatusSchema } from './language-schemas.js'
import { BASE_LANGUAGES, TRANSLATION_FILE, translationFileName, translationProblems } from './languages.js'
import type { Direction, TranslationFile } from './languages.js'
import type { Problem } from './problem.js'

/** The shape of `<slug>/v<N>.lang.<code>.json` (survey-definitions/README.md, "Languages"). */
export const TranslationFileSchema = Type.Object({
  code: LanguageCodeSchema,
  name: Type.String({ minLength: 1, maxLength: 60 }),
  direction: DirectionSchema,
  status: LanguageStatusSchema,
  review: Type.Optional(Type.Object({ by: Type.String({ minLength: 1, maxLength: 200 }), on: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }) }, { additionalProperties: false })),
  source: Type.Union(BASE_LANGUAGES.map((code) => Type.Literal(code))),
  strings: Type.Record(Type.String(), Type.String()),
}, { additionalProperties: false })

export type TranslationFileJson = Static<typeof TranslationFileSchema>

/** The translation files beside a version's survey file, by language code, in code order. */
export function findTranslationFiles (surveyFile: string, version: number): Array<{ code: string, file: string }> {
  const folder = dirname(surveyFile)
  if (!existsSync(folder)) return []
  return readdirSync(folder)
    .map((name) => ({ name, match: TRANSLATION_FILE.exec(name) }))
    .filter(({ match }) => match !== null && Number(match[1]) === version)
    .map(({ name, match }) => ({ code: match![2]!, file: join(folder, name) }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
}

export const translationFilePath = (surveyFile: string, version: number, code: string): string =>
  join(dirname(surveyFile), translationFileName(version, code))

/** Reads one translation file; its shape problems, or the file. */
export function readTranslationFile (file: string): { translation?: TranslationFile, problems: string[] } {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    return { problems: [`is not valid JSON: ${error instanceof Error ? error.message : String(error)}`] }
  }
  const problems = translationShapeProblems(parsed)
  return problems.length > 0 ? { problems } : { translation: parsed as TranslationFile, problems: [] }
}

/** What is wrong with a translation's shape and metadata, before its texts are compared with the survey. */
export function translationShapeProblems (value: unknown): string[] {
  if (!Value.Check(TranslationFileSchema, value)) {
    return [...Value.Errors(TranslationFileSchema, value)].slice(0, 5).map((error) => `does not match the translation file schema at ${error.path || '/'}: ${error.message}`)
  }
  const problems: string[] = []
  if ((BASE_LANGUAGES as readonly string[]).includes(value.code)) problems.push(`"${value.code}" is in the survey file itself; a translation file is for another language`)
  if (value.status === 'reviewed' && value.review === undefined) problems.push('a reviewed translation says who reviewed it and when: "review": { "by": "…", "on": "YYYY-MM-DD" }')
  if (value.review !== undefined && !isCalendarDate(value.review.on)) problems.push(`review.on "${value.review.on}" is not a calendar date`)
  const expected = scriptDirection(value.code)
  if (expected !== undefined && expected !== value.direction) problems.push(`direction is "${value.direction}", but ${value.code} is written ${expected === 'rtl' ? 'right to left' : 'left to right'} (Intl.Locale)`)
  return problems
}

/** The direction of a language as the platform's Intl data states it; undefined where it does not know. */
export function scriptDirection (code: string): Direction | undefined {
  try {
    const locale = new Intl.Locale(code) as Intl.Locale & { getTextInfo?: () => { direction?: string }, textInfo?: { direction?: string } }
    const direction = locale.getTextInfo?.().direction ?? locale.textInfo?.direction
    return direction === 'rtl' || direction === 'ltr' ? direction : undefined
  } catch {
    return undefined
  }
}

/**
 * What a review vouches for: the language's name, direction and texts. Status and reviewer are not in it,
 * so marking a draft reviewed keeps the hash, and any change of a word makes a new one.
 */
export function translationChecksum (translation: Pick<TranslationFile, 'code' | 'name' | 'direction' | 'strings'>): string {
  const { code, name, direction, strings } = translation
  return createHash('sha256').update(canonicalJson({ code, name, direction, strings })).digest('hex')
}

/** Every problem of a version's translation files, each naming the file and the key. */
export function checkTranslations (survey: JsonObject, surveyFile: string, version: number): { translations: TranslationFile[], problems: Problem[] } {
  const translations: TranslationFile[] = []
  const problems: Problem[] = []
  for (const { code, file } of findTranslationFiles(surveyFile, version)) {
    const read = readTranslationFile(file)
    problems.push(...read.problems.map((problem) => ({ file, problem })))
    if (read.translation === undefined) continue
    if (read.translation.code !== code) problems.push({ file, problem: `says code "${read.translation.code}", but the file name says "${code}"` })
    problems.push(...translationProblems(survey, read.translation).map(({ key, problem }) => ({ file, problem: `${key} ${problem}` })))
    translations.push(read.translation)
  }
  return { translations, problems }
}
