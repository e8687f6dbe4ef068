import { sql } from 'kysely'
import type { Kysely } from 'kysely'
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

export interface StoredResponse {
  id: string
  waveId: string
  siteId: string
  surveyVersionId: number
  isoWeek: string
  answers: SurveyAnswers
  gender: string | null
  ageGroup: string | null
  indicatorValues: Array<boolean | null>
}

/**
 * Stores a response and its facts in one statement (so in one transaction) and reports whether it was new.
 * A response id that already exists stores nothing: the caller compares it with storedResponseMatches.
 */
export async function insertResponse (db: Kysely<Database>, response: StoredResponse): Promise<boolean> {
  const result = await sql<{ response_id: string }>`
    with inserted as (
      insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
      values (${response.id}, ${response.waveId}, ${response.siteId}, ${response.surveyVersionId},
              ${response.isoWeek}, ${JSON.stringify(response.answers)}::jsonb)
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
