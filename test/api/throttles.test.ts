import { sql } from 'kysely'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ENROLMENT_ALPHABET, createEnrolmentCode, hashEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import { serverSecret } from '../../api/db/queries/server-secrets.js'
import { ENROLMENT_THROTTLE } from '../../api/services/enrolment.js'
import { DEVICE_COOKIE, LOGIN_THROTTLE, pairWaitMinutes, throttleScopes } from '../../api/services/login-throttle.js'
import { TEST_PASSWORD, createTestAccount } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const ATTACKER = '203.0.113.66'
const OWNER_ELSEWHERE = '198.51.100.20'

describe('throttles that an attacker cannot turn against users', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let study: StudyFixture

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    study = await createStudy(database.db)
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })
  beforeEach(async () => {
    await database.db.deleteFrom('login_failures').execute()
    await database.db.deleteFrom('enrolment_failures').execute()
  })

  const login = (email: string, password: string, remoteAddress: string, deviceCookie?: string): Promise<LightMyRequestResponse> =>
    app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { email, password },
      remoteAddress,
      ...(deviceCookie === undefined ? {} : { cookies: { [DEVICE_COOKIE]: deviceCookie } }),
    })
  const deviceCookieOf = (reply: LightMyRequestResponse): string | undefined => reply.cookies.find((cookie) => cookie.name === DEVICE_COOKIE)?.value
  /** Moves every failure back in time, as if that much had passed. */
  const age = async (table: 'login_failures' | 'enrolment_failures', seconds: number): Promise<void> => {
    await sql`update ${sql.table(table)} set attempted_at = attempted_at - make_interval(secs => ${seconds})`.execute(database.db)
  }
  /** Failures under the counters this attempt would touch, written straight into the table (a botnet's work). */
  const prefill = async (email: string, source: string, scope: 'source' | 'account', count: number): Promise<void> => {
    const keys = { throttle: await serverSecret(database.db, 'login-throttle'), device: await serverSecret(database.db, 'login-device-cookie') }
    const { keyed } = await throttleScopes(database.db, keys, { email, source })
    const key = keyed.find((entry) => entry.scope === scope)!.key
    await sql`insert into login_failures (scope, key) select ${scope}, ${key} from generate_series(1, ${count})`.execute(database.db)
  }

  describe('logins', () => {
    it('slows one address\'s guesses at one account, doubling the wait, while the owner elsewhere logs in at once', async () => {
      const { email } = await createTestAccount(database.db, 'funder')
      for (let i = 0; i < LOGIN_THROTTLE.pair.freeFailures; i += 1) expect((await login(email, `wrong password ${i}`, ATTACKER)).statusCode).toBe(401)
      const slowed = await login(email, TEST_PASSWORD, ATTACKER)
      expect([slowed.statusCode, slowed.json().code]).toEqual([429, 'rate_limited'])
      expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(50)
      expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(60)
      // The owner, from any other address, is not slowed at all.
      expect((await login(email, TEST_PASSWORD, OWNER_ELSEWHERE)).statusCode).toBe(200)
      // A minute later the attacker may try once more; the next wait is two minutes.
      await age('login_failures', 61)
      expect((await login(email, 'wrong password again', ATTACKER)).statusCode).toBe(401)
      const longer = await login(email, 'wrong password again', ATTACKER)
      expect(longer.statusCode).toBe(429)
      expect(Number(longer.headers['retry-after'])).toBeGreaterThan(110)
      expect(Number(longer.headers['retry-after'])).toBeLessThanOrEqual(120)
    })

    it('allows one address at most ~33 guesses a day at one account (5 free, then waits doubling to an hour)', () => {
      let minute = 0
      let guesses = 0
      while (minute < 24 * 60) {
        guesses += 1
        minute += Math.max(pairWaitMinutes(guesses), 1 / 60)
      }
      expect(guesses).toBeLessThanOrEqual(35)
      expect(pairWaitMinutes(4)).toBe(0)
      expect([5, 6, 7, 10, 11, 20].map(pairWaitMinutes)).toEqual([1, 2, 4, 32, 60, 60])
    })

    it('lets a browser that logged in before through when an attacker at the same address (a NAT) has tripped every other limit', async () => {
      const { email } = await createTestAccount(database.db, 'funder')
      const first = await login(email, TEST_PASSWORD, ATTACKER)
      expect(first.statusCode).toBe(200)
      const deviceCookie = deviceCookieOf(first)
      expect(deviceCookie).toBeDefined()
      expect(first.cookies.find((cookie) => cookie.name === DEVICE_COOKIE)).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' })
      // The attacker behind the same address: the pair, the address and the account limits all tripped.
      for (let i = 0; i < LOGIN_THROTTLE.pair.freeFailures; i += 1) await login(email, `wrong password ${i}`, ATTACKER)
      await prefill(email, ATTACKER, 'source', LOGIN_THROTTLE.source.failures)
      await prefill(email, ATTACKER, 'account', LOGIN_THROTTLE.account.failures)
      expect((await login(email, TEST_PASSWORD, ATTACKER)).statusCode).toBe(429)
      expect((await login(email, TEST_PASSWORD, OWNER_ELSEWHERE)).statusCode).toBe(429)
      // The owner's own browser still gets in, from the same address.
      expect((await login(email, TEST_PASSWORD, ATTACKER, deviceCookie)).statusCode).toBe(200)
    })

    it('trusts a device cookie only for its own account, and only until 10 failures', async () => {
      const owner = await createTestAccount(database.db, 'funder')
      const other = await createTestAccount(database.db, 'funder')
      const deviceCookie = deviceCookieOf(await login(owner.email, TEST_PASSWORD, OWNER_ELSEWHERE))!
      // At another account the cookie counts for nothing: the pair limit applies.
      for (let i = 0; i < LOGIN_THROTTLE.pair.freeFailures; i += 1) await login(other.email, `wrong password ${i}`, ATTACKER, deviceCookie)
      expect((await login(other.email, TEST_PASSWORD, ATTACKER, deviceCookie)).statusCode).toBe(429)
      // A stolen cookie guessing at its own account: 10 failures, then it is a stranger again.
      for (let i = 0; i < LOGIN_THROTTLE.device.failures; i += 1) expect((await login(owner.email, `wrong password ${i}`, ATTACKER, deviceCookie)).statusCode).toBe(401)
      for (let i = 0; i < LOGIN_THROTTLE.pair.freeFailures; i += 1) expect((await login(owner.email, `wrong password ${i}`, ATTACKER, deviceCookie)).statusCode).toBe(401)
      expect((await login(owner.email, TEST_PASSWORD, ATTACKER, deviceCookie)).statusCode).toBe(429)
      // A forged cookie is a stranger too.
      expect((await login(owner.email, TEST_PASSWORD, ATTACKER, `${deviceCookie.split('.')[0] ?? ''}.forged`)).statusCode).toBe(429)
    })

    it('stops new browsers after 100 failures a day at one account from any number of addresses (a botnet)', async () => {
      const { email } = await createTestAccount(database.db, 'funder')
      await prefill(email, ATTACKER, 'account', LOGIN_THROTTLE.account.failures - 1)
      expect((await login(email, 'wrong password', '192.0.2.1')).statusCode).toBe(401)
      const blocked = await login(email, TEST_PASSWORD, '192.0.2.2')
      expect([blocked.statusCode, blocked.json().message]).toEqual([429, expect.stringMatching(/new browsers/)])
      await age('login_failures', 24 * 3600)
      expect((await login(email, TEST_PASSWORD, '192.0.2.2')).statusCode).toBe(200)
    })

    it('makes an address that fails at many accounts (credential stuffing, or a NAT) wait at most 10 minutes', async () => {
      const { email } = await createTestAccount(database.db, 'funder')
      for (let i = 0; i < LOGIN_THROTTLE.source.failures; i += 1) expect((await login(`guess-${i}@example.org`, 'guessing guessing', ATTACKER)).statusCode).toBe(401)
      const waiting = await login(email, TEST_PASSWORD, ATTACKER)
      expect(waiting.statusCode).toBe(429)
      expect(Number(waiting.headers['retry-after'])).toBeLessThanOrEqual(LOGIN_THROTTLE.source.windowMinutes * 60)
      expect((await login(email, TEST_PASSWORD, OWNER_ELSEWHERE)).statusCode).toBe(200)
      await age('login_failures', LOGIN_THROTTLE.source.windowMinutes * 60 + 1)
      expect((await login(email, TEST_PASSWORD, ATTACKER)).statusCode).toBe(200)
    })

    it('keeps no typed e-mail address and no client address in clear, and the table refuses one', async () => {
      const { email } = await createTestAccount(database.db, 'funder')
      await login(email, 'wrong password', ATTACKER)
      await login('typo-not-an-account@example.org', 'wrong password', ATTACKER)
      const rows = await database.db.selectFrom('login_failures').selectAll().execute()
      expect(rows.length).toBe(6)
      for (const row of rows) expect(row.key).toMatch(/^[0-9a-f]{64}$/)
      const stored = JSON.stringify(rows)
      for (const clear of [email, 'typo-not-an-account', ATTACKER]) expect(stored).not.toContain(clear)
      await expect(database.db.insertInto('login_failures').values({ scope: 'account', key: email }).execute()).rejects.toThrow()
    })
  })

  describe('tablet enrolment', () => {
    const enrol = (code: string, remoteAddress: string): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: '/api/devices/enrol', payload: { code, label: 'Front desk' }, remoteAddress })
    /** A wrong code beginning with `prefix`. */
    const wrongCode = (prefix: string, i: number): string => `${prefix}${ENROLMENT_ALPHABET[i % 25]}${ENROLMENT_ALPHABET[Math.floor(i / 25) % 25]}XXXX`.slice(0, 8)
    const codeWithout = async (prefix: string): Promise<string> => {
      for (;;) {
        const { code } = await createEnrolmentCode(database.db, study.site.id)
        if (!code.startsWith(prefix)) return code
      }
    }

    it('stops one address after 10 wrong codes for at most 10 minutes, while a tablet elsewhere enrols', async () => {
      for (let i = 0; i < ENROLMENT_THROTTLE.source.failures; i += 1) expect((await enrol(wrongCode(ENROLMENT_ALPHABET.slice(i, i + 2), i), ATTACKER)).statusCode).toBe(404)
      const { code } = await createEnrolmentCode(database.db, study.site.id)
      const waiting = await enrol(code, ATTACKER)
      expect([waiting.statusCode, waiting.json().message]).toEqual([429, expect.stringMatching(/from this address/)])
      expect(Number(waiting.headers['retry-after'])).toBeLessThanOrEqual(600)
      expect((await enrol(code, OWNER_ELSEWHERE)).statusCode).toBe(201)
    })

    it('stops a code prefix after 5 wrong codes from any addresses; other prefixes enrol, and a held-back real code is not spent', async () => {
      for (let i = 0; i < ENROLMENT_THROTTLE.prefix.failures; i += 1) expect((await enrol(wrongCode('AC', i), `192.0.2.${i + 1}`)).statusCode).toBe(404)
      expect((await enrol(wrongCode('AC', 99), '192.0.2.99')).json().message).toMatch(/beginning like this one/)
      expect((await enrol(await codeWithout('AC'), '192.0.2.100')).statusCode).toBe(201)
      // A real code beginning AC waits like the guesses, then works: it was never spent.
      const made = await createEnrolmentCode(database.db, study.site.id)
      const real = `AC${made.code.slice(2)}`
      await database.db.updateTable('enrolment_codes').set({ code_hash: hashEnrolmentCode(real) }).where('id', '=', made.row.id).execute()
      expect((await enrol(real, '192.0.2.101')).statusCode).toBe(429)
      await age('enrolment_failures', ENROLMENT_THROTTLE.prefix.windowMinutes * 60 + 1)
      expect((await enrol(real, '192.0.2.101')).statusCode).toBe(201)
    })

    it('has no service-wide limit: 60 wrong codes from 60 addresses leave every tablet able to enrol', async () => {
      for (let i = 0; i < 60; i += 1) await enrol(wrongCode(ENROLMENT_ALPHABET.slice(i % 24, i % 24 + 2), i), `192.0.2.${i + 1}`)
      const { n } = await database.db.selectFrom('enrolment_failures').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      expect(Number(n)).toBe(120) // each failure counted under its address and its prefix
      const { code } = await createEnrolmentCode(database.db, study.site.id)
      expect((await enrol(code, '192.0.2.200')).statusCode).toBe(201)
    })

    it('keeps only keyed hashes of the address and the prefix', async () => {
      await enrol('WRONGCOD', ATTACKER)
      const rows = await database.db.selectFrom('enrolment_failures').selectAll().execute()
      expect(rows.map((row) => row.scope).sort()).toEqual(['prefix', 'source'])
      for (const row of rows) expect(row.key).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.stringify(rows)).not.toContain(ATTACKER)
    })
  })
})
