import type { Kysely, Transaction } from 'kysely'
import type { Database, NewWave, WaveRow } from '../database.js'

export interface WaveSite {
  siteId: string
  targetResponses?: number
}

/** In the caller's transaction when given one (the demo seeding writes everything in one), else in its own. */
export async function createWave (db: Kysely<Database>, wave: NewWave, sites: readonly WaveSite[]): Promise<WaveRow> {
  if (db.isTransaction) return await insertWave(db as Transaction<Database>, wave, sites)
  return await db.transaction().execute(async (trx) => await insertWave(trx, wave, sites))
}

async function insertWave (trx: Transaction<Database>, wave: NewWave, sites: readonly WaveSite[]): Promise<WaveRow> {
  const row = await trx.insertInto('waves').values(wave).returningAll().executeTakeFirstOrThrow()
  if (sites.length > 0) {
    await trx.insertInto('wave_sites')
      .values(sites.map((site) => ({ wave_id: row.id, site_id: site.siteId, target_responses: site.targetResponses ?? null })))
      .execute()
  }
  return row
}

export async function findWaveSurveyVersionId (db: Kysely<Database>, id: string): Promise<number | undefined> {
  const row = await db.selectFrom('waves').select('survey_version_id').where('id', '=', id).executeTakeFirst()
  return row?.survey_version_id
}

export interface OpenWave {
  waveId: string
  waveName: string
  surveyVersionId: number
  slug: string
  version: number
}

/**
 * The wave a tablet at this site should show today: open, between its dates, and including the site. If
 * several overlap, the one that opened last wins (a deliberate, predictable rule until the console plans waves).
 */
export async function findOpenWaveAtSite (db: Kysely<Database>, siteId: string, today: string): Promise<OpenWave | undefined> {
  const row = await db.selectFrom('waves')
    .innerJoin('wave_sites', 'wave_sites.wave_id', 'waves.id')
    .innerJoin('survey_versions', 'survey_versions.id', 'waves.survey_version_id')
    .select(['waves.id', 'waves.name', 'waves.survey_version_id', 'survey_versions.slug', 'survey_versions.version'])
    .where('wave_sites.site_id', '=', siteId)
    .where('waves.status', '=', 'open')
    .where('waves.opens_on', '<=', today)
    .where('waves.closes_on', '>=', today)
    .orderBy('waves.opens_on', 'desc')
    .orderBy('waves.id')
    .limit(1)
    .executeTakeFirst()
  return row === undefined ? undefined : { waveId: row.id, waveName: row.name, surveyVersionId: row.survey_version_id, slug: row.slug, version: row.version }
}
