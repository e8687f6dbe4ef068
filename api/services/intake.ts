import { isDeepStrictEqual } from 'node:util'
import type { Kysely } from 'kysely'
import type { Database, SurveyAnswers } from '../db/database.js'
import { hashDeviceToken } from '../db/queries/devices.js'
import { findHeldResponse } from '../db/queries/held-responses.js'
import { compareStoredResponse, findDeviceWaveAccess, insertAnalysisRows } from '../db/queries/responses.js'
import type { DeviceWaveAccess, HeldUpload, ResponseToStore } from '../db/queries/responses.js'
import { AppError } from '../errors.js'
import { lastUploadDay, uploadWindow } from '../domain/upload-window.js'
import type { HoldingKeyring } from '../sealing/holding-key.js'
import { isoWeek, studyToday } from '../study-calendar.js'
import { indicatorValueArray } from './compiled-surveys.js'
import type { CompiledSurveyCache, CompiledVersion } from './compiled-surveys.js'
import type { IntakeBatcher } from './intake-batcher.js'

export interface IntakeContext {
  db: Kysely<Database>
  surveys: CompiledSurveyCache
  batcher: IntakeBatcher
  /** Seals what intake holds until the week's mix (api/sealing/holding-key.ts). */
  keys: HoldingKeyring
  timeZone: string
  /** Uploads one device may send per minute (INTAKE_UPLOADS_PER_MINUTE). */
  uploadsPerMinute: number
  /** New responses one device may send per study day (INTAKE_UPLOADS_PER_DAY). */
  uploadsPerDay: number
  /** Answered questions a response needs to count (INTAKE_MIN_ANSWERED). */
  minAnswered: number
  now?: () => Date
}

/** What the seeder needs: no device, so no batcher, no rate limit and no holding area. */
export type SiteIntakeContext = Omit<IntakeContext, 'batcher' | 'uploadsPerMinute' | 'uploadsPerDay' | 'minAnswered' | 'keys'>

/** A 429 whose Retry-After the route sends: the seconds until the device's minute is over. */
export class UploadRateLimitedError extends AppError {
  constructor (readonly retryAfterSeconds: number, uploadsPerMinute: number) {
    super(429, 'rate_limited', `this tablet sent more than ${uploadsPerMinute} responses in a minute; nothing was stored, send it again in ${retryAfterSeconds} s`)
  }
}

/** A 429 for a tablet past its new responses per study day; Retry-After says when the study day ends. */
export class DailyUploadLimitError extends AppError {
  constructor (readonly retryAfterSeconds: number, uploadsPerDay: number) {
    super(429, 'daily_limit', `this tablet has sent ${uploadsPerDay} responses today, more than a site can take in a day; nothing was stored, ` +
      'send it again tomorrow, and if this tablet was not in use, revoke it')
  }
}

export interface ResponseSubmission {
  id: string
  waveId: string
  answers: SurveyAnswers
}

export type IntakeOutcome = 'stored' | 'duplicate'

/**
 * Checks the device, the wave and the answers, then holds the response, sealed, until the week's mix moves it
 * into the analysis tables (services/mix.ts). Every refusal is an AppError naming the problem, and nothing is
 * written for it; 'stored' means held durably (committed), so nothing acknowledged is lost.
 *
 * The usual case costs a share of one round trip: the answers are checked against the wave's (cached,
 * immutable) survey version and their facts derived, the lot sealed, then one batched statement holds it only
 * if the device may upload to that wave today. Only when that holds nothing does a second query find out why.
 */
export async function submitResponse (ctx: IntakeContext, deviceToken: string | undefined, submission: ResponseSubmission): Promise<IntakeOutcome> {
  if (deviceToken === undefined) throw new AppError(401, 'unauthorized', 'a device token is required (Authorization: Bearer <token>)')
  const now = ctx.now?.() ?? new Date()
  const permit = {
    tokenHash: tokenHashOf(deviceToken),
    today: studyToday(ctx.timeZone, now),
    uploadsPerMinute: ctx.uploadsPerMinute,
    uploadsPerDay: ctx.uploadsPerDay,
  }
  const explainRefusal = async (): Promise<DeviceWaveAccess & { wave: NonNullable<DeviceWaveAccess['wave']> }> =>
    assertMayUpload(await findDeviceWaveAccess(ctx.db, permit.tokenHash, submission.waveId), submission.waveId, permit.today)

  for (let attempt = 0; ; attempt += 1) {
    const version = await ctx.surveys.forWave(submission.waveId)
    if (version === undefined) {
      await explainRefusal() // an unknown token is refused before an unknown wave
      throw new AppError(404, 'wave_not_found', `wave ${submission.waveId} does not exist`)
    }
    // Refusals of the device or the wave come before complaints about the answers.
    const response = await checkedResponse(version, submission, permit.today, ctx.minAnswered, explainRefusal)
    const result = await ctx.batcher.store({ permit, held: heldUpload(ctx.keys, response, version.survey.missingValues) })
    if (result.kind === 'stored') return 'stored'
    if (result.kind === 'limited' && result.per === 'day') {
      // The cap counts new responses: one already received (its acknowledgement lost) is acknowledged again.
      if (await duplicateOrConflict(ctx.db, submission, ctx.keys) === 'duplicate') return 'duplicate'
      throw new DailyUploadLimitError(secondsToNextStudyDay(ctx.timeZone, now), ctx.uploadsPerDay)
    }
    if (result.kind === 'limited') throw new UploadRateLimitedError(result.retryAfterSeconds, ctx.uploadsPerMinute)

    const access = await explainRefusal()
    const outcome = await duplicateOrConflict(ctx.db, submission, ctx.keys)
    if (outcome !== 'absent') return outcome
    // Permitted now, yet nothing stored: the wave changed between the two queries (say it was moved to
    // another survey version since it was cached). Check and try once more rather than refuse for good.
    if (access.wave.surveyVersionId !== version.surveyVersionId) ctx.surveys.forgetWave(submission.waveId)
    if (attempt > 0) throw new AppError(503, 'database_unavailable', 'the wave changed while this response was being stored; nothing was stored, try again')
  }
}

// A tablet sends the same token with every upload: its sha256 is kept rather than computed each time (about
// 1 % of intake's CPU). Bounded, so a stream of forged tokens cannot grow it without end.
const tokenHashes = new Map<string, string>()
const TOKEN_HASHES_KEPT = 10_000

function tokenHashOf (token: string): string {
  let hash = tokenHashes.get(token)
  if (hash === undefined) {
    if (tokenHashes.size >= TOKEN_HASHES_KEPT) tokenHashes.clear()
    hash = hashDeviceToken(token)
    tokenHashes.set(token, hash)
  }
  return hash
}

/**
 * Validates and stores a response at a given site straight into the analysis tables, skipping the device check
 * and the holding area. The synthetic seeder uses it, so that seeded data passes exactly the validation and fact
 * derivation that intake does; synthetic responses have no respondent whose arrival could be dated.
 */
export async function acceptResponseAtSite (ctx: SiteIntakeContext, siteId: string, submission: ResponseSubmission): Promise<IntakeOutcome> {
  const version = await ctx.surveys.forWave(submission.waveId)
  if (version === undefined) throw new AppError(404, 'wave_not_found', `wave ${submission.waveId} does not exist`)
  const response = responseToStore(version, submission, studyToday(ctx.timeZone, ctx.now?.() ?? new Date()))
  if ((await insertAnalysisRows(ctx.db, [{ siteId, response }])).has(response.id)) return 'stored'
  const outcome = await duplicateOrConflict(ctx.db, submission)
  if (outcome === 'absent') throw new Error(`response ${submission.id} was neither stored nor found`)
  return outcome
}

/**
 * The row intake stores for a submission, with its facts, when the answers are valid for the version; a 422
 * naming the problem otherwise. The benches and tests build their rows with it too, so they store what intake does.
 */
export function responseToStore (version: CompiledVersion, submission: ResponseSubmission, today: string): ResponseToStore {
  const { problem, facts } = version.survey.validateAndDerive(submission.answers)
  if (problem !== null) throw new AppError(422, 'invalid_answers', problem.message, problem.question)
  return {
    id: submission.id,
    waveId: submission.waveId,
    surveyVersionId: version.surveyVersionId,
    isoWeek: isoWeek(today),
    answers: submission.answers,
    gender: facts.dimensions.gender ?? null,
    ageGroup: facts.dimensions.age_group ?? null,
    indicatorValues: indicatorValueArray(version, facts.indicators),
    visits: facts.visits,
    answeredBefore: facts.answeredBefore,
  }
}

/**
 * responseToStore, refusing a response with fewer than `minAnswered` answered questions, with `beforeRefusing` run
 * before invalid answers are refused (its own refusal comes first).
 */
async function checkedResponse (version: CompiledVersion, submission: ResponseSubmission, today: string, minAnswered: number, beforeRefusing: () => Promise<unknown>): Promise<ResponseToStore> {
  try {
    const answered = Object.values(submission.answers).filter(isAnswered).length
    if (answered < minAnswered) {
      throw new AppError(422, 'too_few_answers', `the response answers ${answered} question${answered === 1 ? '' : 's'}; at least ${minAnswered} must be answered for it to count, and nothing was stored`)
    }
    return responseToStore(version, submission, today)
  } catch (error) {
    await beforeRefusing()
    throw error
  }
}

/** The response sealed as the holding area keeps it, with what the tablet's plausibility counters need. */
export function heldUpload (keys: HoldingKeyring, response: ResponseToStore, missingValues: readonly string[] = []): HeldUpload {
  const { keyId, sealed } = keys.seal(Buffer.from(JSON.stringify(response)))
  const answered = Object.values(response.answers).filter(isAnswered)
  return {
    preferNotOnly: answered.length > 0 && answered.every((value) => isMissingCode(value, missingValues)),
    answersTag: keys.tag(canonicalJson(response.answers)),
    id: response.id,
    waveId: response.waveId,
    surveyVersionId: response.surveyVersionId,
    isoWeek: response.isoWeek,
    idDigest: keys.idDigest(response.id),
    keyId,
    sealed,
  }
}

const isMissingCode = (value: unknown, missingValues: readonly string[]): boolean =>
  typeof value === 'string' ? missingValues.includes(value) : Array.isArray(value) && value.every((item) => isMissingCode(item, missingValues))

/** JSON with every object's keys in order: the same answers give the same text whatever order they came in. */
function canonicalJson (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`
  }
  return JSON.stringify(value)
}

const isAnswered = (value: unknown): boolean =>
  value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)

/** Seconds until the study day after the one `now` is in, in the study's time zone (at least 1). */
function secondsToNextStudyDay (timeZone: string, now: Date): number {
  const today = studyToday(timeZone, now)
  // Whole minutes forward: the day's end is under 25 hours away, and zones change on whole minutes.
  for (let t = Math.ceil(now.getTime() / 60_000) * 60_000; t < now.getTime() + 25 * 3_600_000; t += 60_000) {
    if (studyToday(timeZone, new Date(t)) !== today) return Math.max(1, Math.ceil((t - now.getTime()) / 1000))
  }
  return 24 * 3600
}

/**
 * 'duplicate' for a retried upload, a 409 for the same id with other content, 'absent' when nothing is stored
 * under the id: looked up in the holding area (by the id's digest, then opened) and in the analysis tables.
 */
async function duplicateOrConflict (db: Kysely<Database>, submission: ResponseSubmission, keys?: HoldingKeyring): Promise<'duplicate' | 'absent'> {
  const stored = await compareHeldResponse(db, submission, keys) ?? await compareStoredResponse(db, submission.id, submission.waveId, submission.answers)
  if (stored === 'different') {
    throw new AppError(409, 'response_conflict', `response ${submission.id} was already received with different content; a new response needs a new id`)
  }
  return stored === 'same' ? 'duplicate' : 'absent'
}

async function compareHeldResponse (db: Kysely<Database>, submission: ResponseSubmission, keys: HoldingKeyring | undefined): Promise<'same' | 'different' | undefined> {
  if (keys === undefined) return undefined
  const held = await findHeldResponse(db, keys.idDigests(submission.id))
  if (held === undefined) return undefined
  const response = JSON.parse(keys.open(held).toString('utf8')) as ResponseToStore
  // isDeepStrictEqual ignores the order of an object's keys, as jsonb equality does for a mixed response.
  return response.waveId === submission.waveId && isDeepStrictEqual(response.answers, submission.answers) ? 'same' : 'different'
}

function assertMayUpload (access: DeviceWaveAccess | undefined, waveId: string, today: string) {
  if (access === undefined) throw new AppError(401, 'device_unknown', 'this device token is not known; enrol the tablet again')
  if (access.revoked) throw new AppError(401, 'device_revoked', 'this tablet has been revoked and can no longer send responses')
  if (access.testSurveyVersionId !== null) {
    throw new AppError(409, 'test_tablet', 'this is a test tablet: it sends test responses (POST /api/test-responses), never responses to a wave; nothing was stored')
  }
  const { wave } = access
  if (wave === undefined) throw new AppError(404, 'wave_not_found', `wave ${waveId} does not exist`)
  if (!wave.atSite) throw new AppError(403, 'wave_not_at_site', `wave ${waveId} does not include this tablet's site`)
  const window = uploadWindow(wave, today)
  if (window === 'not_open_yet') throw new AppError(409, 'wave_not_open', `wave ${waveId} is not open yet (it opens on ${wave.opensOn})`)
  if (window === 'over') throw new AppError(409, 'wave_not_open', `wave ${waveId} closed on ${wave.closesOn} and took late uploads until ${lastUploadDay(wave)}`)
  return { ...access, wave }
}
