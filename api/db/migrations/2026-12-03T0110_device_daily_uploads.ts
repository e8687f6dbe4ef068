import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * A stolen tablet's token contained: intake counts the new responses each tablet sent on the study day of its
 * latest upload (`last_upload_on`), so a daily cap no real site reaches stops a flood of fake responses. On the
 * device row, like the other counters, never on a response.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices')
    .addColumn('day_uploads', 'integer', (col) => col.notNull().defaultTo(0).check(sql`day_uploads >= 0`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices').dropColumn('day_uploads').execute()
}
