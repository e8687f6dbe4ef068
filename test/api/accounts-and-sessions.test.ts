import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { hash } from '@node-rs/argon2'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SESSION_COOKIE } from '../../api/auth/session-cookie.js'
import { currentTotp } from '../../api/auth/totp.js'
import { TEST_PASSWORD, createTestAccount, logInWith, loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

describe('staff accounts, logins and sessions', () => {
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
  // Each test starts with an empty throttle, so that one test's failures do not block the next.
  beforeEach(async () => { await database.db.deleteFrom('login_failures').execute() })

  const login = (payload: Record<string, string>, remoteAddress = '127.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/session', payload, remoteAddress })
  const me = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/session', headers })

  it('logs in with a __Host- cookie that is HTTP-only, Secure and SameSite=Strict, and stores only the token\'s hash', async () => {
    const { email } = await createTestAccount(database.db, 'funder')
    const reply = await login({ email, password: TEST_PASSWORD })
    expect(reply.statusCode, reply.body).toBe(200)
    const cookie = reply.cookies.find((c) => c.name === SESSION_COOKIE)
    expect(cookie).toMatchObject({ path: '/', httpOnly: true, secure: true, sameSite: 'Strict' })
    expect(cookie?.domain).toBeUndefined()
    const stored = await database.db.selectFrom('sessions').selectAll().execute()
    expect(JSON.stringify(stored)).not.toContain(cookie!.value)
    expect(reply.json()).toMatchObject({ account: { email, role: 'funder', siteId: null } })
  })

  it('answers a wrong password and an unknown address alike, and records both', async () => {
    const { email } = await createTestAccount(database.db, 'auditor')
    const wrong = await login({ email, password: 'not the password at all' })
    const unknown = await login({ email: 'nobody-here@example.org', password: 'not the password at all' })
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401])
    expect(wrong.json().message).toBe(unknown.json().message)
    const failures = await database.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'session.login_failed').execute()
    expect(failures.map((row) => row.detail.reason)).toEqual(expect.arrayContaining(['wrong password', 'unknown account']))
    // The address typed for an unknown account is not kept (it may be a password typed in the wrong field).
    expect(JSON.stringify(failures)).not.toContain('nobody-here')
  })

  it('asks researchers and admins for a TOTP code, refuses a wrong one and a code used twice', async () => {
    const { email, totpSecret } = await createTestAccount(database.db, 'researcher')
    const none = await login({ email, password: TEST_PASSWORD })
    expect([none.statusCode, none.json().code]).toEqual([401, 'totp_required'])
    const code = currentTotp(totpSecret!, email)
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    expect((await login({ email, password: TEST_PASSWORD, totp: wrongCode })).statusCode).toBe(401)
    expect((await login({ email, password: TEST_PASSWORD, totp: code })).statusCode).toBe(200)
    const replay = await login({ email, password: TEST_PASSWORD, totp: code })
    expect([replay.statusCode, replay.json().message]).toEqual([401, expect.stringMatching(/already used/)])
  })

  // The login throttle (per address and account, per address, per account for new browsers, device cookies): test/api/throttles.test.ts.

  it('stores argon2id hashes with at least m=19456, t=2, p=1 and rehashes a weaker one at the next login', async () => {
    const { email, account } = await createTestAccount(database.db, 'funder')
    const stored = await database.db.selectFrom('accounts').select('password_hash').where('id', '=', account.id).executeTakeFirstOrThrow()
    expect(stored.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    const weak = await hash(TEST_PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 })
    await database.db.updateTable('accounts').set({ password_hash: weak }).where('id', '=', account.id).execute()
    expect((await login({ email, password: TEST_PASSWORD })).statusCode).toBe(200)
    const after = await database.db.selectFrom('accounts').select('password_hash').where('id', '=', account.id).executeTakeFirstOrThrow()
    expect(after.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
  })

  it('refuses short, guessable, published and self-naming passwords with a message that says why, and creates nothing', async () => {
    const before = await database.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const cases: Array<[string, RegExp]> = [
      ['short1', /at least 12 characters/],
      ['aaaaaaaaaaaa', /too easy to guess: Repeated characters/],
      [' '.repeat(12), /too easy to guess: Repeated characters/],
      ['abcdefghijkl', /too easy to guess: Common character sequences/],
      ['qwertyuiopas', /too easy to guess: This is similar to a commonly used password/],
      ['Password1234!', /too easy to guess: This is similar to a commonly used password/],
      ['password1234', /too easy to guess/],
      ['qwertyuiop123', /too easy to guess/],
      ['Prevalens-demo-2026!', /has been published/],
      // Norwegian words and place names are in the dictionary too.
      ['Passord12345!', /too easy to guess/],
      ['sommerferie2024!', /too easy to guess/],
      ['Kristiansand1', /too easy to guess/],
      ['kari.nordmann-2026', /e-mail name/],
    ]
    for (const [password, message] of cases) {
      const reply = await app.inject({ method: 'POST', url: '/api/accounts', headers: admin.headers, payload: { email: 'kari.nordmann@example.org', role: 'funder', password } })
      expect([reply.statusCode, reply.json().code], password).toEqual([400, 'password_rejected'])
      expect(reply.json().message).toMatch(message)
    }
    const after = await database.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('lets an admin create an account with a generated password shown once and a TOTP secret for researchers', async () => {
    const reply = await app.inject({ method: 'POST', url: '/api/accounts', headers: admin.headers, payload: { email: 'New.Researcher@Example.org', role: 'researcher' } })
    expect(reply.statusCode, reply.body).toBe(201)
    const body = reply.json<{ account: { email: string }, generatedPassword: string, totp: { secret: string, uri: string } }>()
    expect(body.account.email).toBe('new.researcher@example.org')
    expect(body.totp.uri).toMatch(/^otpauth:\/\/totp\/Prevalens:/)
    const session = await logInWith(app, 'new.researcher@example.org', body.generatedPassword, body.totp.secret)
    expect(session.account.role).toBe('researcher')
    const again = await app.inject({ method: 'POST', url: '/api/accounts', headers: admin.headers, payload: { email: 'new.researcher@example.org', role: 'funder' } })
    expect([again.statusCode, again.json().code]).toEqual([409, 'account_exists'])
  })

  it('ends sessions at logout, after 30 idle minutes and after 12 hours, and renews the token at every login', async () => {
    const { email } = await createTestAccount(database.db, 'funder')
    const first = await logInWith(app, email, TEST_PASSWORD)
    expect((await me(first.headers)).statusCode).toBe(200)
    const second = await logInWith(app, email, TEST_PASSWORD)
    expect(second.cookie).not.toBe(first.cookie)

    const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: first.headers })
    expect(out.statusCode).toBe(204)
    expect(out.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('')
    expect((await me(first.headers)).statusCode).toBe(401)

    await sql`update sessions set last_seen_at = now() - interval '31 minutes' where account_id = ${second.account.id}`.execute(database.db)
    const idle = await me(second.headers)
    expect([idle.statusCode, idle.json().code]).toEqual([401, 'session_expired'])
    expect(await database.db.selectFrom('sessions').selectAll().where('account_id', '=', second.account.id).execute()).toHaveLength(0)

    const third = await logInWith(app, email, TEST_PASSWORD)
    await sql`update sessions set created_at = now() - interval '13 hours', expires_at = now() - interval '1 hour' where account_id = ${third.account.id}`.execute(database.db)
    expect((await me(third.headers)).json().code).toBe('session_expired')
  })

  it('keeps an active session alive: a visit more than a minute after the last one moves its idle clock', async () => {
    const session = await loginAs(app, database.db, 'auditor')
    await sql`update sessions set last_seen_at = now() - interval '29 minutes' where account_id = ${session.account.id}`.execute(database.db)
    expect((await me(session.headers)).statusCode).toBe(200)
    const row = await database.db.selectFrom('sessions').select(sql<boolean>`last_seen_at > now() - interval '1 minute'`.as('fresh'))
      .where('account_id', '=', session.account.id).executeTakeFirstOrThrow()
    expect(row.fresh).toBe(true)
  })

  it('refuses a change without the CSRF token, or with another session\'s, and changes nothing', async () => {
    const other = await loginAs(app, database.db, 'admin')
    const payload = { email: 'csrf-victim@example.org', role: 'funder' }
    const without = await app.inject({ method: 'POST', url: '/api/accounts', headers: { cookie: admin.headers.cookie! }, payload })
    const foreign = await app.inject({ method: 'POST', url: '/api/accounts', headers: { ...admin.headers, 'x-csrf-token': other.csrfToken }, payload })
    expect([without.statusCode, without.json().code, foreign.statusCode, foreign.json().code]).toEqual([403, 'csrf_failed', 403, 'csrf_failed'])
    expect(await database.db.selectFrom('accounts').selectAll().where('email', '=', 'csrf-victim@example.org').execute()).toHaveLength(0)
  })

  it('ends every session of an account whose role changes, and never lets an admin lock themselves out', async () => {
    const funder = await loginAs(app, database.db, 'funder')
    const change = await app.inject({ method: 'PATCH', url: `/api/accounts/${funder.account.id}`, headers: admin.headers, payload: { role: 'auditor' } })
    expect(change.statusCode, change.body).toBe(200)
    expect((await me(funder.headers)).statusCode).toBe(401)
    const self = await app.inject({ method: 'PATCH', url: `/api/accounts/${admin.account.id}`, headers: admin.headers, payload: { disabled: true } })
    expect(self.statusCode).toBe(400)
    const staffWithoutSite = await app.inject({ method: 'PATCH', url: `/api/accounts/${funder.account.id}`, headers: admin.headers, payload: { role: 'site_staff' } })
    expect([staffWithoutSite.statusCode, staffWithoutSite.json().message]).toEqual([400, expect.stringMatching(/site/)])
  })

  it('refuses a disabled account at login', async () => {
    const { email, account } = await createTestAccount(database.db, 'funder')
    const off = await app.inject({ method: 'PATCH', url: `/api/accounts/${account.id}`, headers: admin.headers, payload: { disabled: true } })
    expect(off.statusCode).toBe(200)
    expect((await login({ email, password: TEST_PASSWORD })).statusCode).toBe(401)
  })
})
