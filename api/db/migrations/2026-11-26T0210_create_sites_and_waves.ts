import { sql } from 'kysely'
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sites')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (col) => col.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('municipal_low_threshold', 'specialist_treatment', 'housing', 'street_outreach', 'other')`))
    .addColumn('municipality_number', 'text', (col) => col.notNull().check(sql`municipality_number ~ '^[0-9]{4}$'`))
    .addColumn('county_number', 'text', (col) => col.notNull().check(sql`county_number ~ '^[0-9]{2}$'`))
    .addColumn('centrality', 'smallint', (col) => col.notNull().check(sql`centrality between 1 and 6`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema.createTable('waves')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (col) => col.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('survey_version_id', 'integer', (col) => col.notNull().references('survey_versions.id'))
    .addColumn('opens_on', 'date', (col) => col.notNull())
    .addColumn('closes_on', 'date', (col) => col.notNull())
    .addColumn('grace_days', 'integer', (col) => col.notNull().defaultTo(14).check(sql`grace_days between 0 and 365`))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('planned').check(sql`status in ('planned', 'open', 'closed')`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('waves_dates_in_order', sql`closes_on >= opens_on`)
    .execute()

  await db.schema.createTable('wave_sites')
    .addColumn('wave_id', 'uuid', (col) => col.notNull().references('waves.id').onDelete('cascade'))
    .addColumn('site_id', 'uuid', (col) => col.notNull().references('sites.id'))
    .addColumn('target_responses', 'integer', (col) => col.check(sql`target_responses > 0`))
    .addPrimaryKeyConstraint('wave_sites_pkey', ['wave_id', 'site_id'])
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wave_sites').execute()
  await db.schema.dropTable('waves').execute()
  await db.schema.dropTable('sites').execute()
}
