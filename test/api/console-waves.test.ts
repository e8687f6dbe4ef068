import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../api/config.js'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { Wave } from '../../api/schemas/waves.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const MAX_AGE_DAYS = 200

describe('console: waves', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let sites: SiteRow[]
  let versionId: number
  const today = studyToday('Europe/Oslo')

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database, { HELP_DATA_MAX_AGE_DAYS: MAX_AGE_DAYS }))
    await publishDefinitions(database.db)
    versionId = (await findSurveyVersion(database.db, 'hverdag', 1))?.id ?? 0
    sites = [
      await createSite(database.db, siteFixture({ name: 'A site' })),
      await createSite(database.db, siteFixture({ name: 'B site', municipality_number: '4601', county_number: '46' })),
      await createSite(database.db, siteFixture({ name: 'C site', municipality_number: '5001', county_number: '50' })),
    ]
    sessions = await sessionsByRole(app, database.db, sites[0]?.id ?? '')
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions) => sessions[role].headers
  const plan = (overrides: Record<string, unknown> = {}) => ({
    name: 'Autumn wave',
    surveyVersionId: versionId,
    opensOn: today,
    closesOn: addDays(today, 28),
    graceDays: 7,
    sites: [{ siteId: sites[0]?.id, target: 40 }, { siteId: sites[1]?.id, target: 25 }],
    ...overrides,
  })
  const create = async (overrides: Record<string, unknown> = {}): Promise<Wave> => {
    const reply = await app.inject({ method: 'POST', url: '/api/waves', headers: as('researcher'), payload: plan(overrides) })
    expect(reply.statusCode, reply.body).toBe(201)
    return reply.json<Wave>()
  }
  // Each test starts with no open wave, as a site may have only one.
  afterEach(async () => { await database.db.updateTable('waves').set({ status: 'closed' }).where('status', '=', 'open').execute() })
  const waveCount = async () => Number((await database.db.selectFrom('waves').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('each role gets exactly what it may', async () => {
    const planned = await create()
    // Opening and closing happen once per wave: each allowed role acts on a wave of its own.
    // A site has one open wave at a time: the waves to open and the ones to close are at sites of their own.
    const at = (index: number) => ({ sites: [{ siteId: sites[index]?.id }] })
    const toOpen = { researcher: (await create(at(0))).id, admin: (await create(at(1))).id }
    const toClose = { researcher: (await create(at(2))).id, admin: (await create(at(2))).id }
    for (const id of Object.values(toClose)) await database.db.updateTable('waves').set({ status: 'open' }).where('id', '=', id).execute()
    const own = (ids: Record<'researcher' | 'admin', string>, verb: string) => (role: string) => `/api/waves/${role === 'researcher' ? ids.researcher : ids.admin}/${verb}`
    await expectRoleTable(app, sessions, [
      { method: 'GET', url: '/api/waves', allowed: ['researcher', 'admin', 'site_staff'] },
      { method: 'GET', url: `/api/waves/${planned.id}`, allowed: ['researcher', 'admin', 'site_staff'] },
      { method: 'POST', url: '/api/waves', payload: () => plan(), allowed: ['researcher', 'admin'] },
      { method: 'PATCH', url: `/api/waves/${planned.id}`, payload: () => ({ graceDays: 3 }), allowed: ['researcher', 'admin'] },
      { method: 'POST', url: own(toOpen, 'open'), allowed: ['researcher', 'admin'] },
      { method: 'POST', url: own(toClose, 'close'), allowed: ['researcher', 'admin'] },
    ])
  })

  it('plans a wave with a target per site, in one transaction with its audit entry', async () => {
    const wave = await create({ name: '  Spring wave ' })
    expect(wave).toMatchObject({
      name: 'Spring wave',
      status: 'planned',
      graceDays: 7,
      opensOn: today,
      closesOn: addDays(today, 28),
      surveyVersion: { id: versionId, slug: 'hverdag', version: 1 },
    })
    expect(wave.sites).toEqual([
      { siteId: sites[0]?.id, siteName: 'A site', target: 40 },
      { siteId: sites[1]?.id, siteName: 'B site', target: 25 },
    ])
    const [entry] = await auditEntries(database.db, 'wave.create', wave.id)
    expect(entry?.detail).toMatchObject({ name: 'Spring wave', status: 'planned', sites: [{ siteId: sites[0]?.id, target: 40 }, { siteId: sites[1]?.id, target: 25 }] })
  })

  it('refuses bad plans with a message naming the problem, storing nothing', async () => {
    const before = await waveCount()
    const unknownSite = '00000000-0000-4000-8000-000000000000'
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ closesOn: addDays(today, -1) }, 400, 'wave_dates', 'before opensOn'],
      [{ opensOn: addDays(today, -30), closesOn: addDays(today, -2) }, 400, 'wave_dates', 'has already passed'],
      [{ opensOn: '2026-02-30' }, 400, 'wave_dates', '2026-02-30'],
      [{ surveyVersionId: 99_999 }, 400, 'unknown_survey_version', '99999'],
      [{ sites: [{ siteId: unknownSite }] }, 400, 'unknown_site', unknownSite],
      [{ sites: [{ siteId: sites[0]?.id }, { siteId: sites[0]?.id }] }, 400, 'bad_request', 'twice'],
      [{ sites: [] }, 400, 'bad_request', 'sites'],
      [{ graceDays: 400 }, 400, 'bad_request', 'graceDays'],
      [{ sites: [{ siteId: sites[0]?.id, target: 0 }] }, 400, 'bad_request', 'target'],
    ]
    for (const [overrides, status, code, named] of cases) {
      const reply = await app.inject({ method: 'POST', url: '/api/waves', headers: as('researcher'), payload: plan(overrides) })
      expect(reply.statusCode, JSON.stringify(overrides)).toBe(status)
      expect(reply.json().code, JSON.stringify(overrides)).toBe(code)
      expect(reply.json().message, JSON.stringify(overrides)).toContain(named)
    }
    expect(await waveCount()).toBe(before)
  })

  it('edits a planned wave (sites replaced), then opens and closes it; each step audited and refused out of turn', async () => {
    const wave = await create()
    const edited = await app.inject({
      method: 'PATCH',
      url: `/api/waves/${wave.id}`,
      headers: as('admin'),
      payload: { name: 'Renamed', sites: [{ siteId: sites[2]?.id, target: 10 }], closesOn: addDays(today, 60) },
    })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json<Wave>()).toMatchObject({ name: 'Renamed', closesOn: addDays(today, 60), sites: [{ siteId: sites[2]?.id, siteName: 'C site', target: 10 }] })
    const [update] = await auditEntries(database.db, 'wave.update', wave.id)
    expect(update?.detail).toMatchObject({ before: { name: 'Autumn wave' }, after: { name: 'Renamed' } })

    const closePlanned = await app.inject({ method: 'POST', url: `/api/waves/${wave.id}/close`, headers: as('researcher') })
    expect(closePlanned.statusCode).toBe(409)
    expect(closePlanned.json()).toMatchObject({ code: 'wave_transition' })
    expect(closePlanned.json().message).toContain('only an open wave can be closed')

    const opened = await app.inject({ method: 'POST', url: `/api/waves/${wave.id}/open`, headers: as('researcher') })
    expect(opened.statusCode, opened.body).toBe(200)
    expect(opened.json<Wave>().status).toBe('open')
    expect(await auditEntries(database.db, 'wave.open', wave.id)).toHaveLength(1)

    for (const [action, payload] of [['open', undefined], ['', { name: 'Too late' }]] as const) {
      const reply = await app.inject({ method: action === '' ? 'PATCH' : 'POST', url: `/api/waves/${wave.id}${action === '' ? '' : `/${action}`}`, headers: as('researcher'), ...(payload === undefined ? {} : { payload }) })
      expect(reply.statusCode).toBe(409)
      expect(reply.json().message).toContain('is open')
    }
    const closed = await app.inject({ method: 'POST', url: `/api/waves/${wave.id}/close`, headers: as('researcher') })
    expect(closed.json<Wave>().status).toBe('closed')
    expect(await auditEntries(database.db, 'wave.close', wave.id)).toHaveLength(1)
    const reopened = await app.inject({ method: 'POST', url: `/api/waves/${wave.id}/open`, headers: as('researcher') })
    expect(reopened.statusCode).toBe(409)
    expect(reopened.json().message).toContain('is closed')
    const stored = await database.db.selectFrom('waves').select(['status', 'name']).where('id', '=', wave.id).executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 'closed', name: 'Renamed' })
  })

  it('refuses to open a wave while the help resources are older than HELP_DATA_MAX_AGE_DAYS, naming the date', async () => {
    const wave = await create()
    const stale = addDays(today, -(MAX_AGE_DAYS + 1))
    const line = await database.db.selectFrom('help_lines').select(['id', 'checked']).orderBy('position').executeTakeFirstOrThrow()
    await database.db.updateTable('help_lines').set({ checked: stale }).where('id', '=', line.id).execute()
    try {
      const refused = await app.inject({ method: 'POST', url: `/api/waves/${wave.id}/open`, headers: as('researcher') })
      expect(refused.statusCode).toBe(409)
      expect(refused.json().code).toBe('help_data_stale')
      expect(refused.json().message).toContain(stale)
      expect(refused.json().message).toContain(String(MAX_AGE_DAYS))
      const stored = await database.db.selectFrom('waves').select('status').where('id', '=', wave.id).executeTakeFirstOrThrow()
      expect(stored.status).toBe('planned')
      expect(await auditEntries(database.db, 'wave.open', wave.id)).toHaveLength(0)

      // Exactly at the limit it is still fresh enough.
      await database.db.updateTable('help_lines').set({ checked: addDays(today, -MAX_AGE_DAYS) }).where('id', '=', line.id).execute()
      const opened = await app.inject({ method: 'POST', url: `/api/waves/${wave.id}/open`, headers: as('researcher') })
      expect(opened.statusCode, opened.body).toBe(200)
    } finally {
      await database.db.updateTable('help_lines').set({ checked: line.checked }).where('id', '=', line.id).execute()
    }
  })

  it('refuses to open a wave at a site that already has an open wave, naming both, and opens it once that one is closed', async () => {
    const first = await create({ name: 'Spring at C', sites: [{ siteId: sites[2]?.id }] })
    const second = await create({ name: 'Also at C', sites: [{ siteId: sites[1]?.id }, { siteId: sites[2]?.id }] })
    const openFirst = await app.inject({ method: 'POST', url: `/api/waves/${first.id}/open`, headers: as('researcher') })
    expect(openFirst.statusCode, openFirst.body).toBe(200)
    const refused = await app.inject({ method: 'POST', url: `/api/waves/${second.id}/open`, headers: as('admin') })
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'site_has_open_wave' })
    expect(refused.json().message).toContain('C site already has the open wave "Spring at C"')
    expect(refused.json().message).toContain('"Also at C" cannot open')
    expect((await database.db.selectFrom('waves').select('status').where('id', '=', second.id).executeTakeFirstOrThrow()).status).toBe('planned')
    expect(await auditEntries(database.db, 'wave.open', second.id)).toHaveLength(0)

    const closed = await app.inject({ method: 'POST', url: `/api/waves/${first.id}/close`, headers: as('researcher') })
    expect(closed.statusCode, closed.body).toBe(200)
    const opened = await app.inject({ method: 'POST', url: `/api/waves/${second.id}/open`, headers: as('admin') })
    expect(opened.statusCode, opened.body).toBe(200)
    await app.inject({ method: 'POST', url: `/api/waves/${second.id}/close`, headers: as('admin') })
  })

  it('takes HELP_DATA_MAX_AGE_DAYS from the environment, 365 by default, and refuses a bad value by name', () => {
    expect(loadConfig({}).HELP_DATA_MAX_AGE_DAYS).toBe(365)
    expect(loadConfig({ HELP_DATA_MAX_AGE_DAYS: '90' }).HELP_DATA_MAX_AGE_DAYS).toBe(90)
    for (const bad of ['0', 'a year', '4000']) expect(() => loadConfig({ HELP_DATA_MAX_AGE_DAYS: bad })).toThrow(`HELP_DATA_MAX_AGE_DAYS="${bad}"`)
  })

  it('shows site staff only the waves at their site, and only their site in them', async () => {
    const mine = await create({ sites: [{ siteId: sites[0]?.id, target: 5 }, { siteId: sites[1]?.id, target: 9 }] })
    const notMine = await create({ sites: [{ siteId: sites[2]?.id }] })
    const list = (await app.inject({ method: 'GET', url: '/api/waves', headers: as('site_staff') })).json<{ waves: Wave[] }>().waves
    expect(list.map((wave) => wave.id)).toContain(mine.id)
    expect(list.map((wave) => wave.id)).not.toContain(notMine.id)
    for (const wave of list) expect(wave.sites.map((site) => site.siteId)).toEqual([sites[0]?.id])
    expect((await app.inject({ method: 'GET', url: `/api/waves/${notMine.id}`, headers: as('site_staff') })).statusCode).toBe(404)
  })
})
