import { sql } from 'kysely'
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // One-time codes that let site staff enrol a tablet; the code itself is never stored, only its sha256.
  await db.schema.createTable('enrolment_codes')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('site_id', 'uuid', (col) => col.notNull().references('sites.id'))
    .addColumn('code_hash', 'text', (col) => col.notNull().unique().check(sql`code_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('label', 'text', (col) => col.check(sql`length(label) between 1 and 100`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('device_id', 'uuid', (col) => col.references('devices.id'))
    .addCheckConstraint('enrolment_codes_used_with_device', sql`(used_at is null) = (device_id is null)`)
    .execute()
  // Failed enrolment attempts, counted to throttle guessing across every API process. Nothing about the
  // client is kept (no address): the throttle is global, which is enough for a handful of tablets a day.
  await db.schema.createTable('enrolment_failures')
    .addColumn('attempted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('enrolment_failures_attempted_at').on('enrolment_failures').column('attempted_at').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('enrolment_failures').execute()
  await db.schema.dropTable('enrolment_codes').execute()
}
