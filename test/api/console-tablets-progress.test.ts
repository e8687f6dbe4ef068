import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { hashEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import type { EnrolmentCodeReply, Tablet } from '../../api/schemas/tablets.js'
import type { ProgressReply } from '../../api/schemas/progress.js'
import { isoWeek, studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const ANSWERS = { gender: 'woman', age_group: '25_34', pushed_ever: 'several', pushed_12m: 'once', pushed_1m: 'no', strangled_ever: 'no' }

describe('console: tablets and progress', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let study: StudyFixture
  const today = studyToday('Europe/Oslo')

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    study = await createStudy(database.db)
    // The wave runs at both sites, with a target at each.
    await database.db.updateTable('wave_sites').set({ target_responses: 30 }).where('wave_id', '=', study.wave.id).execute()
    await database.db.insertInto('wave_sites').values({ wave_id: study.wave.id, site_id: study.otherSite.id, target_responses: 20 }).execute()
    sessions = await sessionsByRole(app, database.db, study.site.id)
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions) => sessions[role].headers
  const upload = (token: string) => app.inject({
    method: 'POST', url: '/api/responses', headers: { authorization: `Bearer ${token}` }, payload: { id: randomUUID(), waveId: study.wave.id, answers: ANSWERS },
  })
  const tablets = async (role: keyof Sessions, query = '') => {
    const reply = await app.inject({ method: 'GET', url: `/api/tablets${query}`, headers: as(role) })
    expect(reply.statusCode, reply.body).toBe(200)
    return reply.json<{ tablets: Tablet[] }>().tablets
  }

  it('each role gets exactly what it may', async () => {
    const own = { researcher: '', admin: '', site_staff: '' }
    for (const role of ['researcher', 'admin', 'site_staff'] as const) own[role] = (await enrolDevice(database.db, study.site.id, `Revoke me ${role}`)).device.id
    await expectRoleTable(app, sessions, [
      { method: 'GET', url: '/api/tablets', allowed: ['researcher', 'admin', 'site_staff'] },
      { method: 'POST', url: '/api/tablets/enrolment-codes', payload: () => ({ siteId: study.site.id, label: 'Desk' }), allowed: ['researcher', 'admin', 'site_staff'] },
      { method: 'POST', url: (role) => `/api/tablets/${own[role as keyof typeof own] ?? own.admin}/revoke`, allowed: ['researcher', 'admin', 'site_staff'] },
      { method: 'GET', url: `/api/progress/${study.wave.id}`, allowed: ['researcher', 'admin', 'site_staff'] },
    ])
  })

  it('makes a one-time code that enrols a tablet at that site; only its hash is stored, and the log never holds it', async () => {
    const reply = await app.inject({ method: 'POST', url: '/api/tablets/enrolment-codes', headers: as('researcher'), payload: { siteId: study.otherSite.id, label: 'Reception' } })
    expect(reply.statusCode, reply.body).toBe(201)
    const made = reply.json<EnrolmentCodeReply>()
    expect(made).toMatchObject({ siteId: study.otherSite.id, siteName: 'Other site', label: 'Reception' })
    const stored = await database.db.selectFrom('enrolment_codes').select(['code_hash', 'site_id']).where('code_hash', '=', hashEnrolmentCode(made.code)).executeTakeFirstOrThrow()
    expect(stored.site_id).toBe(study.otherSite.id)
    const entries = await auditEntries(database.db, 'tablet.enrolment_code', study.otherSite.id)
    expect(entries).toHaveLength(1)
    expect(JSON.stringify(entries)).not.toContain(made.code)

    const enrolled = await app.inject({ method: 'POST', url: '/api/devices/enrol', payload: { code: made.code, label: '' } })
    expect(enrolled.statusCode, enrolled.body).toBe(201)
    const listed = (await tablets('researcher', `?siteId=${study.otherSite.id}`)).map((t) => [t.label, t.siteName, t.uploadCount, t.lastUploadOn])
    expect(listed).toContainEqual(['Reception', 'Other site', 0, null])
  })

  it('lets site staff make codes and see tablets for their own site only', async () => {
    const refused = await app.inject({ method: 'POST', url: '/api/tablets/enrolment-codes', headers: as('site_staff'), payload: { siteId: study.otherSite.id } })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().message).toContain('own site')
    expect((await app.inject({ method: 'GET', url: `/api/tablets?siteId=${study.otherSite.id}`, headers: as('site_staff') })).statusCode).toBe(403)
    const seen = await tablets('site_staff')
    expect(seen.length).toBeGreaterThan(0)
    for (const tablet of seen) expect(tablet.siteId).toBe(study.site.id)
    const other = (await tablets('researcher', `?siteId=${study.otherSite.id}`))[0]
    const revoke = await app.inject({ method: 'POST', url: `/api/tablets/${other?.id ?? ''}/revoke`, headers: as('site_staff') })
    expect(revoke.statusCode).toBe(403)
  })

  it('counts uploads per tablet and per site per week against the target, never showing answers', async () => {
    const second = await enrolDevice(database.db, study.otherSite.id, 'Second')
    for (let i = 0; i < 3; i += 1) expect((await upload(study.token)).statusCode).toBe(201)
    for (let i = 0; i < 2; i += 1) expect((await upload(second.token)).statusCode).toBe(201)

    const all = await tablets('researcher')
    expect(all.find((t) => t.id === study.deviceId)).toMatchObject({ uploadCount: 3, lastUploadOn: today, label: 'Tablet 1' })
    expect(all.find((t) => t.id === second.device.id)).toMatchObject({ uploadCount: 2, lastUploadOn: today })

    const progress = (await app.inject({ method: 'GET', url: `/api/progress/${study.wave.id}`, headers: as('researcher') })).json<ProgressReply>()
    const week = progress.weeks.indexOf(isoWeek(today))
    expect(week).toBeGreaterThanOrEqual(0)
    // Sites by name.
    expect(progress.sites.map((site) => [site.siteName, site.target, site.total, site.byWeek[week]])).toEqual([
      ['Other site', 20, 2, 2],
      [study.site.name, 30, 3, 3],
    ])
    expect(progress).toMatchObject({ total: 5, target: 50 })
    for (const site of progress.sites) expect(site.byWeek).toHaveLength(progress.weeks.length)
    expect(JSON.stringify(progress)).not.toMatch(/woman|several|pushed/)

    const staff = (await app.inject({ method: 'GET', url: `/api/progress/${study.wave.id}`, headers: as('site_staff') })).json<ProgressReply>()
    expect(staff.sites.map((site) => [site.siteId, site.total])).toEqual([[study.site.id, 3]])
    expect(staff.total).toBe(3)
  })

  it('points at a tablet whose uploads look made up (all "prefer not to say", the same response again), and at no honest one', async () => {
    const send = async (token: string, answers: object) => await app.inject({
      method: 'POST', url: '/api/responses', headers: { authorization: `Bearer ${token}` }, payload: { id: randomUUID(), waveId: study.wave.id, answers },
    })
    const faker = await enrolDevice(database.db, study.site.id, 'Faker')
    const copier = await enrolDevice(database.db, study.site.id, 'Copier')
    const honest = await enrolDevice(database.db, study.site.id, 'Honest')
    for (let n = 0; n < 4; n += 1) {
      expect((await send(faker.token, { gender: 'prefer_not', age_group: 'prefer_not', pushed_ever: 'prefer_not' })).statusCode).toBe(201)
      // The same answers in another key order are the same response.
      expect((await send(copier.token, n % 2 === 0 ? ANSWERS : Object.fromEntries(Object.entries(ANSWERS).reverse()))).statusCode).toBe(201)
      expect((await send(honest.token, { ...ANSWERS, age_group: ['18_24', '25_34', '35_44', '45_54'][n] })).statusCode).toBe(201)
    }
    const listed = await tablets('researcher')
    const warnings = (label: string) => listed.find((tablet) => tablet.label === label)?.warnings
    expect(warnings('Faker')).toEqual(['prefer_not_only', 'repeated']) // the same empty answers each time, too
    expect(warnings('Copier')).toEqual(['repeated'])
    expect(warnings('Honest')).toEqual([])
    // Site staff see the same signal for their own site's tablets.
    expect((await tablets('site_staff')).find((tablet) => tablet.label === 'Copier')?.warnings).toEqual(['repeated'])
    // Nothing of it lies beside a response: held and mixed rows have no such column (test/db/migrations.test.ts).
    const row = await database.db.selectFrom('devices').select(['prefer_not_only_uploads', 'repeated_uploads']).where('id', '=', copier.device.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ prefer_not_only_uploads: 0, repeated_uploads: 3 })
  })

  it('points at a tablet with far more uploads today than a site takes', async () => {
    const busy = await enrolDevice(database.db, study.site.id, 'Busy')
    await database.db.updateTable('devices').set({ day_uploads: 119, upload_count: 119, last_upload_on: today }).where('id', '=', busy.device.id).execute()
    expect((await tablets('researcher')).find((tablet) => tablet.label === 'Busy')?.warnings).toEqual([])
    expect((await upload(busy.token)).statusCode).toBe(201)
    expect((await tablets('researcher')).find((tablet) => tablet.label === 'Busy')?.warnings).toEqual(['many_today'])
  })

  it('revokes a tablet once (audited); the tablet can no longer upload', async () => {
    const { device, token } = await enrolDevice(database.db, study.site.id, 'Lost one')
    const reply = await app.inject({ method: 'POST', url: `/api/tablets/${device.id}/revoke`, headers: as('site_staff') })
    expect(reply.statusCode, reply.body).toBe(200)
    expect(reply.json<Tablet>().revokedAt).not.toBeNull()
    expect(await auditEntries(database.db, 'tablet.revoke', device.id)).toHaveLength(1)
    const again = await app.inject({ method: 'POST', url: `/api/tablets/${device.id}/revoke`, headers: as('researcher') })
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toContain('Lost one')
    expect(await auditEntries(database.db, 'tablet.revoke', device.id)).toHaveLength(1)
    expect((await upload(token)).statusCode).toBe(401)
  })

  it('answers 404 for an unknown wave and 403 to site staff for a wave elsewhere', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000'
    expect((await app.inject({ method: 'GET', url: `/api/progress/${unknown}`, headers: as('researcher') })).statusCode).toBe(404)
    expect((await app.inject({ method: 'GET', url: `/api/progress/${unknown}`, headers: as('site_staff') })).statusCode).toBe(403)
  })
})
