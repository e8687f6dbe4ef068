import type { Kysely } from 'kysely'
import { sql } from 'kysely'

/**
 * Releases may use the Korn–Graubard interval, and say what they did with an estimate the NCHS
 * presentation standard says not to present: withhold it, or mark it. Releases made before had no
 * flags at all, so they read as 'mark' (nothing was withheld).
 */
export async function up (db: Kysely<any>): Promise<void> {
  await sql`alter table results_releases drop constraint results_releases_method_check`.execute(db)
  await sql`alter table results_releases add constraint results_releases_method_check check (method in ('wilson', 'clopper-pearson', 'cluster', 'korn-graubard'))`.execute(db)
  await db.schema.alterTable('results_releases')
    .addColumn('unreliable', 'text', (col) => col.notNull().defaultTo('mark').check(sql`unreliable in ('withhold', 'mark')`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('results_releases').dropColumn('unreliable').execute()
  await sql`delete from results_releases where method = 'korn-graubard'`.execute(db)
  await sql`alter table results_releases drop constraint results_releases_method_check`.execute(db)
  await sql`alter table results_releases add constraint results_releases_method_check check (method in ('wilson', 'clopper-pearson', 'cluster'))`.execute(db)
}
