import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * Test tablets: a researcher tries a survey version on a real tablet before a wave uses it. A test tablet is
 * bound to one survey version (never to a wave), may not send live responses, and what it sends is kept in
 * `test_responses`, apart from everything results, releases and exports read, until deleted on demand.
 * A test response keeps no device, site or time: if a real person answered on a test tablet by mistake, the
 * anonymity rules still hold (ARCHITECTURE.md, anonymity rule 1).
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('enrolment_codes')
    .addColumn('test_survey_version_id', 'integer', (col) => col.references('survey_versions.id'))
    .execute()
  await db.schema.alterTable('devices')
    .addColumn('test_survey_version_id', 'integer', (col) => col.references('survey_versions.id'))
    .execute()
  await db.schema.createTable('test_responses')
    .addColumn('id', 'uuid', (col) => col.primaryKey())
    .addColumn('survey_version_id', 'integer', (col) => col.notNull().references('survey_versions.id'))
    .addColumn('answers', 'jsonb', (col) => col.notNull().check(sql`jsonb_typeof(answers) = 'object'`))
    .execute()
  await db.schema.createIndex('test_responses_survey_version').on('test_responses').column('survey_version_id').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('test_responses').execute()
  await db.schema.alterTable('devices').dropColumn('test_survey_version_id').execute()
  await db.schema.alterTable('enrolment_codes').dropColumn('test_survey_version_id').execute()
}
