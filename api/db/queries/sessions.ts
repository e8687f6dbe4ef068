import { sql } from 'kysely'
import type { Kysely, Transaction } from 'kysely'
import type { Account, Role } from '../../auth/roles.js'
import type { ConsoleLanguage, Database } from '../database.js'

export interface SessionLookup {
  account: Account
  csrfToken: string
  /** Past the idle or absolute limit: the caller deletes the session and answers 401. */
  expired: boolean
  /** Seen more than a minute ago: the caller records the visit (so an active session does not idle out). */
  stale: boolean
  /** An admin reset the password: the session may only choose a new one. */
  mustChangePassword: boolean
  /** The console's language the account chose, null until it chooses. */
  language: ConsoleLanguage | null
}

export async function insertSession (db: Kysely<Database> | Transaction<Database>, session: { tokenHash: string, accountId: string, csrfToken: string, expiresAt: Date }): Promise<void> {
  await db.insertInto('sessions').values({
    token_hash: session.tokenHash,
    account_id: session.accountId,
    csrf_token: session.csrfToken,
    expires_at: session.expiresAt,
  }).execute()
}

/** The live account behind a session token hash; a disabled account has no session. */
export async function findSession (db: Kysely<Database>, tokenHash: string, idleMinutes: number): Promise<SessionLookup | undefined> {
  const row = await db.selectFrom('sessions')
    .innerJoin('accounts', 'accounts.id', 'sessions.account_id')
    .select(['accounts.id', 'accounts.email', 'accounts.role', 'accounts.site_id', 'accounts.password_must_change', 'accounts.language', 'sessions.csrf_token'])
    .select(sql<boolean>`sessions.expires_at <= now() or sessions.last_seen_at <= now() - make_interval(mins => ${idleMinutes})`.as('expired'))
    .select(sql<boolean>`sessions.last_seen_at <= now() - interval '1 minute'`.as('stale'))
    .where('sessions.token_hash', '=', tokenHash)
    .where('accounts.disabled_at', 'is', null)
    .executeTakeFirst()
  if (row === undefined) return undefined
  return {
    account: { id: row.id, email: row.email, role: row.role as Role, siteId: row.site_id },
    csrfToken: row.csrf_token,
    expired: row.expired,
    stale: row.stale,
    mustChangePassword: row.password_must_change,
    language: row.language,
  }
}

export async function touchSession (db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: sql<Date>`now()` }).where('token_hash', '=', tokenHash).execute()
}

export async function deleteSession (db: Kysely<Database>, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
}

/** Every session of an account ends when its role changes or it is disabled. */
export async function deleteSessionsOf (db: Kysely<Database> | Transaction<Database>, accountId: string): Promise<void> {
  await db.deleteFrom('sessions').where('account_id', '=', accountId).execute()
}
