import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * A release's result rows are stored in a format of their own with a version number
 * (api/db/release-rows.ts), so that the API's reply can change without rewriting frozen releases. The
 * rows stored until now are format 1 as they are. The default is dropped again: every insert names the
 * format it writes.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('results_releases')
    .addColumn('result_rows_format', 'smallint', (col) => col.notNull().defaultTo(1).check(sql`result_rows_format > 0`))
    .execute()
  await sql`alter table results_releases alter column result_rows_format drop default`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('results_releases').dropColumn('result_rows_format').execute()
}
