import { sql } from 'kysely'
import type { Kysely } from 'kysely'

export async function up (db: Kysely<any>): Promise<void> {
  // Staff accounts. Respondents never have one. Site staff are bound to one site.
  await db.schema.createTable('accounts')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (col) => col.notNull().unique().check(sql`email = lower(email) and length(email) between 3 and 254`))
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('admin', 'researcher', 'site_staff', 'funder', 'auditor')`))
    .addColumn('site_id', 'uuid', (col) => col.references('sites.id'))
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('totp_secret', 'text')
    // The last TOTP time step accepted: a code is refused a second time (replay).
    .addColumn('totp_last_step', 'bigint')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('disabled_at', 'timestamptz')
    .addCheckConstraint('accounts_site_staff_have_a_site', sql`(role = 'site_staff') = (site_id is not null)`)
    .execute()

  // Kept in the database so that every API process shares them. The cookie holds a random token; only its
  // sha256 is stored, so a copy of this table does not let anyone log in.
  await db.schema.createTable('sessions')
    .addColumn('token_hash', 'text', (col) => col.primaryKey().check(sql`token_hash ~ '^[0-9a-f]{64}$'`))
    .addColumn('account_id', 'uuid', (col) => col.notNull().references('accounts.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute()
  await db.schema.createIndex('sessions_account_id').on('sessions').column('account_id').execute()

  // Failed logins, counted per account and per source to throttle guessing across API processes. The source
  // is kept only as a keyed hash and only for the throttle window.
  await db.schema.createTable('login_failures')
    .addColumn('scope', 'text', (col) => col.notNull().check(sql`scope in ('account', 'source')`))
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('attempted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('login_failures_scope_key').on('login_failures').columns(['scope', 'key', 'attempted_at']).execute()

  // Random keys that every API process must share (the login throttle's keyed hash of a source address).
  await db.schema.createTable('server_secrets')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute()

  // Who did what to which object, for staff only. Each entry's hash covers the previous entry's hash, so an
  // edited, inserted or deleted entry breaks the chain; the trigger refuses updates and deletes outright.
  await db.schema.createTable('audit_log')
    .addColumn('seq', 'bigint', (col) => col.primaryKey())
    .addColumn('at', 'timestamptz', (col) => col.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_email', 'text')
    .addColumn('actor_role', 'text')
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('detail', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('prev_hash', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull().unique())
    .execute()
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'seq']).execute()
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op;
    end
    $$`.execute(db)
  await sql`
    create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db)
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db)
}

export async function down (db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute()
  await sql`drop function audit_log_append_only()`.execute(db)
  await db.schema.dropTable('server_secrets').execute()
  await db.schema.dropTable('login_failures').execute()
  await db.schema.dropTable('sessions').execute()
  await db.schema.dropTable('accounts').execute()
}
