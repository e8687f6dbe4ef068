import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { passwordMatches } from '../../api/auth/passwords.js'
import { currentTotp } from '../../api/auth/totp.js'
import { LOGIN_THROTTLE } from '../../api/services/login-throttle.js'
import { TEST_PASSWORD, createTestAccount, logInWith, loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries } from '../helpers/console-roles.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const NEW_PASSWORD = 'lantern orchard quietly 42 rivers'

describe('changing and resetting passwords', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let admin: TestSession

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    admin = await loginAs(app, database.db, 'admin')
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })
  beforeEach(async () => { await database.db.deleteFrom('login_failures').execute() })

  const change = (session: TestSession, body: Record<string, string>): Promise<LightMyRequestResponse> =>
    app.inject({ method: 'POST', url: '/api/session/password', headers: session.headers, payload: body })
  const me = (session: TestSession): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url: '/api/session', headers: session.headers })
  const hashOf = async (id: string): Promise<string> =>
    (await database.db.selectFrom('accounts').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash

  it('lets a staff member change their own password with the current one, ends their other sessions, and audits it', async () => {
    const { email, account } = await createTestAccount(database.db, 'funder')
    const here = await logInWith(app, email, TEST_PASSWORD)
    const elsewhere = await logInWith(app, email, TEST_PASSWORD)

    const wrong = await change(here, { currentPassword: 'not my password 1', newPassword: NEW_PASSWORD })
    expect([wrong.statusCode, wrong.json().code]).toEqual([403, 'password_change_refused'])
    const weak = await change(here, { currentPassword: TEST_PASSWORD, newPassword: 'Password1234!' })
    expect([weak.statusCode, weak.json().code, weak.json().message]).toEqual([400, 'password_rejected', expect.stringMatching(/too easy to guess/)])
    const same = await change(here, { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD })
    expect(same.statusCode).toBe(400)
    expect(await passwordMatches(await hashOf(account.id), TEST_PASSWORD)).toBe(true)

    expect((await change(here, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })).statusCode).toBe(204)
    expect((await me(here)).statusCode).toBe(200)
    expect((await me(elsewhere)).statusCode).toBe(401)
    await expect(logInWith(app, email, TEST_PASSWORD)).rejects.toThrow(/401/)
    expect((await logInWith(app, email, NEW_PASSWORD)).account.id).toBe(account.id)
    const audit = await auditEntries(database.db, 'account.password_change', account.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_id: account.id, detail: { otherSessionsEnded: 1 } })
    expect(JSON.stringify(audit)).not.toContain(NEW_PASSWORD)
    expect(await auditEntries(database.db, 'account.password_change_failed', account.id)).toHaveLength(1)
  })

  it('asks an account with a second factor for a fresh code as well', async () => {
    const { email, totpSecret, account } = await createTestAccount(database.db, 'researcher')
    const session = await logInWith(app, email, TEST_PASSWORD, totpSecret)
    expect((await change(session, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })).json().code).toBe('password_change_refused')
    // The login's code is spent; the next step's code is fresh.
    const reused = await change(session, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, totp: currentTotp(totpSecret!, email) })
    expect(reused.json().message).toMatch(/already used/)
    const fresh = await change(session, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD, totp: currentTotp(totpSecret!, email, Date.now() + 30_000) })
    expect(fresh.statusCode, fresh.body).toBe(204)
    expect(await passwordMatches(await hashOf(account.id), NEW_PASSWORD)).toBe(true)
  })

  it('counts wrong current passwords toward the login throttle, so a stolen session cannot guess the password', async () => {
    const { email } = await createTestAccount(database.db, 'funder')
    const session = await logInWith(app, email, TEST_PASSWORD)
    for (let i = 0; i < LOGIN_THROTTLE.pair.freeFailures; i += 1) {
      expect((await change(session, { currentPassword: `guess number ${i}`, newPassword: NEW_PASSWORD })).statusCode).toBe(403)
    }
    const slowed = await change(session, { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD })
    expect([slowed.statusCode, slowed.json().code]).toEqual([429, 'rate_limited'])
  })

  it('lets an admin reset a password: shown once, every session ends, and the next login may only choose a new one', async () => {
    const { email, account } = await createTestAccount(database.db, 'funder')
    const before = await logInWith(app, email, TEST_PASSWORD)
    const notAdmin = await loginAs(app, database.db, 'researcher')
    expect((await app.inject({ method: 'POST', url: `/api/accounts/${account.id}/password-reset`, headers: notAdmin.headers })).statusCode).toBe(403)

    const reset = await app.inject({ method: 'POST', url: `/api/accounts/${account.id}/password-reset`, headers: admin.headers })
    expect(reset.statusCode).toBe(200)
    const { generatedPassword } = reset.json<{ generatedPassword: string }>()
    expect(generatedPassword.length).toBeGreaterThanOrEqual(20)
    expect((await me(before)).statusCode).toBe(401)
    const audit = await auditEntries(database.db, 'account.password_reset', account.id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_id: admin.account.id, detail: { sessionsEnded: 1 } })
    expect(JSON.stringify(audit)).not.toContain(generatedPassword)
    const listed = (await app.inject({ method: 'GET', url: '/api/accounts', headers: admin.headers })).json<{ accounts: Array<{ id: string, mustChangePassword: boolean }> }>()
    expect(listed.accounts.find((item) => item.id === account.id)?.mustChangePassword).toBe(true)

    const forced = await logInWith(app, email, generatedPassword)
    expect((await me(forced)).json()).toMatchObject({ mustChangePassword: true })
    const blocked = await app.inject({ method: 'GET', url: '/api/releases', headers: forced.headers })
    expect([blocked.statusCode, blocked.json().code]).toEqual([403, 'password_change_required'])
    expect((await change(forced, { currentPassword: generatedPassword, newPassword: NEW_PASSWORD })).statusCode).toBe(204)
    expect((await me(forced)).json()).toMatchObject({ mustChangePassword: false })
    expect((await app.inject({ method: 'GET', url: '/api/releases', headers: forced.headers })).statusCode).toBe(200)
  })

  it('refuses an admin resetting their own password (they change it with the current one) and an unknown account', async () => {
    const own = await app.inject({ method: 'POST', url: `/api/accounts/${admin.account.id}/password-reset`, headers: admin.headers })
    expect(own.statusCode).toBe(400)
    const unknown = await app.inject({ method: 'POST', url: '/api/accounts/00000000-0000-4000-8000-000000000000/password-reset', headers: admin.headers })
    expect(unknown.statusCode).toBe(404)
  })
})
