import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * The console's language, chosen by each account with the switch in its header (README, "Console"). Null until
 * the account chooses: the console then keeps the language the login screen was shown in (the browser's).
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts')
    .addColumn('language', 'text', (col) => col.check(sql`language in ('nb', 'en')`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('accounts').dropColumn('language').execute()
}
