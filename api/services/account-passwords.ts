import type { Kysely } from 'kysely'
import { generatePassword, hashPassword, passwordMatches, passwordProblem } from '../auth/passwords.js'
import { ROLES_NEEDING_TOTP } from '../auth/roles.js'
import type { Account } from '../auth/roles.js'
import { acceptedTotpStep } from '../auth/totp.js'
import type { Database } from '../db/database.js'
import { claimTotpStep, findAccountById } from '../db/queries/accounts.js'
import { AppError } from '../errors.js'
import { recordAudit } from './audit-log.js'
import { assertNotThrottled, clearAfterSuccess, recordFailure, throttleScopes } from './login-throttle.js'
import type { ThrottleKeys } from './login-throttle.js'

export interface PasswordChange {
  currentPassword: string
  newPassword: string
  totp?: string | undefined
}

export interface ChangeClient {
  source: string
  deviceCookie?: string | undefined
  keys: ThrottleKeys
  /** The session asking: it stays, every other session of the account ends. */
  sessionTokenHash: string
}

const refused = (why: string): AppError => new AppError(403, 'password_change_refused', why)

/**
 * A staff member changes their own password: the current password and, for roles that have one, a fresh
 * second-factor code prove it is them and not someone at an unlocked screen. Wrong ones count toward the login
 * throttle, so a stolen session cannot guess the password either. The account's other sessions end.
 */
export async function changeOwnPassword (db: Kysely<Database>, account: Account, change: PasswordChange, client: ChangeClient): Promise<void> {
  const { keyed } = await throttleScopes(db, client.keys, { email: account.email, source: client.source, deviceCookie: client.deviceCookie })
  await assertNotThrottled(db, keyed)
  const row = await findAccountById(db, account.id)
  if (row === undefined) throw new AppError(404, 'not_found', 'your account was not found')
  const fail = async (reason: string, message: string): Promise<never> => {
    await recordFailure(db, keyed)
    await recordAudit(db, { actor: account, action: 'account.password_change_failed', objectType: 'account', objectId: account.id, detail: { reason } })
    throw refused(message)
  }
  if (!await passwordMatches(row.password_hash, change.currentPassword)) await fail('wrong current password', 'the current password is wrong')
  if (ROLES_NEEDING_TOTP.includes(account.role) && row.totp_secret !== null) {
    const step = change.totp === undefined ? undefined : acceptedTotpStep(row.totp_secret, account.email, change.totp)
    if (step === undefined) await fail('wrong second-factor code', 'type the current 6-digit code from your authenticator app')
    else if (!await claimTotpStep(db, account.id, step)) await fail('second-factor code used twice', 'this 6-digit code was already used; wait for the next one')
  }
  if (change.newPassword === change.currentPassword) throw new AppError(400, 'password_rejected', 'the new password is the same as the current one')
  const problem = passwordProblem(change.newPassword, account.email)
  if (problem !== undefined) throw new AppError(400, 'password_rejected', problem)
  const passwordHash = await hashPassword(change.newPassword)
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('accounts').set({ password_hash: passwordHash, password_must_change: false }).where('id', '=', account.id).execute()
    const ended = await trx.deleteFrom('sessions').where('account_id', '=', account.id).where('token_hash', '!=', client.sessionTokenHash).executeTakeFirst()
    await recordAudit(trx, { actor: account, action: 'account.password_change', objectType: 'account', objectId: account.id, detail: { otherSessionsEnded: Number(ended.numDeletedRows) } })
  })
  await clearAfterSuccess(db, keyed)
}

/**
 * An admin resets another account's password: a generated one, shown to the admin once to hand over, which
 * the person must replace at their next login before doing anything else. Every session of the account ends.
 */
export async function resetPassword (db: Kysely<Database>, id: string, actor: Account): Promise<{ generatedPassword: string }> {
  if (id === actor.id) throw new AppError(400, 'bad_request', 'change your own password with your current password instead (Account, Change password)')
  const row = await findAccountById(db, id)
  if (row === undefined) throw new AppError(404, 'not_found', `account ${id} was not found`)
  const generatedPassword = generatePassword()
  const passwordHash = await hashPassword(generatedPassword)
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('accounts').set({ password_hash: passwordHash, password_must_change: true }).where('id', '=', id).execute()
    const ended = await trx.deleteFrom('sessions').where('account_id', '=', id).executeTakeFirst()
    await recordAudit(trx, { actor, action: 'account.password_reset', objectType: 'account', objectId: id, detail: { email: row.email, sessionsEnded: Number(ended.numDeletedRows) } })
  })
  return { generatedPassword }
}
