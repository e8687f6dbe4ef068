import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import type { Account, Role } from '../../api/auth/roles.js'
import { CSRF_HEADER, SESSION_COOKIE } from '../../api/auth/session-cookie.js'
import { currentTotp } from '../../api/auth/totp.js'
import type { Database } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { createAccount } from '../../api/services/accounts.js'
import { siteFixture } from './fixtures.js'

/** A password that passes the rules; every test account has it. */
export const TEST_PASSWORD = 'correct horse battery staple 7'

export interface TestSession {
  account: Account
  cookie: string
  csrfToken: string
  /** Spread into app.inject: the session cookie and the CSRF header. */
  headers: Record<string, string>
  /** The TOTP secret, for roles that have one. */
  totpSecret?: string
}

let accountCounter = 0

/** A fresh account of this role (site staff get a site of their own unless one is given), created and logged in through the real routes. */
export async function createTestAccount (db: Kysely<Database>, role: Role, options: { siteId?: string, email?: string } = {}): Promise<{ email: string, totpSecret?: string, account: Account }> {
  accountCounter += 1
  const email = options.email ?? `${role.replace('_', '-')}-${accountCounter}-${randomBytes(3).toString('hex')}@example.org`
  const siteId = role === 'site_staff' ? options.siteId ?? (await createSite(db, siteFixture())).id : null
  const created = await createAccount(db, { email, role, siteId, password: TEST_PASSWORD }, null)
  return { email, account: created.account, ...(created.totp === undefined ? {} : { totpSecret: created.totp.secret }) }
}

export async function loginAs (app: FastifyInstance, db: Kysely<Database>, role: Role, options: { siteId?: string } = {}): Promise<TestSession> {
  const { email, totpSecret } = await createTestAccount(db, role, options)
  return await logInWith(app, email, TEST_PASSWORD, totpSecret)
}

export async function logInWith (app: FastifyInstance, email: string, password: string, totpSecret?: string): Promise<TestSession> {
  const reply = await app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { email, password, ...(totpSecret === undefined ? {} : { totp: currentTotp(totpSecret, email) }) },
  })
  if (reply.statusCode !== 200) throw new Error(`login as ${email} failed: ${reply.statusCode} ${reply.body}`)
  const cookie = reply.cookies.find((c) => c.name === SESSION_COOKIE)?.value
  if (cookie === undefined) throw new Error('login set no session cookie')
  const body = reply.json<{ account: Account, csrfToken: string }>()
  return {
    account: body.account,
    cookie,
    csrfToken: body.csrfToken,
    headers: { cookie: `${SESSION_COOKIE}=${cookie}`, [CSRF_HEADER]: body.csrfToken },
    ...(totpSecret === undefined ? {} : { totpSecret }),
  }
}
