import { CompiledQuery, sql } from 'kysely'
import type { Kysely } from 'kysely'
import { PREPARED } from '../connect.js'
import type { Database, SurveyAnswers, WaveStatus } from '../database.js'
import { factLanes } from '../fact-lanes.js'
import { ADD_FACTS_TO_TOTALS } from './response-totals.js'
import { uploadWindowOpenSql } from '../../domain/upload-window.js'

/** The columns of one record of `responseRecord` in jsonb_to_recordset. */
const RECORD_COLUMN_LIST = 'id uuid, wave_id uuid, survey_version_id integer, iso_week text, answers jsonb, gender text, age_group text, indicator_values boolean[], ' +
  'yes_lanes int8[], known_lanes int8[], visits float8, answered_before boolean'
export const RECORD_COLUMNS = sql.raw(RECORD_COLUMN_LIST)

export interface DeviceWaveAccess {
  siteId: string
  revoked: boolean
  /** A test tablet (its survey version's id) sends test responses only, never to a wave; null for a live one. */
  testSurveyVersionId: number | null
  /** undefined when the wave does not exist. */
  wave?: {
    id: string
    surveyVersionId: number
    status: WaveStatus
    opensOn: string
    closesOn: string
    graceDays: number
    /** Whether the device's site is one of the wave's sites. */
    atSite: boolean
  }
}

/** One round trip that answers "may this device upload to this wave?"; undefined when the token is unknown. */
export async function findDeviceWaveAccess (db: Kysely<Database>, tokenHash: string, waveId: string): Promise<DeviceWaveAccess | undefined> {
  const row = await db.selectFrom('devices as d')
    .leftJoin('waves as w', (join) => join.on('w.id', '=', waveId))
    .leftJoin('wave_sites as ws', (join) => join.onRef('ws.wave_id', '=', 'w.id').onRef('ws.site_id', '=', 'd.site_id'))
    .select([
      'd.site_id', 'd.revoked_at', 'd.test_survey_version_id',
      'w.id as wave_id', 'w.survey_version_id', 'w.status', 'w.opens_on', 'w.closes_on', 'w.grace_days',
      'ws.site_id as wave_site_id',
    ])
    .where('d.token_hash', '=', tokenHash)
    .executeTakeFirst()
  if (row === undefined) return undefined
  const access: DeviceWaveAccess = { siteId: row.site_id, revoked: row.revoked_at !== null, testSurveyVersionId: row.test_survey_version_id }
  if (row.wave_id !== null && row.survey_version_id !== null && row.status !== null &&
      row.opens_on !== null && row.closes_on !== null && row.grace_days !== null) {
    access.wave = {
      id: row.wave_id,
      surveyVersionId: row.survey_version_id,
      status: row.status,
      opensOn: row.opens_on,
      closesOn: row.closes_on,
      graceDays: row.grace_days,
      atSite: row.wave_site_id !== null,
    }
  }
  return access
}

export interface ResponseToStore {
  id: string
  waveId: string
  surveyVersionId: number
  isoWeek: string
  answers: SurveyAnswers
  gender: string | null
  ageGroup: string | null
  indicatorValues: Array<boolean | null>
  /**
   * Visits the attendance answer stands for and whether the respondent said they had answered before
   * (api/intake/derive-facts.ts). Optional because a response held before they existed has neither:
   * it reads as null and false.
   */
  visits?: number | null
  answeredBefore?: boolean
}

export interface UploadPermit {
  tokenHash: string
  /** The study's today, 'YYYY-MM-DD': the wave must be open then, counting its grace days. */
  today: string
  /** Uploads this device may send in one minute; the one over it is refused, not stored. */
  uploadsPerMinute: number
  /** New responses this device may send in one study day; the one over it is refused, not stored. */
  uploadsPerDay: number
}

/** A checked response as the holding area keeps it: sealed, keyed by a digest of its id (api/sealing/holding-key.ts). */
export interface HeldUpload {
  /** The response id: only compared with `responses`, never written to the holding area. */
  id: string
  waveId: string
  surveyVersionId: number
  isoWeek: string
  idDigest: string
  keyId: string
  sealed: Buffer
  /** Every answer a missing-value code: counted on the device row, for the console's plausibility signal. */
  preferNotOnly: boolean
  /** HoldingKeyring.tag of the answers: compared with the device's previous one. */
  answersTag: number
}

export interface PermittedUpload {
  permit: UploadPermit
  held: HeldUpload
}

export interface BatchOutcome {
  /** The ids held by this statement. */
  stored: Set<string>
  /**
   * Ids refused because their device reached its uploads per minute (with the seconds until the next minute)
   * or its new responses per day (the caller reckons the wait until the study day's end).
   */
  limited: Map<string, { per: 'minute' | 'day', retryAfterSeconds: number }>
}

/**
 * Holds sealed responses in one statement (one transaction, one round trip for the whole batch), each one if,
 * and only if, its device may upload to its wave that day: known, not revoked, at one of the wave's sites, the
 * wave's upload window open (api/domain/upload-window.ts), still on the survey version the answers were checked
 * against, and the device under its uploads per minute and its new responses per day. The same statement counts
 * the uploads on each device row (the rate limit's window, the accepted total, the day's count and the date of
 * the last accepted one): it may, because it
 * writes nothing readable beside them — the answers enter `responses` only at the week's mix (services/mix.ts).
 * A response already mixed is not held again. An id in neither set of the outcome was refused for another
 * reason or was there already, and the caller finds out which.
 *
 * A batch holds each response id and each device at most once (IntakeBatcher sees to it: a tablet sends one
 * upload at a time, and a flooding one waits for the next batch). Each device's window is then simply its
 * count so far plus one, with no ranking inside the batch; the rows are locked in id order before anything is
 * written, so the count is exact across batches and API processes, and two batches sharing tablets queue
 * rather than deadlock.
 */
export async function holdResponsesIfPermitted (db: Kysely<Database>, uploads: readonly PermittedUpload[]): Promise<BatchOutcome> {
  assertOnePerIdAndDevice(uploads)
  const input = uploads.map(({ permit, held }) => ({
    id: held.id,
    wave_id: held.waveId,
    survey_version_id: held.surveyVersionId,
    iso_week: held.isoWeek,
    id_digest: held.idDigest,
    key_id: held.keyId,
    sealed: held.sealed.toString('base64'),
    prefer_not_only: held.preferNotOnly,
    answers_tag: held.answersTag,
    token_hash: permit.tokenHash,
    today: permit.today,
    per_minute: permit.uploadsPerMinute,
    per_day: permit.uploadsPerDay,
  }))
  const result = await db.executeQuery<{ id: string, stored: boolean, limited_by: 'minute' | 'day' | null, retry_after: number | null }>(
    CompiledQuery.raw(HOLD_IF_PERMITTED, [JSON.stringify(input)]))
  const outcome: BatchOutcome = { stored: new Set(), limited: new Map() }
  for (const row of result.rows) {
    if (row.stored) outcome.stored.add(row.id)
    else outcome.limited.set(row.id, { per: row.limited_by ?? 'minute', retryAfterSeconds: row.retry_after ?? 60 })
  }
  return outcome
}

function assertOnePerIdAndDevice (uploads: readonly PermittedUpload[]): void {
  const ids = new Set(uploads.map((upload) => upload.held.id))
  const devices = new Set(uploads.map((upload) => upload.permit.tokenHash))
  if (ids.size !== uploads.length || devices.size !== uploads.length) {
    throw new Error('a batch of uploads must hold each response id and each device token once')
  }
}

// Written out once rather than built by Kysely's sql template at every batch: under load, building and
// compiling this statement was a fixed cost of every batch in the API process.
const HOLD_IF_PERMITTED = `${PREPARED}
    with permitted as (
      select i.*, d.id as device_id, d.site_id,
             case when d.rate_window_start = date_trunc('minute', now()) then d.rate_window_uploads else 0 end + 1 as nth,
             case when d.last_upload_on = i.today then d.day_uploads else 0 end as today_uploads
      from jsonb_to_recordset($1::jsonb) as i(id uuid, wave_id uuid, survey_version_id integer, iso_week text, id_digest text,
                                               key_id text, sealed text, prefer_not_only boolean, answers_tag smallint, token_hash text, today date,
                                               per_minute integer, per_day integer)
      join devices d on d.token_hash = i.token_hash and d.revoked_at is null and d.test_survey_version_id is null
      join wave_sites ws on ws.site_id = d.site_id and ws.wave_id = i.wave_id
      join waves w on w.id = ws.wave_id
      where w.survey_version_id = i.survey_version_id and ${uploadWindowOpenSql('w', 'i.today')}
      order by d.id
      for update of d
    ), target as (
      select * from permitted where nth <= per_minute and today_uploads < per_day
    ), held as (
      insert into held_responses (id_digest, wave_id, site_id, iso_week, key_id, sealed)
      select id_digest, wave_id, site_id, iso_week, key_id, decode(sealed, 'base64') from target t
      where not exists (select 1 from responses r where r.id = t.id)
      on conflict (id_digest) do nothing
      returning id_digest
    ), counted as (
      update devices d
      set rate_window_start = date_trunc('minute', now()),
          rate_window_uploads = t.nth,
          upload_count = d.upload_count + (h.id_digest is not null)::int,
          day_uploads = case when h.id_digest is null then d.day_uploads else t.today_uploads + 1 end,
          prefer_not_only_uploads = d.prefer_not_only_uploads + (h.id_digest is not null and t.prefer_not_only)::int,
          repeated_uploads = d.repeated_uploads + coalesce(h.id_digest is not null and d.last_answers_tag = t.answers_tag, false)::int,
          last_answers_tag = case when h.id_digest is null then d.last_answers_tag else t.answers_tag end,
          last_upload_on = case when h.id_digest is null then d.last_upload_on else greatest(d.last_upload_on, t.today) end
      from target t left join held h on h.id_digest = t.id_digest
      where d.id = t.device_id
    )
    select t.id, true as stored, null::text as limited_by, null::int as retry_after from target t join held h on h.id_digest = t.id_digest
    union all
    select id, false, case when nth > per_minute then 'minute' else 'day' end, 60 - floor(extract(second from now()))::int
    from permitted where nth > per_minute or today_uploads >= per_day`

/** A response with the site it was given at: what the analysis tables store. */
export interface ResponseAtSite {
  siteId: string
  response: ResponseToStore
}

/**
 * Writes responses, their facts and their share of the per-site totals into the analysis tables, in the order
 * given, skipping ids already stored; returns the ids stored. The week's mix calls it with a wave's held
 * responses, shuffled, inside its transaction; the synthetic seeder with responses that never had a device.
 */
export async function insertAnalysisRows (db: Kysely<Database>, rows: readonly ResponseAtSite[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set()
  const input = rows.map(({ siteId, response }, n) => ({ ...responseRecord(response), site_id: siteId, n }))
  // The statement text is the same for every call, so it is prepared once per connection.
  const result = await sql<{ response_id: string }>`${sql.raw(PREPARED)}
    with target as (
      select i.* from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as i(${RECORD_COLUMNS}, site_id uuid, n integer)
    ), inserted as (
      insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
      select id, wave_id, site_id, survey_version_id, iso_week, answers from target order by n
      on conflict (id) do nothing
      returning id
    ), facts as (
      insert into response_facts (response_id, wave_id, site_id, survey_version_id, iso_week, gender, age_group, indicator_values,
                                  yes_lanes, known_lanes, visits, answered_before)
      select t.id, t.wave_id, t.site_id, t.survey_version_id, t.iso_week, t.gender, t.age_group, t.indicator_values,
             t.yes_lanes, t.known_lanes, t.visits, t.answered_before
      from target t join inserted using (id)
      order by t.n
      returning response_id, wave_id, site_id, gender, age_group, visits, answered_before, indicator_values
    ), ${sql.raw(ADD_FACTS_TO_TOTALS)}
    select response_id from facts`.execute(db)
  return new Set(result.rows.map((row) => row.response_id))
}

/** A response as one record of the batch statements' jsonb input (the bench's baseline statement uses it too). */
export function responseRecord (response: ResponseToStore) {
  // The lanes are derived here, from the same values, so nothing that builds a ResponseToStore can get them wrong.
  const lanes = factLanes(response.indicatorValues)
  return {
    id: response.id,
    wave_id: response.waveId,
    survey_version_id: response.surveyVersionId,
    iso_week: response.isoWeek,
    answers: response.answers,
    gender: response.gender,
    age_group: response.ageGroup,
    indicator_values: response.indicatorValues,
    yes_lanes: lanes.yes,
    known_lanes: lanes.known,
    visits: response.visits ?? null,
    answered_before: response.answeredBefore ?? false,
  }
}

/**
 * How the response stored under this id compares with an upload: 'same' wave and answers (a retried
 * upload), 'different' (a clash), or 'absent' (nothing stored under the id).
 */
export async function compareStoredResponse (db: Kysely<Database>, id: string, waveId: string, answers: SurveyAnswers): Promise<'same' | 'different' | 'absent'> {
  const row = await db.selectFrom('responses')
    .select((eb) => eb.and([
      eb('wave_id', '=', waveId),
      eb('answers', '=', sql<SurveyAnswers>`${JSON.stringify(answers)}::jsonb`),
    ]).as('same'))
    .where('id', '=', id)
    .executeTakeFirst()
  if (row === undefined) return 'absent'
  return row.same === true ? 'same' : 'different'
}
