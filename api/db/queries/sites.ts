import type { Kysely } from 'kysely'
import type { Database, NewSite, SiteRow } from '../database.js'

export async function createSite (db: Kysely<Database>, site: NewSite): Promise<SiteRow> {
  return await db.insertInto('sites').values(site).returningAll().executeTakeFirstOrThrow()
}
