import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * What the console needs to point at a tablet whose uploads look made up, kept on the device row like the other
 * counters and never on a response: how many of its responses gave only "prefer not to say"-type answers, how many
 * repeated its previous response exactly, and an 8-bit tag of its latest answers to compare the next one with.
 * The tag is an HMAC under the holding key (outside the database), cut to 8 bits: equal answers give equal tags,
 * and even the key's holder learns from it only that the latest answers are among 1 in 256 of the responses.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices')
    .addColumn('prefer_not_only_uploads', 'integer', (col) => col.notNull().defaultTo(0).check(sql`prefer_not_only_uploads >= 0`))
    .addColumn('repeated_uploads', 'integer', (col) => col.notNull().defaultTo(0).check(sql`repeated_uploads >= 0`))
    .addColumn('last_answers_tag', 'smallint', (col) => col.check(sql`last_answers_tag between 0 and 255`))
    .execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('devices')
    .dropColumn('last_answers_tag')
    .dropColumn('repeated_uploads')
    .dropColumn('prefer_not_only_uploads')
    .execute()
}
