import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { listVersionLanguagesWithStrings } from '../db/queries/survey-version-languages.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'

/** What the codebook needs of a translation: its language and its texts by key (survey-definitions/languages.ts). */
export type CodebookTranslation = Pick<TranslationFile, 'code' | 'name' | 'direction' | 'status' | 'strings'>

/**
 * The translations stored with a published survey version (survey_version_languages), drafts and reviewed
 * alike, in code order: the codebook labels a question and its choices in each, and says which are drafts.
 */
export async function codebookTranslations (db: Kysely<Database>, surveyVersionId: number): Promise<CodebookTranslation[]> {
  const rows = await listVersionLanguagesWithStrings(db, surveyVersionId)
  return rows.map(({ code, name, direction, status, strings }) => ({ code, name, direction, status, strings }))
}
