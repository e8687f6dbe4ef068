import type { Kysely, Transaction } from 'kysely'
import type { SurveyDefinition } from '../../../survey-definitions/index.js'
import type { VersionRules } from '../../../survey-definitions/instrument.js'
import type { Database, SurveyVersionRow } from '../database.js'

export type PublishOutcome = 'published' | 'unchanged'

/** The id, checksum and rules stored under a slug and version number, if that version is published. */
export async function findPublishedChecksum (db: Kysely<Database>, slug: string, version: number): Promise<{ id: number, checksum: string, rules: VersionRules } | undefined> {
  return await db.selectFrom('survey_versions').select(['id', 'checksum', 'rules']).where('slug', '=', slug).where('version', '=', version).executeTakeFirst()
}

/** Stores a new version and registers its indicators (both or neither: hence the transaction). */
export async function insertSurveyVersion (trx: Transaction<Database>, def: SurveyDefinition): Promise<number> {
  const { id } = await trx.insertInto('survey_versions').values({
    slug: def.slug,
    version: def.version,
    definition: JSON.stringify(def.survey),
    indicator_map: JSON.stringify(def.indicatorMap),
    rules: JSON.stringify(def.rules),
    checksum: def.checksum,
  }).returning('id').executeTakeFirstOrThrow()
  await registerIndicators(trx, Object.keys(def.indicatorMap.indicators))
  return id
}

async function registerIndicators (trx: Transaction<Database>, names: string[]): Promise<void> {
  if (names.length === 0) return
  await trx.insertInto('indicators')
    .values(names.map((name) => ({ name })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
}

export async function findSurveyVersion (db: Kysely<Database>, slug: string, version: number): Promise<SurveyVersionRow | undefined> {
  return await db.selectFrom('survey_versions').selectAll()
    .where('slug', '=', slug).where('version', '=', version)
    .executeTakeFirst()
}

export async function findSurveyVersionById (db: Kysely<Database>, id: number): Promise<SurveyVersionRow | undefined> {
  return await db.selectFrom('survey_versions').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Indicator name → its index in response_facts.indicator_values. */
export async function indicatorOrdinals (db: Kysely<Database>, names: readonly string[]): Promise<Map<string, number>> {
  if (names.length === 0) return new Map()
  const rows = await db.selectFrom('indicators').select(['id', 'name']).where('name', 'in', names).execute()
  return new Map(rows.map((row) => [row.name, row.id]))
}

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

/** slug/version → checksum and rules of every published version. */
export async function publishedChecksums (db: Kysely<Database>): Promise<Map<string, { checksum: string, rules: VersionRules }>> {
  const rows = await db.selectFrom('survey_versions').select(['slug', 'version', 'checksum', 'rules']).execute()
  return new Map(rows.map((row) => [`${row.slug}/${row.version}`, { checksum: row.checksum, rules: row.rules }]))
}

export async function findSurveyVersionId (db: Kysely<Database>, slug: string, version: number): Promise<number | undefined> {
  const row = await db.selectFrom('survey_versions').select('id').where('slug', '=', slug).where('version', '=', version).executeTakeFirst()
  return row?.id
}

export async function surveyVersionExists (db: Kysely<Database>, id: number): Promise<boolean> {
  return (await db.selectFrom('survey_versions').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}
