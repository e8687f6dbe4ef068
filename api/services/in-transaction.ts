import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/database.js'

/**
 * Runs `work` in the caller's transaction when `db` is one, else in a transaction of its own: a service
 * that must write several rows together still composes into a larger unit (the demo seeding writes all of
 * its data in one transaction).
 */
export async function inTransaction<T> (db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return await work(db as Transaction<Database>)
  return await db.transaction().execute(work)
}
