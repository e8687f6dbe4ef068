import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_PASSWORD, createTestAccount, logInWith, loginAs } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/** The console's language is the account's own choice (README, "Console"), and the study's time zone comes with the session. */
describe("an account's console language and the study time zone in the session reply", () => {
  let database: TestDatabase
  let app: FastifyInstance

  beforeAll(async () => {
    database = await openTestDatabase()
    // A zone other than the default, so the reply is shown to carry the configured one.
    ;({ app } = await buildTestApp(database, { STUDY_TIME_ZONE: 'America/Sao_Paulo' }))
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })

  const me = async (headers: Record<string, string>) => await app.inject({ method: 'GET', url: '/api/session', headers })
  const choose = async (headers: Record<string, string>, payload: unknown) =>
    await app.inject({ method: 'PUT', url: '/api/session/language', headers, payload: payload as Record<string, string> })

  it('has no language until the account chooses one, and carries the study time zone at login and after', async () => {
    const { email } = await createTestAccount(database.db, 'auditor')
    const login = await app.inject({ method: 'POST', url: '/api/session', payload: { email, password: TEST_PASSWORD } })
    expect(login.json()).toMatchObject({ language: null, studyTimeZone: 'America/Sao_Paulo' })
    const session = await logInWith(app, email, TEST_PASSWORD)
    expect((await me(session.headers)).json()).toMatchObject({ language: null, studyTimeZone: 'America/Sao_Paulo' })
  })

  it("keeps the chosen language with the account: the session, a new login and no other account's", async () => {
    const researcher = await loginAs(app, database.db, 'researcher')
    const other = await loginAs(app, database.db, 'researcher')
    const chosen = await choose(researcher.headers, { language: 'en' })
    expect(chosen.statusCode, chosen.body).toBe(204)
    expect((await me(researcher.headers)).json().language).toBe('en')
    expect((await me(other.headers)).json().language).toBeNull()
    const stored = await database.db.selectFrom('accounts').select('language').where('id', '=', researcher.account.id).executeTakeFirstOrThrow()
    expect(stored.language).toBe('en')
    expect((await choose(researcher.headers, { language: 'nb' })).statusCode).toBe(204)
    expect((await me(researcher.headers)).json().language).toBe('nb')
    const audit = await database.db.selectFrom('audit_log').select(['action', 'detail']).where('object_id', '=', researcher.account.id)
      .where('action', '=', 'account.language').orderBy('seq').execute()
    expect(audit.map((row) => row.detail)).toEqual([{ language: 'en' }, { language: 'nb' }])
  })

  it('a new login of an account that chose opens in its language', async () => {
    const { email } = await createTestAccount(database.db, 'funder')
    const first = await logInWith(app, email, TEST_PASSWORD)
    expect((await choose(first.headers, { language: 'en' })).statusCode).toBe(204)
    const second = await app.inject({ method: 'POST', url: '/api/session', payload: { email, password: TEST_PASSWORD } })
    expect([second.statusCode, second.json().language]).toEqual([200, 'en'])
  })

  it('refuses a language the console does not have, or a missing CSRF token, and changes nothing', async () => {
    const funder = await loginAs(app, database.db, 'funder')
    const unknown = await choose(funder.headers, { language: 'de' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().message).toMatch(/language/)
    expect((await choose(funder.headers, {})).statusCode).toBe(400)
    const withoutToken = await app.inject({ method: 'PUT', url: '/api/session/language', headers: { cookie: funder.headers.cookie! }, payload: { language: 'en' } })
    expect([withoutToken.statusCode, withoutToken.json().code]).toEqual([403, 'csrf_failed'])
    expect((await me(funder.headers)).json().language).toBeNull()
  })

  it('lets a session that must change its password still choose its language', async () => {
    const admin = await loginAs(app, database.db, 'admin')
    const { email, account } = await createTestAccount(database.db, 'site_staff')
    const reset = await app.inject({ method: 'POST', url: `/api/accounts/${account.id}/password-reset`, headers: admin.headers })
    const staff = await logInWith(app, email, reset.json().generatedPassword as string)
    expect((await me(staff.headers)).json().mustChangePassword).toBe(true)
    expect((await choose(staff.headers, { language: 'en' })).statusCode).toBe(204)
    expect((await app.inject({ method: 'GET', url: '/api/waves', headers: staff.headers })).json().code).toBe('password_change_required')
  })
})
