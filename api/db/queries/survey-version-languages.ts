import type { Kysely, Transaction } from 'kysely'
import type { Database, NewSurveyVersionLanguage, SurveyVersionLanguageRow } from '../database.js'

/** A version's stored languages without their texts, in code order (what lists and the kiosk's picker need). */
export type LanguageSummaryRow = Omit<SurveyVersionLanguageRow, 'strings'>

const SUMMARY_COLUMNS = ['survey_version_id', 'code', 'name', 'direction', 'status', 'reviewed_by', 'reviewed_on', 'source', 'checksum'] as const

export async function listVersionLanguages (db: Kysely<Database>, surveyVersionId: number): Promise<LanguageSummaryRow[]> {
  return await db.selectFrom('survey_version_languages').select(SUMMARY_COLUMNS)
    .where('survey_version_id', '=', surveyVersionId).orderBy('code').execute()
}

/** Every stored language of a version with its texts, in code order. */
export async function listVersionLanguagesWithStrings (db: Kysely<Database>, surveyVersionId: number): Promise<SurveyVersionLanguageRow[]> {
  return await db.selectFrom('survey_version_languages').selectAll()
    .where('survey_version_id', '=', surveyVersionId).orderBy('code').execute()
}

export async function findVersionLanguage (db: Kysely<Database>, surveyVersionId: number, code: string): Promise<SurveyVersionLanguageRow | undefined> {
  return await db.selectFrom('survey_version_languages').selectAll()
    .where('survey_version_id', '=', surveyVersionId).where('code', '=', code).executeTakeFirst()
}

/**
 * The same row, locked until the caller's transaction ends: two publications (or a review beside a
 * publication) of one language then decide one after the other.
 */
export async function lockVersionLanguage (trx: Transaction<Database>, surveyVersionId: number, code: string): Promise<SurveyVersionLanguageRow | undefined> {
  return await trx.selectFrom('survey_version_languages').selectAll()
    .where('survey_version_id', '=', surveyVersionId).where('code', '=', code).forUpdate().executeTakeFirst()
}

/**
 * Adds a language; false when the version has it already (another transaction added it first: the insert
 * waits for that one to commit, and leaves its row as it is).
 */
export async function insertVersionLanguage (trx: Transaction<Database>, language: NewSurveyVersionLanguage): Promise<boolean> {
  const inserted = await trx.insertInto('survey_version_languages').values(language)
    .onConflict((conflict) => conflict.columns(['survey_version_id', 'code']).doNothing())
    .returning('code').executeTakeFirst()
  return inserted !== undefined
}

/** Replaces a draft's words (only a draft: a reviewed language never changes); false when there was no such draft. */
export async function replaceDraftLanguage (trx: Transaction<Database>, language: NewSurveyVersionLanguage): Promise<boolean> {
  const { survey_version_id: versionId, code, ...rest } = language
  const result = await trx.updateTable('survey_version_languages').set(rest)
    .where('survey_version_id', '=', versionId).where('code', '=', code).where('status', '=', 'draft')
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}

/** Marks a draft reviewed; false when it was not a draft (already reviewed, or no such language). */
export async function markLanguageReviewed (trx: Transaction<Database>, surveyVersionId: number, code: string, review: { by: string, on: string }): Promise<boolean> {
  const result = await trx.updateTable('survey_version_languages')
    .set({ status: 'reviewed', reviewed_by: review.by, reviewed_on: review.on })
    .where('survey_version_id', '=', surveyVersionId).where('code', '=', code).where('status', '=', 'draft')
    .executeTakeFirst()
  return result.numUpdatedRows > 0n
}
