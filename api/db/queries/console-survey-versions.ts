import type { Kysely } from 'kysely'
import type { Database, SurveyVersionRow } from '../database.js'

export interface SurveyVersionWithUse {
  row: SurveyVersionRow
  waveCount: number
}

/** Every published version (or `id` only), newest first, with how many waves use it. */
export async function listSurveyVersions (db: Kysely<Database>, id?: number): Promise<SurveyVersionWithUse[]> {
  let query = db.selectFrom('survey_versions as v')
    .selectAll('v')
    .select((eb) => eb.selectFrom('waves').select(eb.fn.countAll<number>().as('n')).whereRef('waves.survey_version_id', '=', 'v.id').as('wave_count'))
    .orderBy('v.published_at', 'desc').orderBy('v.slug').orderBy('v.version', 'desc')
  if (id !== undefined) query = query.where('v.id', '=', id)
  const rows = await query.execute()
  return rows.map(({ wave_count: waveCount, ...row }) => ({ row, waveCount: Number(waveCount ?? 0) }))
}

/** slug/version → checksum of every published version. */
export async function publishedChecksums (db: Kysely<Database>): Promise<Map<string, string>> {
  const rows = await db.selectFrom('survey_versions').select(['slug', 'version', 'checksum']).execute()
  return new Map(rows.map((row) => [`${row.slug}/${row.version}`, row.checksum]))
}

export async function findSurveyVersionId (db: Kysely<Database>, slug: string, version: number): Promise<number | undefined> {
  const row = await db.selectFrom('survey_versions').select('id').where('slug', '=', slug).where('version', '=', version).executeTakeFirst()
  return row?.id
}
