import type { Kysely, Transaction } from 'kysely'
import type { Role } from '../../auth/roles.js'
import type { AccountRow, ConsoleLanguage, Database } from '../database.js'

export interface NewAccount {
  email: string
  role: Role
  siteId: string | null
  passwordHash: string
  totpSecret: string | null
}

export async function insertAccount (db: Kysely<Database> | Transaction<Database>, account: NewAccount): Promise<AccountRow> {
  return await db.insertInto('accounts').values({
    email: account.email,
    role: account.role,
    site_id: account.siteId,
    password_hash: account.passwordHash,
    totp_secret: account.totpSecret,
    totp_last_step: null,
    disabled_at: null,
  }).returningAll().executeTakeFirstOrThrow()
}

export async function findAccountByEmail (db: Kysely<Database>, email: string): Promise<AccountRow | undefined> {
  return await db.selectFrom('accounts').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst()
}

export async function findAccountById (db: Kysely<Database> | Transaction<Database>, id: string): Promise<AccountRow | undefined> {
  return await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function listAccounts (db: Kysely<Database>): Promise<AccountRow[]> {
  return await db.selectFrom('accounts').selectAll().orderBy('email').execute()
}

export async function replacePasswordHash (db: Kysely<Database>, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('accounts').set({ password_hash: passwordHash }).where('id', '=', id).execute()
}

/**
 * Records a TOTP step as used, only if it is later than the last one used: false means the code was already
 * used (a replay, or two logins racing with one code).
 */
/** The console's language of one account (its own choice; see the session routes). */
export async function setAccountLanguage (trx: Transaction<Database>, id: string, language: ConsoleLanguage): Promise<void> {
  await trx.updateTable('accounts').set({ language }).where('id', '=', id).execute()
}

export async function claimTotpStep (db: Kysely<Database>, id: string, step: number): Promise<boolean> {
  const result = await db.updateTable('accounts').set({ totp_last_step: step })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

export interface AccountChange {
  role?: Role
  siteId?: string | null
  disabled?: boolean
}

export async function updateAccount (trx: Transaction<Database>, id: string, change: AccountChange): Promise<AccountRow | undefined> {
  return await trx.updateTable('accounts').set({
    ...(change.role === undefined ? {} : { role: change.role }),
    ...(change.siteId === undefined ? {} : { site_id: change.siteId }),
    ...(change.disabled === undefined ? {} : { disabled_at: change.disabled ? new Date() : null }),
  }).where('id', '=', id).returningAll().executeTakeFirst()
}
