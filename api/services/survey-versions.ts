import { dirname, join, relative } from 'node:path'
import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import { findPublishedChecksum, findSurveyVersion, insertSurveyVersion, listSurveyVersions, publishedChecksums } from '../db/queries/survey-versions.js'
import type { PublishOutcome, SurveyVersionWithUse } from '../db/queries/survey-versions.js'
import { AppError, notFound } from '../errors.js'
import type { DefinitionProblem, InvalidDefinitionReply, SurveyVersionDetail, SurveyVersionSummary } from '../schemas/survey-versions.js'
import type { SurveyVersionReply } from '../schemas/surveys.js'
import { recordAudit } from './audit-log.js'
import { inTransaction } from './in-transaction.js'
import { storeLanguage } from './survey-version-languages.js'
import type { LanguageOutcome } from './survey-version-languages.js'
import { checkDefinition } from '../../survey-definitions/check.js'
import { listQuestions } from '../../survey-definitions/questions.js'
import { DefinitionLoadError, INSTRUMENT_FILE, canonicalJson, definitionChecksum, definitionsDir, findDefinitions, loadDefinitions, readDefinition, readInstrument } from '../../survey-definitions/index.js'
import type { JsonObject, SurveyDefinition } from '../../survey-definitions/index.js'
import { indicatorMapErrors } from '../../survey-definitions/indicator-map.js'
import type { IndicatorMap } from '../../survey-definitions/indicator-map.js'
import { instrumentErrors, rulesOfVersion } from '../../survey-definitions/instrument.js'
import type { Instrument, VersionRules } from '../../survey-definitions/instrument.js'
import { translationFileName, translationProblems } from '../../survey-definitions/languages.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { checkTranslations, translationShapeProblems } from '../../survey-definitions/translation-files.js'

/** A definition that fails `definitions:check`: every problem, each naming its file and question. */
export class DefinitionInvalidError extends Error {
  override name = 'DefinitionInvalidError'
  constructor (readonly problems: DefinitionProblem[]) {
    super(problems.map(formatProblem).join('; '))
  }
}

export function formatProblem ({ file, question, problem }: DefinitionProblem): string {
  return question === undefined ? `${file}: ${problem}` : `${file}: question ${question}: ${problem}`
}

/**
 * A definition with the translations to store with it (survey-definitions/languages.ts). Left out, they are
 * read from the files beside its survey file (`<slug>/v<N>.lang.<code>.json`); an upload brings none.
 */
export interface PublishableDefinition extends SurveyDefinition {
  translations?: readonly TranslationFile[]
}

/**
 * An uploaded definition in the shape the loader gives, named as if it were the files
 * `<slug>/v<N>.survey.json`, `v<N>.indicators.json` and `instrument.json`, so that problems name a file as
 * the CLI's do. The instrument's rules come with the upload or, without them, from the file
 * survey-definitions/ ships for the slug.
 * @throws {DefinitionInvalidError} when the indicator map or the instrument does not match its schema, or
 *   there is no instrument file for the slug
 */
export function uploadedDefinition (
  slug: string, version: number, survey: Record<string, unknown>, indicatorMap: Record<string, unknown>, instrument?: Record<string, unknown>, dir: string = definitionsDir
): PublishableDefinition {
  const files = { survey: `${slug}/v${version}.survey.json`, indicators: `${slug}/v${version}.indicators.json`, instrument: `${slug}/${INSTRUMENT_FILE}` }
  const mapErrors = indicatorMapErrors(indicatorMap)
  if (mapErrors.length > 0) throw new DefinitionInvalidError(mapErrors.map((error) => ({ file: files.indicators, problem: `does not match the indicator map schema at ${error}` })))
  // Both came from JSON.parse, so they hold JSON values only.
  const surveyJson = survey as JsonObject
  const map = indicatorMap as IndicatorMap
  // No translations: a language is added to a published version by its file or an import (XLIFF).
  return { slug, version, survey: surveyJson, indicatorMap: map, rules: rulesOfVersion(uploadedInstrument(slug, files.instrument, instrument, dir), version), checksum: definitionChecksum(surveyJson, map), files, translations: [] }
}

function uploadedInstrument (slug: string, file: string, uploaded: Record<string, unknown> | undefined, dir: string): Instrument {
  if (uploaded !== undefined) {
    const errors = instrumentErrors(uploaded)
    if (errors.length > 0) throw new DefinitionInvalidError(errors.map((error) => ({ file, problem: `does not match the instrument schema at ${error}` })))
    return uploaded as Instrument
  }
  try {
    return readInstrument(join(dir, slug, INSTRUMENT_FILE))
  } catch (error) {
    if (!(error instanceof DefinitionLoadError)) throw error
    throw new DefinitionInvalidError(error.problems.map((problem) => ({
      file: shownPath(error.file),
      problem: `${problem}; an upload of a new instrument brings its rules as "instrument"`,
    })))
  }
}

/** Whether two versions' rules are the same (key order aside). */
const sameRules = (a: VersionRules, b: VersionRules): boolean => canonicalJson(a) === canonicalJson(b)

/**
 * One definition from survey-definitions/ (or `dir`).
 * @throws {AppError} 404 when the folder has no such version; {DefinitionInvalidError} when it cannot be read
 */
export function shippedDefinition (slug: string, version: number, dir?: string): PublishableDefinition {
  const location = findDefinitions(dir).find((entry) => entry.slug === slug && entry.version === version)
  if (location === undefined) throw new AppError(404, 'not_found', `survey-definitions/ has no ${slug} v${version}`)
  try {
    const def = readDefinition(location)
    const { translations, problems } = checkTranslations(def.survey, def.files.survey, def.version)
    if (problems.length > 0) throw new DefinitionInvalidError(problems.map((problem) => ({ ...problem, file: shownPath(problem.file) })))
    return { ...def, files: { survey: shownPath(def.files.survey), indicators: shownPath(def.files.indicators), instrument: shownPath(def.files.instrument) }, translations }
  } catch (error) {
    if (error instanceof DefinitionLoadError) throw new DefinitionInvalidError(error.problems.map((problem) => ({ file: shownPath(error.file), problem })))
    throw error
  }
}

/** A file as the repository names it ('survey-definitions/hverdag/v1.survey.json'): answers never carry a server path. */
function shownPath (file: string): string {
  return join('survey-definitions', relative(definitionsDir, file))
}

export type { PublishOutcome }

export interface Published {
  outcome: PublishOutcome
  id: number
  /** What became of each translation published with it, in code order. */
  languages: Array<{ code: string, outcome: LanguageOutcome }>
}

export type PublishSource = 'survey-definitions' | 'upload'

/**
 * Runs exactly the checks of `npm run definitions:check` (checkDefinition, and each translation complete),
 * then publishes and records it in the audit log in one transaction, with its translations (storeLanguage:
 * a published version may gain a language, and a draft become reviewed, but no stored words change). An
 * unchanged re-publication is a no-op and not recorded. The console and `definitions:publish` both publish
 * through here; a command's entry has no account.
 * @throws {DefinitionInvalidError} naming every problem; {AppError} 409 when the number is taken by other
 *   content, or a language's words differ from those stored
 */
export async function publishChecked (db: Kysely<Database>, def: PublishableDefinition, actor: Account | null, source: PublishSource): Promise<Published> {
  const translations = def.translations ?? shippedTranslations(def)
  const problems = [...checkDefinition(def), ...translationFileProblems(def, translations)]
  if (problems.length > 0) throw new DefinitionInvalidError(problems)
  return await inTransaction(db, async (trx) => {
    const existing = await findPublishedChecksum(trx, def.slug, def.version)
    let outcome: PublishOutcome = 'unchanged'
    let id: number
    if (existing !== undefined) {
      if (existing.checksum === def.checksum && !sameRules(existing.rules, def.rules)) {
        // The rules are frozen with the version: a kiosk serving it must ask its privacy check where it always did.
        throw new AppError(409, 'survey_version_changed',
          `${def.slug} v${def.version} was published with other rules than ${def.files.instrument} now states for it ` +
          `(published: ${JSON.stringify(existing.rules)}); a published version's rules never change: ` +
          `state the published ones under versions.${def.version}, or make v${def.version + 1}`)
      }
      if (existing.checksum !== def.checksum) {
        // A published version is immutable: responses and releases refer to it by number.
        throw new AppError(409, 'survey_version_changed',
          `${def.slug} v${def.version} is already published with different content (${def.files.survey}); ` +
          `a published version never changes: copy it to v${def.version + 1} and publish that instead`)
      }
      id = existing.id
    } else {
      id = await insertSurveyVersion(trx, def)
      outcome = 'published'
      await recordAudit(trx, {
        actor,
        action: 'survey_version.publish',
        objectType: 'survey_version',
        objectId: String(id),
        detail: { slug: def.slug, version: def.version, checksum: def.checksum, source },
      })
    }
    const languages: Published['languages'] = []
    for (const translation of translations) {
      languages.push({ code: translation.code, outcome: await storeLanguage(trx, { id, slug: def.slug, version: def.version }, translation, actor, 'survey-definitions') })
    }
    return { outcome, id, languages }
  })
}

/**
 * The translation files beside a loaded definition's survey file, every one complete.
 * @throws {DefinitionInvalidError} naming each file and key that is wrong
 */
function shippedTranslations (def: SurveyDefinition): TranslationFile[] {
  const { translations, problems } = checkTranslations(def.survey, def.files.survey, def.version)
  if (problems.length > 0) throw new DefinitionInvalidError(problems)
  return translations
}

/** What is wrong with translations given with a definition (those read from files were checked as they were read). */
function translationFileProblems (def: SurveyDefinition, translations: readonly TranslationFile[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = []
  const seen = new Set<string>()
  for (const translation of translations) {
    const file = join(dirname(def.files.survey), translationFileName(def.version, translation.code))
    if (seen.has(translation.code)) problems.push({ file, problem: `"${translation.code}" is given twice` })
    seen.add(translation.code)
    const shape = translationShapeProblems(translation)
    problems.push(...shape.map((problem) => ({ file, problem })))
    if (shape.length === 0) problems.push(...translationProblems(def.survey, translation).map(({ key, problem }) => ({ file, problem: `${key} ${problem}` })))
  }
  return problems
}

export class DefinitionRejectedError extends Error {
  override name = 'DefinitionRejectedError'
}

export interface PublishResult {
  slug: string
  version: number
  outcome: PublishOutcome
  languages: Published['languages']
}

/**
 * `definitions:publish`: publishes every definition in the folder that is not in the database yet. A
 * definition that fails `definitions:check` stops the run before anything is written; one that changed
 * under a published version number stops it with the 409's reason.
 */
export async function publishDefinitions (db: Kysely<Database>, definitions: PublishableDefinition[] = loadDefinitions()): Promise<PublishResult[]> {
  const checked: PublishableDefinition[] = []
  for (const def of definitions) {
    let translations: readonly TranslationFile[]
    try {
      translations = def.translations ?? shippedTranslations(def)
    } catch (error) {
      if (error instanceof DefinitionInvalidError) throw new DefinitionRejectedError(error.problems.map(formatProblem).join('\n'))
      throw error
    }
    const problems = [...checkDefinition(def), ...translationFileProblems(def, translations)]
    if (problems.length > 0) throw new DefinitionRejectedError(problems.map(formatProblem).join('\n'))
    checked.push({ ...def, translations })
  }
  const results: PublishResult[] = []
  for (const def of checked) {
    const { outcome, languages } = await publishChecked(db, def, null, 'survey-definitions')
    results.push({ slug: def.slug, version: def.version, outcome, languages })
  }
  return results
}

/** A published version as a tablet loads it. @throws {AppError} 404 */
export async function publishedSurvey (db: Kysely<Database>, slug: string, version: number): Promise<SurveyVersionReply> {
  const row = await findSurveyVersion(db, slug, version)
  if (row === undefined) throw notFound(`survey ${slug} version ${version}`)
  return { slug: row.slug, version: row.version, checksum: row.checksum, definition: row.definition, indicatorMap: row.indicator_map }
}

/** Every published version, newest first, with how many waves use it. */
export async function listVersionSummaries (db: Kysely<Database>): Promise<SurveyVersionSummary[]> {
  return (await listSurveyVersions(db)).map(summaryOf)
}

/** One version with its definition and indicator map. @throws {AppError} 404 when no version has the id */
export async function surveyVersionDetail (db: Kysely<Database>, id: number): Promise<SurveyVersionDetail> {
  const version = await versionWithUse(db, id)
  return { ...summaryOf(version), definition: version.row.definition, indicatorMap: version.row.indicator_map }
}

/**
 * The console's publication: `load` reads or builds the definition (its own problems count as the checks'),
 * then publishChecked as the account. The version comes back as the list shows it.
 */
export async function publishForAccount (db: Kysely<Database>, load: () => PublishableDefinition, actor: Account, source: PublishSource): Promise<{ outcome: PublishOutcome, version: SurveyVersionSummary }> {
  const { outcome, id } = await publishChecked(db, load(), actor, source)
  return { outcome, version: summaryOf(await versionWithUse(db, id)) }
}

/** The 400 answer for a definition that fails the checks: the first five problems in the message, all of them listed. */
export function invalidDefinitionReply (error: DefinitionInvalidError): InvalidDefinitionReply {
  const [first] = error.problems
  return {
    code: 'invalid_definition',
    message: `the definition fails the checks of definitions:check (${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}): ${error.problems.slice(0, 5).map(formatProblem).join('; ')}`,
    ...(first?.question === undefined ? {} : { question: first.question }),
    problems: error.problems,
  }
}

async function versionWithUse (db: Kysely<Database>, id: number): Promise<SurveyVersionWithUse> {
  const [version] = await listSurveyVersions(db, id)
  if (version === undefined) throw notFound(`survey version ${id}`)
  return version
}

function summaryOf ({ row, waveCount }: SurveyVersionWithUse): SurveyVersionSummary {
  const title = row.definition.title
  const text = (language: 'nb' | 'en'): string => {
    if (typeof title === 'string') return title
    if (typeof title === 'object' && title !== null && !Array.isArray(title)) {
      const value = title[language] ?? title.default
      if (typeof value === 'string') return value
    }
    return `${row.slug} v${row.version}`
  }
  return {
    id: row.id,
    slug: row.slug,
    version: row.version,
    checksum: row.checksum,
    publishedAt: row.published_at.toISOString(),
    title: { nb: text('nb'), en: text('en') },
    questionCount: listQuestions(row.definition).filter((question) => question.type !== 'html').length,
    indicatorCount: Object.keys(row.indicator_map.indicators).length,
    waveCount,
  }
}

export interface AvailableDefinition {
  slug: string
  version: number
  status: 'new' | 'published' | 'changed' | 'invalid'
  checksum?: string
  problems: DefinitionProblem[]
}

/** The definitions in survey-definitions/ and how each stands against the database. */
export async function availableDefinitions (db: Kysely<Database>, dir?: string): Promise<AvailableDefinition[]> {
  const published = await publishedChecksums(db)
  return findDefinitions(dir).map((location): AvailableDefinition => {
    const base = { slug: location.slug, version: location.version }
    let def: SurveyDefinition
    try {
      def = readDefinition(location)
    } catch (error) {
      if (!(error instanceof DefinitionLoadError)) throw error
      return { ...base, status: 'invalid', problems: error.problems.map((problem) => ({ file: shownPath(error.file), problem })) }
    }
    const stored = published.get(`${def.slug}/${def.version}`)
    if (stored !== undefined) {
      const unchanged = stored.checksum === def.checksum && sameRules(stored.rules, def.rules)
      return { ...base, checksum: def.checksum, status: unchanged ? 'published' : 'changed', problems: [] }
    }
    const problems = checkDefinition(def).map((problem) => ({ ...problem, file: shownPath(problem.file) }))
    return { ...base, checksum: def.checksum, status: problems.length > 0 ? 'invalid' : 'new', problems }
  })
}
