import type { Kysely } from 'kysely'
import type { Database, NewWave, WaveRow } from '../database.js'

export interface WaveSite {
  siteId: string
  targetResponses?: number
}

export async function createWave (db: Kysely<Database>, wave: NewWave, sites: readonly WaveSite[]): Promise<WaveRow> {
  return await db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('waves').values(wave).returningAll().executeTakeFirstOrThrow()
    if (sites.length > 0) {
      await trx.insertInto('wave_sites')
        .values(sites.map((site) => ({ wave_id: row.id, site_id: site.siteId, target_responses: site.targetResponses ?? null })))
        .execute()
    }
    return row
  })
}

export async function findWave (db: Kysely<Database>, id: string): Promise<WaveRow | undefined> {
  return await db.selectFrom('waves').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function findWaveSurveyVersionId (db: Kysely<Database>, id: string): Promise<number | undefined> {
  const row = await db.selectFrom('waves').select('survey_version_id').where('id', '=', id).executeTakeFirst()
  return row?.survey_version_id
}
