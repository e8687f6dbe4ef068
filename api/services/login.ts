import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { hashPassword, needsRehash, passwordMatches } from '../auth/passwords.js'
import { ROLES_NEEDING_TOTP } from '../auth/roles.js'
import type { Account } from '../auth/roles.js'
import { SESSION_ABSOLUTE_HOURS } from '../auth/session-cookie.js'
import { acceptedTotpStep } from '../auth/totp.js'
import type { ConsoleLanguage, Database } from '../db/database.js'
import { claimTotpStep, findAccountByEmail, replacePasswordHash } from '../db/queries/accounts.js'
import { deleteSession, insertSession } from '../db/queries/sessions.js'
import { AppError } from '../errors.js'
import { recordAudit } from './audit-log.js'
import { toAccount } from './accounts.js'
import { assertNotThrottled, clearAfterSuccess, newDeviceCookie, recordFailure, throttleScopes } from './login-throttle.js'
import type { ThrottleKeys } from './login-throttle.js'

export interface LoginAttempt {
  email: string
  password: string
  totp?: string
  /** The client's address; only a keyed hash of it is kept, and only for the throttle window. */
  source: string
  /** The browser's device cookie, if it has one (see login-throttle.ts). */
  deviceCookie?: string | undefined
}

export interface NewSession {
  account: Account
  /** The cookie's value: random, 256 bits; the database holds only its sha256. */
  token: string
  csrfToken: string
  /** A device cookie for this account, when the browser did not present a trusted one. */
  deviceCookie?: string
  /** An admin reset the password: the session may only choose a new one. */
  mustChangePassword: boolean
  /** The console's language the account chose, null until it chooses. */
  language: ConsoleLanguage | null
}

// Verified against when the account does not exist, so that the answer takes as long either way.
const decoyHash = hashPassword(randomBytes(16).toString('hex'))

const refused = new AppError(401, 'login_failed', 'the e-mail address or the password is wrong')

export function sessionTokenHash (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * Checks a login and opens a new session (a fresh token at every login, so a session id planted before login is
 * worthless). Every refusal is recorded for the throttle and in the audit log; the answer does not say whether
 * the address has an account.
 */
export async function logIn (db: Kysely<Database>, attempt: LoginAttempt, keys: ThrottleKeys): Promise<NewSession> {
  const email = attempt.email.trim().toLowerCase()
  const { keyed, trustedDevice } = await throttleScopes(db, keys, { email, source: attempt.source, deviceCookie: attempt.deviceCookie })
  await assertNotThrottled(db, keyed)

  const row = await findAccountByEmail(db, email)
  const matches = await passwordMatches(row?.password_hash ?? await decoyHash, attempt.password)
  if (row === undefined || !matches || row.disabled_at !== null) {
    await fail(db, keyed, row === undefined ? null : toAccount(row), row === undefined ? 'unknown account' : row.disabled_at !== null ? 'account disabled' : 'wrong password')
    throw refused
  }
  const account = toAccount(row)
  if (ROLES_NEEDING_TOTP.includes(account.role)) {
    if (row.totp_secret === null) throw new AppError(403, 'totp_required', 'this account needs a second factor but has none set up; ask an admin')
    if (attempt.totp === undefined || attempt.totp === '') throw new AppError(401, 'totp_required', 'type the 6-digit code from your authenticator app')
    const step = acceptedTotpStep(row.totp_secret, email, attempt.totp)
    if (step === undefined || !await claimTotpStep(db, account.id, step)) {
      await fail(db, keyed, account, step === undefined ? 'wrong second-factor code' : 'second-factor code used twice')
      throw new AppError(401, 'login_failed', 'the 6-digit code is wrong or was already used; wait for the next one')
    }
  }
  if (needsRehash(row.password_hash)) await replacePasswordHash(db, account.id, await hashPassword(attempt.password))
  await clearAfterSuccess(db, keyed)

  const session: NewSession = {
    account,
    token: randomBytes(32).toString('base64url'),
    csrfToken: randomBytes(24).toString('base64url'),
    mustChangePassword: row.password_must_change,
    language: row.language,
    ...(trustedDevice ? {} : { deviceCookie: newDeviceCookie(keys, email) }),
  }
  await db.transaction().execute(async (trx) => {
    await insertSession(trx, {
      tokenHash: sessionTokenHash(session.token),
      accountId: account.id,
      csrfToken: session.csrfToken,
      expiresAt: new Date(Date.now() + SESSION_ABSOLUTE_HOURS * 3_600_000),
    })
    await recordAudit(trx, { actor: account, action: 'session.login', objectType: 'account', objectId: account.id })
  })
  return session
}

async function fail (db: Kysely<Database>, keyed: Parameters<typeof recordFailure>[1], account: Account | null, reason: string): Promise<void> {
  await recordFailure(db, keyed)
  // The typed address is kept only when it is an account's: a password typed into the wrong field stays out.
  await recordAudit(db, {
    actor: null,
    action: 'session.login_failed',
    ...(account === null ? {} : { objectType: 'account', objectId: account.id }),
    detail: account === null ? { reason } : { reason, email: account.email },
  })
}

/** Ends the session whose cookie holds `token` (a no-op when there is none). */
export async function endSession (db: Kysely<Database>, token: string): Promise<void> {
  await deleteSession(db, sessionTokenHash(token))
}

/** Logging out: ends the session and records it. */
export async function logOut (db: Kysely<Database>, account: Account, token: string): Promise<void> {
  await endSession(db, token)
  await recordAudit(db, { actor: account, action: 'session.logout', objectType: 'account', objectId: account.id })
}
