import { sql } from 'kysely'
import type { Kysely } from 'kysely'

const POLICY = sql`('yes', 'case_by_case', 'no', 'not_checked')`

/**
 * Where to get help, as tables the console edits (until now survey-definitions/help-resources.json).
 * The JSON is imported by the app when help_resources_meta has no row (api/services/help-resources.ts), not
 * here: a migration never imports app code. The single meta row also carries the note shown under the list,
 * and its presence means "imported", so deleting every line on purpose does not bring the file back.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('help_resources_meta')
    .addColumn('id', 'smallint', (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn('note_nb', 'text', (col) => col.notNull().check(sql`length(note_nb) between 1 and 2000`))
    .addColumn('note_en', 'text', (col) => col.notNull().check(sql`length(note_en) between 1 and 2000`))
    .addColumn('imported_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema.createTable('help_lines')
    .addColumn('id', 'text', (col) => col.primaryKey().check(sql`id ~ '^[a-z0-9-]{1,100}$'`))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('phone', 'web')`))
    .addColumn('contact', 'text', (col) => col.notNull().check(sql`length(contact) between 1 and 100`))
    .addColumn('name_nb', 'text', (col) => col.notNull().check(sql`length(name_nb) between 1 and 2000`))
    .addColumn('name_en', 'text', (col) => col.notNull().check(sql`length(name_en) between 1 and 2000`))
    .addColumn('description_nb', 'text', (col) => col.notNull().check(sql`length(description_nb) between 1 and 2000`))
    .addColumn('description_en', 'text', (col) => col.notNull().check(sql`length(description_en) between 1 and 2000`))
    .addColumn('checked', 'date', (col) => col.notNull())
    .execute()

  await db.schema.createTable('crisis_centres')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (col) => col.notNull().check(sql`length(name) between 1 and 200`))
    .addColumn('county_number', 'text', (col) => col.notNull().check(sql`county_number ~ '^[0-9]{2}$'`))
    .addColumn('checked', 'date', (col) => col.notNull())
    .addColumn('policy_women', 'text', (col) => col.notNull().check(sql`policy_women in ${POLICY}`))
    .addColumn('policy_men', 'text', (col) => col.notNull().check(sql`policy_men in ${POLICY}`))
    .addColumn('source', 'text', (col) => col.notNull().check(sql`length(source) between 1 and 2000`))
    .execute()
  await db.schema.createIndex('crisis_centres_county').on('crisis_centres').columns(['county_number', 'name']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('crisis_centres').execute()
  await db.schema.dropTable('help_lines').execute()
  await db.schema.dropTable('help_resources_meta').execute()
}
