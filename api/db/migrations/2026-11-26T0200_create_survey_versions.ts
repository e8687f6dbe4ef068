import { sql } from 'kysely'
import type { Kysely } from 'kysely'

// Frozen in time: no imports from app code. Uses only SQL that PostgreSQL 15 and PGlite (PostgreSQL 18) both run.
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.createTable('survey_versions')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('slug', 'text', (col) => col.notNull().check(sql`slug ~ '^[a-z][a-z0-9-]*$'`))
    .addColumn('version', 'integer', (col) => col.notNull().check(sql`version > 0`))
    .addColumn('definition', 'jsonb', (col) => col.notNull())
    .addColumn('indicator_map', 'jsonb', (col) => col.notNull())
    .addColumn('checksum', 'text', (col) => col.notNull())
    .addColumn('published_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('survey_versions_slug_version_key', ['slug', 'version'])
    .execute()

  await db.schema.createTable('indicators')
    .addColumn('id', 'integer', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('indicators').execute()
  await db.schema.dropTable('survey_versions').execute()
}
