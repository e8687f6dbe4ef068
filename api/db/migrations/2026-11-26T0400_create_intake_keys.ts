import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * The key pair the tablets seal responses with (RSA-OAEP, SHA-256): the public half is served to the kiosk,
 * the private half opens sealed uploads at intake. Kept in the database so that every API process shares one
 * pair and a backup carries it (a tablet may hold sealed responses across a restore). Old pairs stay, so a
 * response sealed before a new pair was made still opens; only one pair is current at a time.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('intake_keys')
    // A digest of the public key, so a tablet and the server name the same key without a shared counter.
    .addColumn('key_id', 'text', (col) => col.primaryKey().check(sql`key_id ~ '^[0-9a-f]{32}$'`))
    .addColumn('public_key_spki', 'text', (col) => col.notNull())
    .addColumn('private_key_pkcs8', 'text', (col) => col.notNull())
    .addColumn('is_current', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  // At most one current pair: two API processes starting together cannot both make one current.
  await db.schema.createIndex('intake_keys_one_current').on('intake_keys').column('is_current').unique().where(sql.ref('is_current'), '=', true).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('intake_keys').execute()
}
