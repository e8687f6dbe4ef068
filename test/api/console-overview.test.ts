import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolDevice, revokeDevice } from '../../api/db/queries/devices.js'
import { createSite } from '../../api/db/queries/sites.js'
import type { Attention, OverviewReply } from '../../api/schemas/overview.js'
import { importHelpResourcesIfNeeded } from '../../api/services/help-resources.js'
import { OVERVIEW_NEAR_CLOSE_DAYS } from '../../api/services/overview.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import { expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { createStudy, createWave, siteFixture } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const ANSWERS = { gender: 'woman', age_group: '25_34', pushed_ever: 'several', pushed_12m: 'once', pushed_1m: 'no', strangled_ever: 'no' }
const PREFER_NOT = { gender: 'prefer_not', age_group: 'prefer_not', pushed_ever: 'prefer_not' }

describe('console: the overview', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let study: StudyFixture
  const today = studyToday('Europe/Oslo')
  /** Waves and sites beside the fixture's, each wave at a site of its own (a site shows one open wave). */
  const ids = { farWave: '', pastWave: '', closedWave: '', quietClosedWave: '', plannedWave: '', farSite: '', pastSite: '', closedSite: '' }

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    // The fixture's wave closes soon, with a target its site has not reached.
    study = await createStudy(database.db, { closes_on: addDays(today, 5) })
    await database.db.updateTable('wave_sites').set({ target_responses: 10 }).where('wave_id', '=', study.wave.id).execute()
    sessions = await sessionsByRole(app, database.db, study.site.id)
    const versionId = study.wave.survey_version_id
    const site = async (name: string) => (await createSite(database.db, siteFixture({ name }))).id
    ids.farSite = await site('Far site')
    ids.pastSite = await site('Past site')
    ids.closedSite = await site('Closed site')
    const wave = async (name: string, siteId: string, fields: { opens_on: string, closes_on: string, status: 'planned' | 'open' | 'closed' }, target: number | null) =>
      (await createWave(database.db, { name, survey_version_id: versionId, grace_days: 3, ...fields }, [{ siteId, target }])).id
    ids.farWave = await wave('Far wave', ids.farSite, { opens_on: addDays(today, -5), closes_on: addDays(today, OVERVIEW_NEAR_CLOSE_DAYS + 10), status: 'open' }, 40)
    ids.pastWave = await wave('Past wave', ids.pastSite, { opens_on: addDays(today, -30), closes_on: addDays(today, -2), status: 'open' }, null)
    ids.closedWave = await wave('Closed wave', ids.closedSite, { opens_on: addDays(today, -3), closes_on: addDays(today, 20), status: 'open' }, 5)
    ids.quietClosedWave = await wave('Quiet closed wave', ids.farSite, { opens_on: addDays(today, -90), closes_on: addDays(today, -60), status: 'closed' }, 5)
    ids.plannedWave = await wave('Planned wave', study.otherSite.id, { opens_on: addDays(today, 10), closes_on: addDays(today, 40), status: 'planned' }, 5)
    await importHelpResourcesIfNeeded(database.db)
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions) => sessions[role].headers
  const upload = async (token: string, waveId: string, answers: object = ANSWERS) => {
    const reply = await app.inject({ method: 'POST', url: '/api/responses', headers: { authorization: `Bearer ${token}` }, payload: { id: randomUUID(), waveId, answers } })
    expect(reply.statusCode, reply.body).toBe(201)
  }
  const overview = async (role: keyof Sessions) => {
    const reply = await app.inject({ method: 'GET', url: '/api/overview', headers: as(role) })
    expect(reply.statusCode, reply.body).toBe(200)
    return reply.json<OverviewReply>()
  }
  const kinds = (items: Attention[]) => items.map((item) => [item.kind, 'waveName' in item ? item.waveName : 'label' in item ? item.label : ''])

  it('is for researchers, admins and site staff', async () => {
    await expectRoleTable(app, sessions, [{ method: 'GET', url: '/api/overview', allowed: ['researcher', 'admin', 'site_staff'] }])
  })

  it("shows each open wave's progress against target per site and in total, and no planned or closed wave", async () => {
    for (let i = 0; i < 3; i += 1) await upload(study.token, study.wave.id)
    const far = await enrolDevice(database.db, ids.farSite, 'Far tablet')
    await upload(far.token, ids.farWave)

    const { waves } = await overview('researcher')
    expect(waves.map((wave) => wave.waveName).sort()).toEqual(['Closed wave', 'Far wave', 'Past wave', 'Test wave'])
    expect(waves.find((wave) => wave.waveId === study.wave.id)).toMatchObject({
      total: 3, target: 10, closesOn: addDays(today, 5), sites: [{ siteId: study.site.id, target: 10, total: 3 }],
    })
    expect(waves.find((wave) => wave.waveId === ids.farWave)).toMatchObject({ total: 1, target: 40 })
    expect(waves.find((wave) => wave.waveId === ids.pastWave)).toMatchObject({ total: 0, target: null })
    expect(JSON.stringify(waves)).not.toMatch(/woman|several|pushed/)
  })

  it('counts the tablets seen today and their uploads per site, leaving out test tablets and counting no revoked one as enrolled', async () => {
    const idle = await enrolDevice(database.db, study.site.id, 'Idle tablet')
    const gone = await enrolDevice(database.db, study.site.id, 'Gone tablet')
    await upload(gone.token, study.wave.id)
    expect(await revokeDevice(database.db, gone.device.id)).toBe(true)
    await enrolDevice(database.db, study.otherSite.id, 'Test tablet', undefined, study.wave.survey_version_id)

    const { tabletsToday, today: day } = await overview('researcher')
    expect(day).toBe(today)
    // Tablet 1 sent 3 and the revoked one 1 today; the idle one nothing. The other site has only a test tablet.
    expect(tabletsToday.find((site) => site.siteId === study.site.id)).toEqual({ siteId: study.site.id, siteName: study.site.name, tablets: 2, seenToday: 2, uploadsToday: 4 })
    expect(tabletsToday.find((site) => site.siteId === ids.farSite)).toMatchObject({ tablets: 1, seenToday: 1, uploadsToday: 1 })
    expect(tabletsToday.find((site) => site.siteId === study.otherSite.id)).toBeUndefined()
    expect(idle.device.id).not.toBe('')
  })

  it('names what needs attention: a wave past its close date, one near close below target, a tablet warning, stale help, a closed wave not released', async () => {
    const closed = await enrolDevice(database.db, ids.closedSite, 'Closed site tablet')
    await upload(closed.token, ids.closedWave)
    const close = await app.inject({ method: 'POST', url: `/api/waves/${ids.closedWave}/close`, headers: as('researcher') })
    expect(close.statusCode, close.body).toBe(200)
    const faker = await enrolDevice(database.db, study.site.id, 'Faker')
    for (let i = 0; i < 4; i += 1) await upload(faker.token, study.wave.id, PREFER_NOT)

    // Fresh help resources first: nothing to say about them.
    await database.db.updateTable('help_lines').set({ checked: today }).execute()
    await database.db.updateTable('crisis_centres').set({ checked: today }).execute()
    let { attention } = await overview('researcher')
    expect(kinds(attention)).toEqual([
      ['wave_past_close', 'Past wave'],
      ['tablet_warning', 'Faker'],
      ['wave_behind_target', 'Test wave'],
      ['release_missing', 'Closed wave'],
    ])
    expect(attention.find((item) => item.kind === 'wave_past_close')).toEqual({
      kind: 'wave_past_close', waveId: ids.pastWave, waveName: 'Past wave', closesOn: addDays(today, -2), graceEndsOn: addDays(today, 1),
    })
    expect(attention.find((item) => item.kind === 'wave_behind_target')).toMatchObject({
      daysLeft: 5, total: 8, target: 10, sites: [{ siteId: study.site.id, total: 8, target: 10 }],
    })
    expect(attention.find((item) => item.kind === 'tablet_warning')).toMatchObject({ siteId: study.site.id, warnings: ['prefer_not_only', 'repeated'] })
    expect(attention.find((item) => item.kind === 'release_missing')).toMatchObject({ waveId: ids.closedWave, responses: 1 })

    // One help line checked long ago blocks every opening: it comes first.
    const old = addDays(today, -400)
    await database.db.updateTable('help_lines').set({ checked: old }).where('id', '=', (await database.db.selectFrom('help_lines').select('id').limit(1).executeTakeFirstOrThrow()).id).execute()
    ;({ attention } = await overview('researcher'))
    expect(attention[0]).toEqual({ kind: 'help_stale', oldestChecked: old, maxAgeDays: 365 })
    expect(await overview('admin')).toEqual(await overview('researcher'))
  })

  it('stops naming a wave once it reaches its target, and a tablet once it is revoked', async () => {
    for (const age of ['18_24', '55_plus']) await upload(study.token, study.wave.id, { ...ANSWERS, age_group: age })
    const faker = await database.db.selectFrom('devices').select('id').where('label', '=', 'Faker').executeTakeFirstOrThrow()
    expect(await revokeDevice(database.db, faker.id)).toBe(true)
    const { attention } = await overview('researcher')
    expect(kinds(attention).map(([kind]) => kind)).not.toContain('wave_behind_target')
    expect(kinds(attention).map(([kind]) => kind)).not.toContain('tablet_warning')
  })

  it('shows site staff their own site only, and nothing they cannot act on', async () => {
    const mine = await overview('site_staff')
    expect(mine.waves.map((wave) => wave.waveId)).toEqual([study.wave.id])
    expect(mine.tabletsToday.map((site) => site.siteId)).toEqual([study.site.id])
    for (const item of mine.attention) {
      expect(['tablet_warning', 'wave_past_close', 'wave_behind_target']).toContain(item.kind)
      if (item.kind === 'tablet_warning') expect(item.siteId).toBe(study.site.id)
    }
    const copier = await enrolDevice(database.db, study.otherSite.id, 'Elsewhere')
    expect(copier.device.site_id).toBe(study.otherSite.id)
    expect(JSON.stringify(await overview('site_staff'))).not.toContain('Elsewhere')
  })
})
