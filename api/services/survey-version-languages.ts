/**
 * The languages of a survey version beyond bokmål and English (survey-definitions/languages.ts), as the
 * database keeps them. A language is a frozen part of its version: once stored, its words (the checksum of
 * survey-definitions/translation-files.ts) never change; only its status may go from draft to reviewed,
 * audited with who reviewed it and on which day. Other words for a stored language are a new version.
 * A language may be added to a version already published: the questions and the indicator map, which
 * comparability rests on, are untouched by it.
 */
import type { Kysely, Transaction } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database, SurveyVersionLanguageRow, SurveyVersionRow } from '../db/database.js'
import {
  insertVersionLanguage, listVersionLanguages, listVersionLanguagesWithStrings, lockVersionLanguage, markLanguageReviewed, replaceDraftLanguage,
} from '../db/queries/survey-version-languages.js'
import { findSurveyVersionById } from '../db/queries/survey-versions.js'
import { AppError, notFound } from '../errors.js'
import type { VersionLanguage } from '../schemas/survey-version-languages.js'
import { recordAudit } from './audit-log.js'
import { inTransaction } from './in-transaction.js'
import type { JsonObject } from '../../survey-definitions/index.js'
import { BASE_LANGUAGE_INFO, sourceTexts, surveyTexts } from '../../survey-definitions/languages.js'
import type { LanguageInfo, TranslationFile } from '../../survey-definitions/languages.js'
import { translationChecksum } from '../../survey-definitions/translation-files.js'

/**
 * What storing one language did: added it, marked it reviewed, replaced a draft's words, nothing, or nothing
 * because the database already holds a review the file does not state yet (`review-kept`).
 */
export type LanguageOutcome = 'added' | 'reviewed' | 'replaced' | 'unchanged' | 'review-kept'

/** Where a language comes from: its file beside the version (publishing), or the console's or a command's import. */
export type LanguageOrigin = 'survey-definitions' | 'import'

export interface VersionRef {
  id: number
  slug: string
  version: number
}

/**
 * Stores one language of a version inside the caller's transaction, by the frozen-words rules:
 * - a language the version does not have yet is added (draft or reviewed, as the file says);
 * - the same words again: a draft the file now marks reviewed becomes reviewed (the file's reviewer and
 *   date), audited; a reviewed one the file still calls a draft stays reviewed (a review is never undone,
 *   and one made in the console reaches the file only when someone copies it there: that must not stop
 *   the next publication, of this version's other languages or of a new version);
 * - other words: refused, naming the language, since the version's words are frozen. The one exception is
 *   an import (`origin: 'import'`) over a draft: a draft no one has vouched for may still be corrected by a
 *   new import, which keeps it a draft; once reviewed, new words are a new version.
 * The caller has checked the translation against the version's survey (translationProblems is []).
 * @throws {AppError} 409 translation_changed
 */
export async function storeLanguage (trx: Transaction<Database>, version: VersionRef, translation: TranslationFile, actor: Account | null, origin: LanguageOrigin): Promise<LanguageOutcome> {
  const checksum = translationChecksum(translation)
  const label = `${version.slug} v${version.version}: ${translation.name} (${translation.code})`
  const stored = await lockVersionLanguage(trx, version.id, translation.code)
  const row = {
    survey_version_id: version.id,
    code: translation.code,
    name: translation.name,
    direction: translation.direction,
    status: translation.status,
    reviewed_by: translation.status === 'reviewed' ? translation.review?.by ?? null : null,
    reviewed_on: translation.status === 'reviewed' ? translation.review?.on ?? null : null,
    source: translation.source,
    strings: JSON.stringify(translation.strings),
    checksum,
  }
  const audit = async (action: string, detail: Record<string, unknown>): Promise<void> => {
    await recordAudit(trx, { actor, action, objectType: 'survey_version', objectId: String(version.id), detail: { slug: version.slug, version: version.version, code: translation.code, checksum, source: origin, ...detail } })
  }

  if (stored === undefined) {
    // Two first imports at once: the later one finds the row the other committed, and is judged against it.
    if (!await insertVersionLanguage(trx, row)) return await storeLanguage(trx, version, translation, actor, origin)
    await audit('survey_version.language_add', { status: row.status, ...(row.reviewed_by === null ? {} : { reviewedBy: row.reviewed_by, reviewedOn: row.reviewed_on }) })
    return 'added'
  }
  if (stored.checksum !== checksum) {
    if (origin === 'import' && stored.status === 'draft' && translation.status === 'draft') {
      await replaceDraftLanguage(trx, row)
      await audit('survey_version.language_replace', { previousChecksum: stored.checksum })
      return 'replaced'
    }
    throw new AppError(409, 'translation_changed',
      `${label} is already stored with other words (${stored.status}, checksum ${stored.checksum.slice(0, 12)}…); ` +
      'the words of a language stored for a version never change: publish the new words as a new version ' +
      `(copy ${version.slug} v${version.version} to v${version.version + 1} with this translation, e.g. translation:import --new-version)`)
  }
  if (stored.status === 'reviewed' && translation.status === 'draft') return origin === 'import' ? 'unchanged' : 'review-kept'
  if (stored.status === 'draft' && translation.status === 'reviewed') {
    const review = translation.review
    if (review === undefined) throw new Error(`${label}: a reviewed translation without its review passed the checks`)
    await markLanguageReviewed(trx, version.id, translation.code, review)
    await audit('survey_version.language_review', { reviewedBy: review.by, reviewedOn: review.on })
    return 'reviewed'
  }
  return 'unchanged'
}

/**
 * Marks a draft reviewed from the console: `today` is the study calendar's date (api/study-calendar.ts).
 * @throws {AppError} 404 language_unknown, 409 language_already_reviewed
 */
export async function reviewStoredLanguage (trx: Transaction<Database>, version: VersionRef, code: string, review: { reviewer: string, checksum: string }, today: string, actor: Account | null): Promise<SurveyVersionLanguageRow> {
  const { reviewer } = review
  const stored = await lockVersionLanguage(trx, version.id, code)
  if (stored === undefined) throw languageUnknown(version, code)
  if (stored.status === 'reviewed') {
    throw new AppError(409, 'language_already_reviewed', `${version.slug} v${version.version}: ${stored.name} (${code}) was already reviewed by ${stored.reviewed_by ?? '?'} on ${stored.reviewed_on ?? '?'}`)
  }
  // A new import may have replaced the draft while the reviewer read the old one: a review vouches for the words read.
  if (stored.checksum !== review.checksum) {
    throw new AppError(409, 'translation_outdated', `${version.slug} v${version.version}: ${stored.name} (${code}) has other words than those reviewed ` +
      `(checksum ${stored.checksum.slice(0, 12)}…, not ${review.checksum.slice(0, 12)}…): a new translation was imported since; check it again`)
  }
  await markLanguageReviewed(trx, version.id, code, { by: reviewer, on: today })
  await recordAudit(trx, {
    actor,
    action: 'survey_version.language_review',
    objectType: 'survey_version',
    objectId: String(version.id),
    detail: { slug: version.slug, version: version.version, code, checksum: stored.checksum, source: 'console', reviewedBy: reviewer, reviewedOn: today },
  })
  return { ...stored, status: 'reviewed', reviewed_by: reviewer, reviewed_on: today }
}

export const languageUnknown = (version: VersionRef, code: string): AppError =>
  new AppError(404, 'language_unknown', `${version.slug} v${version.version} has no language "${code}"${BASE_LANGUAGE_INFO.some((base) => base.code === code) ? ' as a translation (bokmål and English are in the survey itself)' : ''}`)

/**
 * The languages a tablet may offer for a version: bokmål and English first, then the version's translations
 * by code. A live tablet offers reviewed ones only; a test tablet every one, drafts marked by their status.
 */
export async function offeredLanguages (db: Kysely<Database>, surveyVersionId: number, mode: 'live' | 'test'): Promise<Array<Pick<LanguageInfo, 'code' | 'name' | 'direction' | 'status'>>> {
  const stored = (await listVersionLanguages(db, surveyVersionId)).filter((row) => mode === 'test' || row.status === 'reviewed')
  return [...BASE_LANGUAGE_INFO, ...stored].map(({ code, name, direction, status }) => ({ code, name, direction, status }))
}

/** A published version by id. @throws {AppError} 404 */
export async function versionById (db: Kysely<Database>, id: number): Promise<SurveyVersionRow> {
  const row = await findSurveyVersionById(db, id)
  if (row === undefined) throw notFound(`survey version ${id}`)
  return row
}

const refOf = (row: SurveyVersionRow): VersionRef => ({ id: row.id, slug: row.slug, version: row.version })

/**
 * The console's list of a version's languages: bokmål and English (reviewed: the team's own words), then its
 * translations by code, each with its review and whether every text has words.
 * @throws {AppError} 404 when no version has the id
 */
export async function versionLanguages (db: Kysely<Database>, id: number): Promise<VersionLanguage[]> {
  const version = await versionById(db, id)
  const stored = await listVersionLanguagesWithStrings(db, id)
  return [
    ...BASE_LANGUAGE_INFO.map((base) => baseLanguage(base, version.definition)),
    ...stored.map((row) => consoleLanguage(row, version.definition)),
  ]
}

function baseLanguage (base: LanguageInfo, survey: JsonObject): VersionLanguage {
  // The kiosk's own words in bokmål and English are in survey-definitions/kiosk-text.ts, complete by its types.
  const missing = surveyTexts(survey).filter(({ texts }) => (texts[base.code] ?? texts.default ?? '').trim() === '').length
  return { code: base.code, name: base.name, direction: base.direction, status: base.status, base: true, reviewedBy: null, reviewedOn: null, source: null, checksum: null, complete: missing === 0, missing }
}

/** A stored translation as the console shows it. */
export function consoleLanguage (row: SurveyVersionLanguageRow, survey: JsonObject): VersionLanguage {
  const missing = sourceTexts(survey, row.code).filter(({ key }) => (row.strings[key] ?? '').trim() === '').length
  return {
    code: row.code,
    name: row.name,
    direction: row.direction,
    status: row.status,
    base: false,
    reviewedBy: row.reviewed_by,
    reviewedOn: row.reviewed_on,
    source: row.source,
    checksum: row.checksum,
    complete: missing === 0,
    missing,
  }
}

/**
 * A fluent speaker has checked every text of a draft: it becomes reviewed, with their name and today's date
 * in the study's calendar, and live waves offer it from then on. Audited.
 * @throws {AppError} 404 not_found (version) or language_unknown, 409 language_already_reviewed or translation_outdated
 */
export async function reviewLanguage (db: Kysely<Database>, id: number, code: string, review: { reviewer: string, checksum: string }, today: string, actor: Account | null): Promise<VersionLanguage> {
  return await inTransaction(db, async (trx) => {
    const version = await versionById(trx, id)
    const row = await reviewStoredLanguage(trx, refOf(version), code, { reviewer: review.reviewer.trim(), checksum: review.checksum }, today, actor)
    return consoleLanguage(row, version.definition)
  })
}
