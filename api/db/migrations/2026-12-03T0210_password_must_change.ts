import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/** Set when an admin resets a password: the account must choose its own at its next login before anything else. */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts')
    .addColumn('password_must_change', 'boolean', (col) => col.notNull().defaultTo(sql`false`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('password_must_change').execute()
}
