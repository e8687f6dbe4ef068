import { isDeepStrictEqual } from 'node:util'
import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database, SurveyAnswers } from '../db/database.js'
import { findSurveyVersionById, listSurveyVersions } from '../db/queries/survey-versions.js'
import { countTestResponses, deleteTestResponses, findTestResponse, insertTestResponse } from '../db/queries/test-responses.js'
import { AppError } from '../errors.js'
import type { TestResponseCount, TestResponseDeleteReply } from '../schemas/test-responses.js'
import { recordAudit } from './audit-log.js'
import type { CompiledSurveyCache } from './compiled-surveys.js'
import { authorisedDevice } from './kiosk.js'

/** Enough for any trial of a version; past it, the researcher deletes what was tried before sending more. */
export const TEST_RESPONSES_PER_VERSION = 1000

export interface TestSubmission {
  id: string
  answers: SurveyAnswers
}

/**
 * Keeps what a test tablet sent, checked against its survey version exactly as intake checks a live response,
 * in the test responses table that nothing in results, releases or exports reads. A live tablet is refused.
 * @throws {AppError} 401 as the kiosk's routes, 409 live_tablet or response_conflict, 422 invalid_answers, 429 when full
 */
export async function submitTestResponse (db: Kysely<Database>, surveys: CompiledSurveyCache, authorization: string | undefined, submission: TestSubmission): Promise<'stored' | 'duplicate'> {
  const device = await authorisedDevice(db, authorization)
  if (device.testSurveyVersionId === null) {
    throw new AppError(409, 'live_tablet', 'this tablet is enrolled for live responses: they go to POST /api/responses; only a test tablet sends test responses')
  }
  const version = await surveys.get(device.testSurveyVersionId)
  const { problem } = version.survey.validateAndDerive(submission.answers)
  if (problem !== null) throw new AppError(422, 'invalid_answers', problem.message, problem.question)
  const kept = (await countTestResponses(db)).get(device.testSurveyVersionId) ?? 0
  if (kept >= TEST_RESPONSES_PER_VERSION) {
    throw new AppError(429, 'rate_limited', `this survey version already has ${kept} test responses; delete them in the console (Survey versions) before testing more`)
  }
  if (await insertTestResponse(db, { id: submission.id, surveyVersionId: device.testSurveyVersionId, answers: submission.answers })) return 'stored'
  const earlier = await findTestResponse(db, submission.id)
  if (earlier !== undefined && earlier.surveyVersionId === device.testSurveyVersionId && isDeepStrictEqual(earlier.answers, submission.answers)) return 'duplicate'
  throw new AppError(409, 'response_conflict', `response ${submission.id} was already received with different content; a new response needs a new id`)
}

/** Test responses kept, per survey version, every published version listed (most recent first). */
export async function testResponseCounts (db: Kysely<Database>): Promise<TestResponseCount[]> {
  const counts = await countTestResponses(db)
  return (await listSurveyVersions(db)).map(({ row }) => ({ surveyVersionId: row.id, slug: row.slug, version: row.version, count: counts.get(row.id) ?? 0 }))
}

/**
 * Deletes every test response of a survey version, with an audit entry saying how many.
 * @throws {AppError} 404 when there is no such survey version
 */
export async function deleteVersionTestResponses (db: Kysely<Database>, actor: Account, surveyVersionId: number): Promise<TestResponseDeleteReply> {
  const version = await findSurveyVersionById(db, surveyVersionId)
  if (version === undefined) throw new AppError(404, 'unknown_survey_version', `survey version ${surveyVersionId} is not published`)
  const deleted = await db.transaction().execute(async (trx) => {
    const count = await deleteTestResponses(trx, surveyVersionId)
    await recordAudit(trx, {
      actor,
      action: 'test_responses.delete',
      objectType: 'survey_version',
      objectId: String(surveyVersionId),
      detail: { slug: version.slug, version: version.version, deleted: count },
    })
    return count
  })
  return { surveyVersionId, deleted }
}
