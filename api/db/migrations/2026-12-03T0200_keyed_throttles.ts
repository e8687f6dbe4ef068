import { sql } from 'kysely'
import type { Kysely } from 'kysely'

/**
 * Throttles that an attacker cannot turn against users: failed logins are counted per (account, address)
 * pair, per address, per account (only for clients not known to the account) and per known-device cookie;
 * failed enrolment codes per address and per code prefix instead of across the whole service. Every key is a
 * keyed hash (64 hex characters, enforced here), so neither table ever holds a typed e-mail address or an
 * address in clear; the rows written before held e-mail addresses in clear and are dropped.
 */
export async function up (db: Kysely<any>): Promise<void> {
  await sql`delete from login_failures`.execute(db)
  await sql`alter table login_failures drop constraint login_failures_scope_check`.execute(db)
  await sql`alter table login_failures add constraint login_failures_scope_check check (scope in ('pair', 'source', 'account', 'device'))`.execute(db)
  await sql`alter table login_failures add constraint login_failures_key_is_a_hash check (key ~ '^[0-9a-f]{64}$')`.execute(db)

  await sql`delete from enrolment_failures`.execute(db)
  await db.schema.alterTable('enrolment_failures')
    .addColumn('scope', 'text', (col) => col.notNull().check(sql`scope in ('source', 'prefix')`))
    .execute()
  await db.schema.alterTable('enrolment_failures')
    .addColumn('key', 'text', (col) => col.notNull().check(sql`key ~ '^[0-9a-f]{64}$'`))
    .execute()
  await db.schema.createIndex('enrolment_failures_scope_key').on('enrolment_failures').columns(['scope', 'key', 'attempted_at']).execute()
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enrolment_failures_scope_key').execute()
  await db.schema.alterTable('enrolment_failures').dropColumn('key').execute()
  await db.schema.alterTable('enrolment_failures').dropColumn('scope').execute()
  await sql`delete from login_failures`.execute(db)
  await sql`alter table login_failures drop constraint login_failures_key_is_a_hash`.execute(db)
  await sql`alter table login_failures drop constraint login_failures_scope_check`.execute(db)
  await sql`alter table login_failures add constraint login_failures_scope_check check (scope in ('account', 'source'))`.execute(db)
}
