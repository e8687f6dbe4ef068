import type { Kysely, Transaction, Updateable } from 'kysely'
import type { Database, NewSite, SiteRow, SiteTable } from '../database.js'

export async function createSite (db: Kysely<Database>, site: NewSite): Promise<SiteRow> {
  return await db.insertInto('sites').values(site).returningAll().executeTakeFirstOrThrow()
}

/** Every site by name, or only `siteId` when given (site staff). */
export async function listSites (db: Kysely<Database>, siteId?: string): Promise<SiteRow[]> {
  let query = db.selectFrom('sites').selectAll().orderBy('name').orderBy('id')
  if (siteId !== undefined) query = query.where('id', '=', siteId)
  return await query.execute()
}

export async function findSite (db: Kysely<Database>, id: string): Promise<SiteRow | undefined> {
  return await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Locks the row while it is changed, so the audit entry records the values it replaced. */
export async function findSiteForUpdate (trx: Transaction<Database>, id: string): Promise<SiteRow | undefined> {
  return await trx.selectFrom('sites').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export async function updateSite (trx: Transaction<Database>, id: string, patch: Updateable<SiteTable>): Promise<SiteRow> {
  return await trx.updateTable('sites').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow()
}

/** The ids among `ids` that are sites. */
export async function existingSiteIds (db: Kysely<Database>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await db.selectFrom('sites').select('id').where('id', 'in', ids).execute()
  return new Set(rows.map((row) => row.id))
}
