import type { Kysely } from 'kysely'

/**
 * The audit of a release's disclosure control (the interval an attacker can prove for every
 * suppressed count), stored with the release it vouches for; null for releases made before it.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('results_releases').addColumn('disclosure_audit', 'jsonb').execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('results_releases').dropColumn('disclosure_audit').execute()
}
