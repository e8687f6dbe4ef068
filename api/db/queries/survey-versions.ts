import type { Kysely, Transaction } from 'kysely'
import type { SurveyDefinition } from '../../../survey-definitions/index.js'
import type { Database, SurveyVersionRow } from '../database.js'
import { AppError } from '../../errors.js'

export type PublishOutcome = 'published' | 'unchanged'

/**
 * Publishes one definition. An already published version with the same checksum is a no-op; a different
 * checksum under the same number is refused, because a published version is immutable.
 */
export async function publishSurveyVersion (db: Kysely<Database>, def: SurveyDefinition): Promise<PublishOutcome> {
  if (db.isTransaction) return await publishSurveyVersionIn(db as Transaction<Database>, def)
  return await db.transaction().execute(async (trx) => await publishSurveyVersionIn(trx, def))
}

/** publishSurveyVersion inside the caller's transaction (the console records its audit entry in the same one). */
export async function publishSurveyVersionIn (trx: Transaction<Database>, def: SurveyDefinition): Promise<PublishOutcome> {
  const existing = await trx.selectFrom('survey_versions')
    .select(['id', 'checksum'])
    .where('slug', '=', def.slug)
    .where('version', '=', def.version)
    .executeTakeFirst()
  if (existing !== undefined) {
    if (existing.checksum === def.checksum) return 'unchanged'
    throw new AppError(409, 'survey_version_changed',
      `${def.slug} v${def.version} is already published with different content (${def.files.survey}); ` +
      `a published version never changes: copy it to v${def.version + 1} and publish that instead`)
  }
  await trx.insertInto('survey_versions').values({
    slug: def.slug,
    version: def.version,
    definition: JSON.stringify(def.survey),
    indicator_map: JSON.stringify(def.indicatorMap),
    checksum: def.checksum,
  }).execute()
  await registerIndicators(trx, Object.keys(def.indicatorMap.indicators))
  return 'published'
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
