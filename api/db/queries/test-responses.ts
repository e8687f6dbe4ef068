import type { Kysely, Transaction } from 'kysely'
import type { Database, SurveyAnswers } from '../database.js'

/** Keeps a test tablet's response; false when one with this id is already kept (a resent upload). */
export async function insertTestResponse (db: Kysely<Database>, response: { id: string, surveyVersionId: number, answers: SurveyAnswers }): Promise<boolean> {
  const inserted = await db.insertInto('test_responses')
    .values({ id: response.id, survey_version_id: response.surveyVersionId, answers: JSON.stringify(response.answers) })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .executeTakeFirst()
  return inserted !== undefined
}

export async function findTestResponse (db: Kysely<Database>, id: string): Promise<{ surveyVersionId: number, answers: SurveyAnswers } | undefined> {
  const row = await db.selectFrom('test_responses').select(['survey_version_id', 'answers']).where('id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : { surveyVersionId: row.survey_version_id, answers: row.answers }
}

/** Test responses kept per survey version (only versions that have any). */
export async function countTestResponses (db: Kysely<Database>): Promise<Map<number, number>> {
  const rows = await db.selectFrom('test_responses')
    .select((eb) => ['survey_version_id', eb.fn.countAll<string | number>().as('n')])
    .groupBy('survey_version_id')
    .execute()
  return new Map(rows.map((row) => [row.survey_version_id, Number(row.n)]))
}

/** Deletes a survey version's test responses inside the caller's transaction; how many there were. */
export async function deleteTestResponses (trx: Transaction<Database>, surveyVersionId: number): Promise<number> {
  const result = await trx.deleteFrom('test_responses').where('survey_version_id', '=', surveyVersionId).executeTakeFirst()
  return Number(result.numDeletedRows)
}
