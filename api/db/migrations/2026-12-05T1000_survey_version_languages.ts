import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * Languages as data: each further language of a survey version (survey-definitions/languages.ts), beside
 * bokmål and English, which stay in the version's SurveyJS JSON. A language is a frozen part of its version of
 * its own: its words never change once stored (checksum, survey-definitions/translation-files.ts), only its
 * status may go from draft to reviewed, with who reviewed it and on which day (a date: no time of day is kept
 * near what respondents see). Other words for a stored language are a new survey version.
 *
 * Frozen in time: no imports from app code; plain SQL that PostgreSQL 15 and PGlite run.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('survey_version_languages')
    .addColumn('survey_version_id', 'integer', (col) => col.notNull().references('survey_versions.id'))
    .addColumn('code', 'text', (col) => col.notNull().check(sql`code ~ '^[a-z]{2,3}$' and code not in ('nb', 'en')`))
    .addColumn('name', 'text', (col) => col.notNull().check(sql`length(name) between 1 and 60`))
    .addColumn('direction', 'text', (col) => col.notNull().check(sql`direction in ('ltr', 'rtl')`))
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('draft', 'reviewed')`))
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_on', 'date')
    .addColumn('source', 'text', (col) => col.notNull().check(sql`source in ('nb', 'en')`))
    .addColumn('strings', 'jsonb', (col) => col.notNull().check(sql`jsonb_typeof(strings) = 'object'`))
    .addColumn('checksum', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('survey_version_languages_pkey', ['survey_version_id', 'code'])
    // A reviewed language says who reviewed it and when; a draft says neither.
    .addCheckConstraint('survey_version_languages_review', sql`(status = 'reviewed') = (reviewed_by is not null and reviewed_on is not null)
      and (reviewed_by is null) = (reviewed_on is null)`)
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_version_languages').execute()
}
