import { sql } from 'kysely'
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // A results release: the tables of one wave computed once, with their suppression pattern, and frozen.
  // Only aggregates are stored, never a response.
  await db.schema.createTable('results_releases')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('wave_id', 'uuid', (col) => col.notNull().references('waves.id'))
    // The staff account that released it (accounts are disabled, never deleted).
    .addColumn('released_by', 'uuid', (col) => col.references('accounts.id'))
    // The time of the insert, not of the transaction's start: a release that waited for another's lock comes after it.
    .addColumn('released_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`clock_timestamp()`))
    .addColumn('k', 'integer', (col) => col.notNull().check(sql`k >= 3`))
    .addColumn('method', 'text', (col) => col.notNull().check(sql`method in ('wilson', 'clopper-pearson', 'cluster')`))
    .addColumn('strata', 'text', (col) => col.check(sql`strata in ('county')`))
    .addColumn('level', 'double precision', (col) => col.notNull().check(sql`level > 0 and level < 1`))
    // Published number of respondents (null when the overall count itself is suppressed), for lists.
    .addColumn('respondents', 'integer')
    .addColumn('table_count', 'integer', (col) => col.notNull())
    // The source line under every figure and table, fixed when the release is made.
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('table_specs', 'jsonb', (col) => col.notNull())
    .addColumn('respondent_rows', 'jsonb', (col) => col.notNull())
    .addColumn('result_rows', 'jsonb', (col) => col.notNull())
    .addColumn('differences', 'jsonb', (col) => col.notNull())
    .addColumn('superseded_by', 'uuid')
    .addColumn('superseded_at', 'timestamptz')
    // A public link's token is shown once; only its sha256 is kept.
    .addColumn('public_token_hash', 'text', (col) => col.unique().check(sql`public_token_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('public_link_created_at', 'timestamptz')
    // Set in the transaction that stores the successor, before the successor's row exists: checked at commit.
    .addForeignKeyConstraint('results_releases_superseded_by_fk', ['superseded_by'], 'results_releases', ['id'],
      (fk) => fk.deferrable().initiallyDeferred())
    .addCheckConstraint('results_releases_superseded_together', sql`(superseded_by is null) = (superseded_at is null)`)
    .addCheckConstraint('results_releases_link_together', sql`(public_token_hash is null) = (public_link_created_at is null)`)
    .execute()
  // At most one current release per wave: a concurrent second release fails rather than leaving two.
  await db.schema.createIndex('results_releases_one_current').on('results_releases').column('wave_id')
    .unique().where(sql.ref('superseded_by'), 'is', null).execute()
  await db.schema.createIndex('results_releases_wave').on('results_releases').columns(['wave_id', 'released_at']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('results_releases').execute()
}
