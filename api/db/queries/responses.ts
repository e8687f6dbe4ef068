import { CompiledQuery, sql } from 'kysely'
import type { Kysely, RawBuilder } from 'kysely'
import { PREPARED } from '../connect.js'
import type { Database, SurveyAnswers, WaveStatus } from '../database.js'
import { factLanes } from '../fact-lanes.js'

/** The columns of one record of `responseRecord` in jsonb_to_recordset. */
const RECORD_COLUMN_LIST = 'id uuid, wave_id uuid, survey_version_id integer, iso_week text, answers jsonb, gender text, age_group text, indicator_values boolean[], ' +
  'yes_lanes int8[], known_lanes int8[]'
export const RECORD_COLUMNS = sql.raw(RECORD_COLUMN_LIST)

export interface DeviceWaveAccess {
  siteId: string
  revoked: boolean
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
      'd.site_id', 'd.revoked_at',
      'w.id as wave_id', 'w.survey_version_id', 'w.status', 'w.opens_on', 'w.closes_on', 'w.grace_days',
      'ws.site_id as wave_site_id',
    ])
    .where('d.token_hash', '=', tokenHash)
    .executeTakeFirst()
  if (row === undefined) return undefined
  const access: DeviceWaveAccess = { siteId: row.site_id, revoked: row.revoked_at !== null }
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
}

export interface UploadPermit {
  tokenHash: string
  /** The study's today, 'YYYY-MM-DD': the wave must be open then, counting its grace days. */
  today: string
  /** Uploads this device may send in one minute; the one over it is refused, not stored. */
  uploadsPerMinute: number
}

export interface PermittedUpload {
  permit: UploadPermit
  response: ResponseToStore
}

export interface BatchOutcome {
  /** The ids stored by this statement. */
  stored: Set<string>
  /** Ids refused because their device reached its uploads per minute, with the seconds until the next minute. */
  limited: Map<string, number>
}

/**
 * Stores responses with their facts in one statement (one transaction, one round trip for the whole
 * batch), each one if, and only if, its device may upload to its wave that day: known, not revoked, at one
 * of the wave's sites, the wave opened and not past its close date plus grace days, still on the survey
 * version the answers were checked against, and the device under its uploads per minute. The same statement
 * counts the uploads on each device row (the rate limit's window, the accepted total, the date of the last
 * accepted one) and never on a response. An id in neither set of the outcome was refused for another reason
 * or was there already, and the caller finds out which.
 *
 * A batch holds each response id and each device at most once (IntakeBatcher sees to it: a tablet sends one
 * upload at a time, and a flooding one waits for the next batch). Each device's window is then simply its
 * count so far plus one, with no ranking inside the batch; the rows are locked in id order before anything is
 * written, so the count is exact across batches and API processes, and two batches sharing tablets queue
 * rather than deadlock. (The ranking within a batch that this replaced cost PostgreSQL about 8 % of its CPU per
 * response at 5 uploads a batch.)
 */
export async function insertResponsesIfPermitted (db: Kysely<Database>, uploads: readonly PermittedUpload[]): Promise<BatchOutcome> {
  assertOnePerIdAndDevice(uploads)
  const input = uploads.map(({ permit, response }) => ({
    ...responseRecord(response), token_hash: permit.tokenHash, today: permit.today, per_minute: permit.uploadsPerMinute,
  }))
  const result = await db.executeQuery<{ id: string, stored: boolean, retry_after: number | null }>(
    CompiledQuery.raw(INSERT_IF_PERMITTED, [JSON.stringify(input)]))
  const outcome: BatchOutcome = { stored: new Set(), limited: new Map() }
  for (const row of result.rows) {
    if (row.stored) outcome.stored.add(row.id)
    else outcome.limited.set(row.id, row.retry_after ?? 60)
  }
  return outcome
}

function assertOnePerIdAndDevice (uploads: readonly PermittedUpload[]): void {
  const ids = new Set(uploads.map((upload) => upload.response.id))
  const devices = new Set(uploads.map((upload) => upload.permit.tokenHash))
  if (ids.size !== uploads.length || devices.size !== uploads.length) {
    throw new Error('a batch of uploads must hold each response id and each device token once')
  }
}

// Written out once rather than built by Kysely's sql template at every batch: under load, building and
// compiling this statement was a fixed cost of every batch in the API process.
const INSERT_IF_PERMITTED = `${PREPARED}
    with permitted as (
      select i.*, d.id as device_id, d.site_id,
             case when d.rate_window_start = date_trunc('minute', now()) then d.rate_window_uploads else 0 end + 1 as nth
      from jsonb_to_recordset($1::jsonb) as i(${RECORD_COLUMN_LIST}, token_hash text, today date, per_minute integer)
      join devices d on d.token_hash = i.token_hash and d.revoked_at is null
      join wave_sites ws on ws.site_id = d.site_id and ws.wave_id = i.wave_id
      join waves w on w.id = ws.wave_id
      where w.status <> 'planned' and w.survey_version_id = i.survey_version_id
        and w.opens_on <= i.today and w.closes_on + w.grace_days >= i.today
      order by d.id
      for update of d
    ), target as (
      select * from permitted where nth <= per_minute
    ), inserted as (
      insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
      select id, wave_id, site_id, survey_version_id, iso_week, answers from target
      on conflict (id) do nothing
      returning id
    ), facts as (
      insert into response_facts (response_id, wave_id, site_id, survey_version_id, iso_week, gender, age_group, indicator_values,
                                  yes_lanes, known_lanes)
      select t.id, t.wave_id, t.site_id, t.survey_version_id, t.iso_week, t.gender, t.age_group, t.indicator_values,
             t.yes_lanes, t.known_lanes
      from target t join inserted using (id)
      returning response_id
    ), counted as (
      update devices d
      set rate_window_start = date_trunc('minute', now()),
          rate_window_uploads = t.nth,
          upload_count = d.upload_count + (f.response_id is not null)::int,
          last_upload_on = case when f.response_id is null then d.last_upload_on else greatest(d.last_upload_on, t.today) end
      from target t left join facts f on f.response_id = t.id
      where d.id = t.device_id
    )
    select response_id as id, true as stored, null::int as retry_after from facts
    union all
    select id, false, 60 - floor(extract(second from now()))::int from permitted where nth > per_minute`

/** Stores responses at a known site without a device check (the synthetic seeder); returns the ids stored. */
export async function insertResponsesAtSite (db: Kysely<Database>, siteId: string, responses: readonly ResponseToStore[]): Promise<Set<string>> {
  const input = responses.map((response) => ({ ...responseRecord(response), site_id: siteId }))
  return await insertFrom(db, sql`
    select distinct on (i.id) i.id, i.wave_id, i.site_id, i.survey_version_id, i.iso_week, i.answers, i.gender, i.age_group, i.indicator_values,
           i.yes_lanes, i.known_lanes
    from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as i(${RECORD_COLUMNS}, site_id uuid)
    order by i.id`)
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
  }
}

/** Inserts the rows `rows` yields into responses and response_facts, skipping ids already stored. */
async function insertFrom (db: Kysely<Database>, rows: RawBuilder<unknown>): Promise<Set<string>> {
  // The statement text depends only on which of the two callers built `rows`, so it is prepared once.
  const result = await sql<{ response_id: string }>`${sql.raw(PREPARED)}
    with target as (${rows}), inserted as (
      insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
      select id, wave_id, site_id, survey_version_id, iso_week, answers from target
      on conflict (id) do nothing
      returning id
    )
    insert into response_facts (response_id, wave_id, site_id, survey_version_id, iso_week, gender, age_group, indicator_values,
                                yes_lanes, known_lanes)
    select t.id, t.wave_id, t.site_id, t.survey_version_id, t.iso_week, t.gender, t.age_group, t.indicator_values,
           t.yes_lanes, t.known_lanes
    from target t join inserted using (id)
    returning response_id`.execute(db)
  return new Set(result.rows.map((row) => row.response_id))
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
