import type { Kysely, Transaction } from 'kysely'
import { generatePassword, hashPassword, passwordProblem } from '../auth/passwords.js'
import { ROLES, ROLES_NEEDING_TOTP } from '../auth/roles.js'
import type { Account, Role } from '../auth/roles.js'
import { newTotpSecret, totpUri } from '../auth/totp.js'
import type { AccountRow, ConsoleLanguage, Database } from '../db/database.js'
import { findAccountByEmail, findAccountById, insertAccount, listAccounts, setAccountLanguage, updateAccount } from '../db/queries/accounts.js'
import type { AccountChange } from '../db/queries/accounts.js'
import { deleteSessionsOf } from '../db/queries/sessions.js'
import { AppError } from '../errors.js'
import type { AccountListReply } from '../schemas/accounts.js'
import { recordAudit } from './audit-log.js'

export interface AccountRequest {
  email: string
  role: Role
  /** Required for site staff (their site), refused for every other role. */
  siteId?: string | null
  /** Generated (and shown once) when not given. */
  password?: string
}

export interface CreatedAccount {
  account: Account
  /** Set when the password was generated: shown to whoever created the account, once, never stored in clear. */
  generatedPassword?: string
  /** Set for roles that need a second factor: the secret and the URI an authenticator app takes. */
  totp?: { secret: string, uri: string }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export function toAccount (row: Pick<AccountRow, 'id' | 'email' | 'role' | 'site_id'>): Account {
  return { id: row.id, email: row.email, role: row.role, siteId: row.site_id }
}

/** Every account as the admin's list shows it: never a password hash or a second-factor secret. */
export async function listAccountReplies (db: Kysely<Database>): Promise<AccountListReply> {
  return {
    accounts: (await listAccounts(db)).map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role,
      siteId: row.site_id,
      hasSecondFactor: row.totp_secret !== null,
      disabled: row.disabled_at !== null,
      mustChangePassword: row.password_must_change,
      createdAt: row.created_at.toISOString(),
    })),
  }
}

/** Checks the request, hashes the password and stores the account with its audit entry, all or nothing. */
export async function createAccount (db: Kysely<Database>, request: AccountRequest, actor: Account | null): Promise<CreatedAccount> {
  const email = request.email.trim().toLowerCase()
  if (!EMAIL.test(email) || email.length > 254) throw new AppError(400, 'bad_request', `"${request.email}" is not an e-mail address`)
  if (!ROLES.includes(request.role)) throw new AppError(400, 'bad_request', `unknown role "${String(request.role)}": use one of ${ROLES.join(', ')}`)
  const siteId = request.siteId ?? null
  if (request.role === 'site_staff' && siteId === null) throw new AppError(400, 'bad_request', 'a site staff account needs the site it works for (siteId)')
  if (request.role !== 'site_staff' && siteId !== null) throw new AppError(400, 'bad_request', `only site staff are bound to a site; a ${request.role} account takes no siteId`)
  if (siteId !== null && await db.selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst() === undefined) {
    throw new AppError(400, 'bad_request', `site ${siteId} does not exist`)
  }
  const password = request.password ?? generatePassword()
  const problem = passwordProblem(password, email)
  if (problem !== undefined) throw new AppError(400, 'password_rejected', problem)
  if (await findAccountByEmail(db, email) !== undefined) throw new AppError(409, 'account_exists', `an account for ${email} already exists`)

  const totpSecret = ROLES_NEEDING_TOTP.includes(request.role) ? newTotpSecret() : null
  const passwordHash = await hashPassword(password)
  const insert = async (trx: Transaction<Database>): Promise<AccountRow> => {
    const inserted = await insertAccount(trx, { email, role: request.role, siteId, passwordHash, totpSecret })
    await recordAudit(trx, { actor, action: 'account.create', objectType: 'account', objectId: inserted.id, detail: { email, role: request.role, siteId } })
    return inserted
  }
  // In the caller's transaction when given one (the demo seeding writes everything in one).
  const row = db.isTransaction ? await insert(db as Transaction<Database>) : await db.transaction().execute(insert)
  return {
    account: toAccount(row),
    ...(request.password === undefined ? { generatedPassword: password } : {}),
    ...(totpSecret === null ? {} : { totp: { secret: totpSecret, uri: totpUri(totpSecret, email) } }),
  }
}

/** Changes an account's role, site or state with its audit entry; every session of that account ends. */
export async function changeAccount (db: Kysely<Database>, id: string, change: AccountChange, actor: Account): Promise<Account> {
  const current = await findAccountById(db, id)
  if (current === undefined) throw new AppError(404, 'not_found', `account ${id} was not found`)
  const role = change.role ?? current.role
  const siteId = change.siteId !== undefined ? change.siteId : (change.role !== undefined && change.role !== 'site_staff' ? null : current.site_id)
  if (role === 'site_staff' && siteId === null) throw new AppError(400, 'bad_request', 'a site staff account needs the site it works for (siteId)')
  if (role !== 'site_staff' && siteId !== null) throw new AppError(400, 'bad_request', `only site staff are bound to a site; a ${role} account takes no siteId`)
  if (id === actor.id && (change.disabled === true || (change.role !== undefined && change.role !== 'admin'))) {
    throw new AppError(400, 'bad_request', 'an admin cannot disable their own account or take away their own admin role; ask another admin')
  }
  if (ROLES_NEEDING_TOTP.includes(role) && current.totp_secret === null) {
    throw new AppError(400, 'bad_request', `a ${role} account needs a second factor; create a new account for this person instead`)
  }
  return await db.transaction().execute(async (trx) => {
    const updated = await updateAccount(trx, id, { role, siteId, ...(change.disabled === undefined ? {} : { disabled: change.disabled }) })
    if (updated === undefined) throw new AppError(404, 'not_found', `account ${id} was not found`)
    await deleteSessionsOf(trx, id)
    const action = change.disabled === true ? 'account.disable' : change.disabled === false ? 'account.enable' : 'account.role_change'
    await recordAudit(trx, { actor, action, objectType: 'account', objectId: id, detail: { from: { role: current.role, siteId: current.site_id }, to: { role, siteId } } })
    return toAccount(updated)
  })
}

/** An account chooses the console's language for itself; every later session (on any browser) opens in it. */
export async function setOwnLanguage (db: Kysely<Database>, account: Account, language: ConsoleLanguage): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await setAccountLanguage(trx, account.id, language)
    await recordAudit(trx, { actor: account, action: 'account.language', objectType: 'account', objectId: account.id, detail: { language } })
  })
}
