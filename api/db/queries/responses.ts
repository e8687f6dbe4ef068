import { sql } from 'kysely'
import type { Kysely, RawBuilder } from 'kysely'
import type { Database, SurveyAnswers, WaveStatus } from '../database.js'

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
}

/**
 * Stores a response and its facts in one statement (so one transaction, one round trip) if, and only if,
 * the device may upload to the wave today: known, not revoked, at one of the wave's sites, the wave opened,
 * not past its close date plus grace days, and still on the survey version the answers were checked against.
 * Returns false when nothing was stored — a refusal or an id already there; the caller finds out which.
 */
export async function insertResponseIfPermitted (db: Kysely<Database>, permit: UploadPermit, response: ResponseToStore): Promise<boolean> {
  return await insertAtSiteOf(db, sql`
    select d.site_id
    from devices d
    join wave_sites ws on ws.site_id = d.site_id and ws.wave_id = ${response.waveId}
    join waves w on w.id = ws.wave_id
    where d.token_hash = ${permit.tokenHash} and d.revoked_at is null
      and w.status <> 'planned' and w.survey_version_id = ${response.surveyVersionId}
      and w.opens_on <= ${permit.today}::date and w.closes_on + w.grace_days >= ${permit.today}::date`, response)
}

/** Stores a response for a known site without a device (the synthetic seeder); false when the id exists. */
export async function insertResponseAtSite (db: Kysely<Database>, siteId: string, response: ResponseToStore): Promise<boolean> {
  return await insertAtSiteOf(db, sql`select ${siteId}::uuid as site_id`, response)
}

/** The response row and its facts row in one statement, at the site the `site` query yields (none: nothing stored). */
async function insertAtSiteOf (db: Kysely<Database>, site: RawBuilder<unknown>, response: ResponseToStore): Promise<boolean> {
  const result = await sql<{ response_id: string }>`
    with site as (${site}), inserted as (
      insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
      select ${response.id}, ${response.waveId}, site_id, ${response.surveyVersionId}, ${response.isoWeek}, ${JSON.stringify(response.answers)}::jsonb
      from site
      on conflict (id) do nothing
      returning id, wave_id, site_id, survey_version_id, iso_week
    )
    insert into response_facts (response_id, wave_id, site_id, survey_version_id, iso_week, gender, age_group, indicator_values)
    select id, wave_id, site_id, survey_version_id, iso_week, ${response.gender}, ${response.ageGroup},
           ${pgBooleanArray(response.indicatorValues)}::boolean[]
    from inserted
    returning response_id`.execute(db)
  return result.rows.length === 1
}

/** Whether the stored response with this id has the same wave and answers (a retried upload) or not (a clash). */
export async function storedResponseMatches (db: Kysely<Database>, id: string, waveId: string, answers: SurveyAnswers): Promise<boolean> {
  const row = await db.selectFrom('responses')
    .select((eb) => eb.and([
      eb('wave_id', '=', waveId),
      eb('answers', '=', sql<SurveyAnswers>`${JSON.stringify(answers)}::jsonb`),
    ]).as('same'))
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.same === true
}

// An array literal as text, so that pg and PGlite send the same parameter (both cast it with ::boolean[]).
function pgBooleanArray (values: ReadonlyArray<boolean | null>): string {
  return `{${values.map((value) => value === null ? 'NULL' : value ? 't' : 'f').join(',')}}`
}
