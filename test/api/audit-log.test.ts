import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordAudit } from '../../api/services/audit-log.js'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

describe('the audit log', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let admin: TestSession
  let auditor: TestSession

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    admin = await loginAs(app, database.db, 'admin')
    auditor = await loginAs(app, database.db, 'auditor')
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })

  const read = (session: TestSession, query = '') => app.inject({ method: 'GET', url: `/api/audit-log${query}`, headers: session.headers })
  const verify = async () => (await app.inject({ method: 'GET', url: '/api/audit-log/verify', headers: auditor.headers })).json<{ intact: boolean, entries: number, firstBrokenSeq?: number, problem?: string }>()

  it('records logins and account changes with who, what, on which object and when; admins and auditors read and filter it', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/accounts', headers: admin.headers, payload: { email: 'audited@example.org', role: 'funder' } })
    const id = created.json<{ account: { id: string } }>().account.id
    const entries = (await read(auditor, `?objectId=${id}`)).json<{ entries: Array<Record<string, unknown>> }>().entries
    expect(entries).toEqual([expect.objectContaining({ action: 'account.create', actorEmail: admin.account.email, actorRole: 'admin', objectType: 'account', objectId: id })])
    expect(Date.now() - Date.parse(entries[0]!.at as string)).toBeLessThan(60_000)
    const logins = (await read(admin, '?action=session.login')).json<{ entries: unknown[] }>().entries
    expect(logins.length).toBeGreaterThanOrEqual(2)
    const researcher = await loginAs(app, database.db, 'researcher')
    expect((await read(researcher)).statusCode).toBe(403)
  })

  it('keeps a hash chain that a check walks end to end', async () => {
    const check = await verify()
    expect(check.intact).toBe(true)
    expect(check.entries).toBeGreaterThan(3)
  })

  it('refuses updates, deletes and truncation outright', async () => {
    await expect(sql`update audit_log set action = 'nothing' where seq = 1`.execute(database.db)).rejects.toThrow(/append-only/)
    await expect(sql`delete from audit_log where seq = 1`.execute(database.db)).rejects.toThrow(/append-only/)
    await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only/)
  })

  it('serialises concurrent appends into one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordAudit(database.db, { actor: null, action: 'test.concurrent', detail: { i } })))
    expect((await verify()).intact).toBe(true)
  })

  // Someone with the database owner's rights can switch the trigger off: the chain still shows what they did.
  it('detects an entry edited or deleted behind the trigger\'s back', async () => {
    const withTriggerOff = async (statement: ReturnType<typeof sql>) => {
      await database.db.transaction().execute(async (trx) => {
        await sql`alter table audit_log disable trigger audit_log_append_only`.execute(trx)
        await statement.execute(trx)
        await sql`alter table audit_log enable trigger audit_log_append_only`.execute(trx)
      })
    }
    await withTriggerOff(sql`update audit_log set detail = '{"email":"someone-else@example.org","role":"admin"}'::jsonb where seq = 3`)
    expect(await verify()).toMatchObject({ intact: false, firstBrokenSeq: 3, problem: 'entry 3 was changed after it was written' })
    await withTriggerOff(sql`delete from audit_log where seq <= 3`)
    expect(await verify()).toMatchObject({ intact: false, firstBrokenSeq: 4, problem: 'entry 1 is missing' })
  })
})
