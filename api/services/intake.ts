import type { Kysely } from 'kysely'
import type { Database, SurveyAnswers } from '../db/database.js'
import { hashDeviceToken } from '../db/queries/devices.js'
import { findDeviceWaveAccess, insertResponse, storedResponseMatches } from '../db/queries/responses.js'
import type { DeviceWaveAccess } from '../db/queries/responses.js'
import { AppError } from '../errors.js'
import { addDays, isoWeek, studyToday } from '../study-calendar.js'
import { indicatorValueArray } from './compiled-surveys.js'
import type { CompiledSurveyCache } from './compiled-surveys.js'

export interface IntakeContext {
  db: Kysely<Database>
  surveys: CompiledSurveyCache
  timeZone: string
  now?: () => Date
}

export interface ResponseSubmission {
  id: string
  waveId: string
  answers: SurveyAnswers
}

export type IntakeOutcome = 'stored' | 'duplicate'

/**
 * Checks the device, the wave and the answers, then stores the response with its facts. Every refusal is
 * an AppError naming the problem, thrown before anything is written.
 */
export async function submitResponse (ctx: IntakeContext, deviceToken: string | undefined, submission: ResponseSubmission): Promise<IntakeOutcome> {
  if (deviceToken === undefined) throw new AppError(401, 'unauthorized', 'a device token is required (Authorization: Bearer <token>)')
  const today = studyToday(ctx.timeZone, ctx.now?.() ?? new Date())
  const access = await findDeviceWaveAccess(ctx.db, hashDeviceToken(deviceToken), submission.waveId)
  const wave = assertMayUpload(access, submission.waveId, today)

  return await acceptResponse(ctx, { waveId: wave.id, siteId: wave.siteId, surveyVersionId: wave.surveyVersionId }, today, submission)
}

export interface UploadTarget {
  waveId: string
  siteId: string
  surveyVersionId: number
}

/**
 * Validates the answers against the wave's survey version and stores them with their facts. The synthetic
 * seeder calls this directly, so seeded data passes exactly the validation and derivation that intake does.
 */
export async function acceptResponse (ctx: IntakeContext, target: UploadTarget, today: string, submission: ResponseSubmission): Promise<IntakeOutcome> {
  const version = await ctx.surveys.get(target.surveyVersionId)
  const problem = version.survey.validate(submission.answers)
  if (problem !== null) throw new AppError(422, 'invalid_answers', problem.message, problem.question)

  const facts = version.survey.deriveFacts(submission.answers)
  const stored = await insertResponse(ctx.db, {
    ...target,
    id: submission.id,
    isoWeek: isoWeek(today),
    answers: submission.answers,
    gender: facts.dimensions.gender ?? null,
    ageGroup: facts.dimensions.age_group ?? null,
    indicatorValues: indicatorValueArray(version, facts.indicators),
  })
  if (stored) return 'stored'
  if (await storedResponseMatches(ctx.db, submission.id, submission.waveId, submission.answers)) return 'duplicate'
  throw new AppError(409, 'response_conflict', `response ${submission.id} was already received with different content; a new response needs a new id`)
}

function assertMayUpload (access: DeviceWaveAccess | undefined, waveId: string, today: string) {
  if (access === undefined) throw new AppError(401, 'device_unknown', 'this device token is not known; enrol the tablet again')
  if (access.revoked) throw new AppError(401, 'device_revoked', 'this tablet has been revoked and can no longer send responses')
  const { wave } = access
  if (wave === undefined) throw new AppError(404, 'wave_not_found', `wave ${waveId} does not exist`)
  if (!wave.atSite) throw new AppError(403, 'wave_not_at_site', `wave ${waveId} does not include this tablet's site`)
  const lastUploadDay = addDays(wave.closesOn, wave.graceDays)
  if (wave.status === 'planned' || today < wave.opensOn) {
    throw new AppError(409, 'wave_not_open', `wave ${waveId} is not open yet (it opens on ${wave.opensOn})`)
  }
  if (today > lastUploadDay) {
    throw new AppError(409, 'wave_not_open', `wave ${waveId} closed on ${wave.closesOn} and took late uploads until ${lastUploadDay}`)
  }
  return { ...wave, siteId: access.siteId }
}
