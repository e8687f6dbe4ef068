import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * Per-tablet upload bookkeeping, kept on the device row and never on a response (anonymity rule 1):
 * the console's tablet list shows the study date of the last accepted upload and how many new responses
 * the tablet has sent, and intake's per-device rate limit counts uploads in the current minute here, in
 * the database, so that every API process shares it.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices')
    // A date only, in the study's time zone: no time of day next to anything a tablet sent.
    .addColumn('last_upload_on', 'date')
    .addColumn('upload_count', 'integer', (col) => col.notNull().defaultTo(0).check(sql`upload_count >= 0`))
    // The fixed one-minute window of the rate limit: its start and the uploads counted in it. Overwritten
    // by the next window, so it never says more than when this tablet last sent something.
    .addColumn('rate_window_start', 'timestamptz')
    .addColumn('rate_window_uploads', 'integer', (col) => col.notNull().defaultTo(0).check(sql`rate_window_uploads >= 0`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices')
    .dropColumn('rate_window_uploads')
    .dropColumn('rate_window_start')
    .dropColumn('upload_count')
    .dropColumn('last_upload_on')
    .execute()
}
