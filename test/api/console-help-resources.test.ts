import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importHelpResourcesIfNeeded, loadHelpResourcesFromDb } from '../../api/services/help-resources.js'
import type { CrisisCentre, HelpLine, HelpResourcesReply } from '../../api/schemas/help-resources.js'
import type { KioskHelpReply } from '../../api/schemas/kiosk.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loadHelpResources } from '../../survey-definitions/help-resources.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

describe('console: help resources in the database', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let study: StudyFixture
  const today = studyToday('Europe/Oslo')

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    study = await createStudy(database.db)
    sessions = await sessionsByRole(app, database.db, study.site.id)
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions) => sessions[role].headers
  const kioskHelp = async () => (await app.inject({ method: 'GET', url: '/api/kiosk/help', headers: { authorization: `Bearer ${study.token}` } })).json<KioskHelpReply>()
  const line = (id: string): HelpLine => ({
    id,
    kind: 'phone',
    contact: '815 00 000',
    checked: today,
    name: { nb: `Linje ${id}`, en: `Line ${id}` },
    description: { nb: 'Hele døgnet.', en: 'Day and night.' },
  })
  const centre = (overrides: Partial<CrisisCentre> = {}) => ({
    name: 'Bergen krisesenter', county: '46', checked: today, activeSubstanceUse: { women: 'case_by_case', men: 'no' }, source: 'Phoned the centre', ...overrides,
  })

  it('starts as survey-definitions/help-resources.json, imported at start-up exactly once', async () => {
    expect(await loadHelpResourcesFromDb(database.db)).toEqual(loadHelpResources())
    expect(await importHelpResourcesIfNeeded(database.db)).toBe(false)
    const counts = await database.db.selectFrom('help_lines').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(counts.n)).toBe(loadHelpResources().lines.length)
  })

  it('imports once even when two processes start together', async () => {
    const snapshot = await loadHelpResourcesFromDb(database.db)
    await database.db.deleteFrom('help_lines').execute()
    await database.db.deleteFrom('crisis_centres').execute()
    await database.db.deleteFrom('help_resources_meta').execute()
    const outcomes = await Promise.all([importHelpResourcesIfNeeded(database.db), importHelpResourcesIfNeeded(database.db)])
    expect(outcomes.filter(Boolean)).toHaveLength(1)
    expect(await loadHelpResourcesFromDb(database.db)).toEqual(snapshot)
    // Deleting every line on purpose does not bring the file back: the meta row says it was imported.
    await database.db.deleteFrom('help_lines').where('id', '=', 'police').execute()
    expect(await importHelpResourcesIfNeeded(database.db)).toBe(false)
    expect((await loadHelpResourcesFromDb(database.db)).lines.map((l) => l.id)).not.toContain('police')
    await database.db.insertInto('help_lines').values({
      id: 'police',
      position: 0,
      kind: 'phone',
      contact: '112',
      name_nb: 'Politi',
      name_en: 'Police',
      description_nb: 'Når noen er i fare nå.',
      description_en: 'When someone is in danger now.',
      checked: snapshot.lines[0]?.checked ?? today,
    }).execute()
    expect(await loadHelpResourcesFromDb(database.db)).toEqual(snapshot)
  })

  it('each role gets exactly what it may', async () => {
    const centreIds = { researcher: '', admin: '' }
    for (const role of ['researcher', 'admin'] as const) {
      centreIds[role] = (await app.inject({ method: 'POST', url: '/api/help-resources/crisis-centres', headers: as(role), payload: centre() })).json<CrisisCentre>().id
    }
    let n = 0
    await expectRoleTable(app, sessions, [
      { method: 'GET', url: '/api/help-resources', allowed: ['researcher', 'admin'] },
      { method: 'POST', url: '/api/help-resources/lines', payload: () => line(`roles-${n++}`), allowed: ['researcher', 'admin'] },
      { method: 'PATCH', url: '/api/help-resources/lines/police', payload: () => ({ checked: today }), allowed: ['researcher', 'admin'] },
      { method: 'POST', url: '/api/help-resources/crisis-centres', payload: () => centre(), allowed: ['researcher', 'admin'] },
      { method: 'PATCH', url: `/api/help-resources/crisis-centres/${centreIds.admin}`, payload: () => ({ checked: today }), allowed: ['researcher', 'admin'] },
      { method: 'DELETE', url: (role) => `/api/help-resources/crisis-centres/${role === 'researcher' ? centreIds.researcher : centreIds.admin}`, allowed: ['researcher', 'admin'] },
      { method: 'PUT', url: '/api/help-resources/note', payload: () => loadHelpResources().note, allowed: ['researcher', 'admin'] },
    ])
  })

  it('edits a crisis centre and the kiosk shows it at once, every change audited with what it replaced', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/help-resources/crisis-centres', headers: as('researcher'), payload: centre({ name: ' Vestfold krisesenter ', county: '39' }) })
    expect(created.statusCode, created.body).toBe(201)
    const id = created.json<CrisisCentre>().id
    const patched = await app.inject({ method: 'PATCH', url: `/api/help-resources/crisis-centres/${id}`, headers: as('admin'), payload: { activeSubstanceUse: { women: 'yes', men: 'case_by_case' } } })
    expect(patched.json<CrisisCentre>()).toMatchObject({ name: 'Vestfold krisesenter', county: '39', activeSubstanceUse: { women: 'yes', men: 'case_by_case' } })

    const shown = (await kioskHelp()).counties.find((county) => county.number === '39')
    expect(shown?.centres).toEqual([{ name: 'Vestfold krisesenter', checked: today, activeSubstanceUse: { women: 'yes', men: 'case_by_case' } }])
    const [update] = await auditEntries(database.db, 'crisis_centre.update', id)
    expect(update?.detail).toMatchObject({ before: { activeSubstanceUse: { women: 'case_by_case', men: 'no' } }, after: { activeSubstanceUse: { women: 'yes', men: 'case_by_case' } } })

    expect((await app.inject({ method: 'DELETE', url: `/api/help-resources/crisis-centres/${id}`, headers: as('admin') })).statusCode).toBe(204)
    expect((await kioskHelp()).counties.find((county) => county.number === '39')).toBeUndefined()
    expect(await auditEntries(database.db, 'crisis_centre.delete', id)).toHaveLength(1)
    expect((await app.inject({ method: 'DELETE', url: `/api/help-resources/crisis-centres/${id}`, headers: as('admin') })).statusCode).toBe(404)
  })

  it('adds, edits and removes a helpline; a taken id is 409', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/help-resources/lines', headers: as('researcher'), payload: line('new-line') })
    expect(created.statusCode, created.body).toBe(201)
    expect((await kioskHelp()).lines.at(-1)?.id).toBe('new-line')
    const again = await app.inject({ method: 'POST', url: '/api/help-resources/lines', headers: as('researcher'), payload: line('new-line') })
    expect(again.statusCode).toBe(409)
    expect(again.json().message).toContain('new-line')
    const patched = await app.inject({ method: 'PATCH', url: '/api/help-resources/lines/new-line', headers: as('researcher'), payload: { contact: '800 00 000' } })
    expect(patched.json<HelpLine>()).toMatchObject({ id: 'new-line', contact: '800 00 000', name: { nb: 'Linje new-line' } })
    expect((await app.inject({ method: 'DELETE', url: '/api/help-resources/lines/new-line', headers: as('researcher') })).statusCode).toBe(204)
    expect((await kioskHelp()).lines.map((l) => l.id)).not.toContain('new-line')
    expect((await auditEntries(database.db, 'help_line.create', 'new-line')).length).toBe(1)
    expect((await auditEntries(database.db, 'help_line.delete', 'new-line')).length).toBe(1)
  })

  it('refuses bad entries by name and stores nothing', async () => {
    const before = await database.db.selectFrom('crisis_centres').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['/api/help-resources/crisis-centres', centre({ county: '12' }), 'county number 12'],
      ['/api/help-resources/crisis-centres', centre({ checked: addDays(today, 1) }), 'in the future'],
      ['/api/help-resources/crisis-centres', centre({ checked: '2026-13-01' }), '2026-13-01'],
      ['/api/help-resources/crisis-centres', { ...centre(), activeSubstanceUse: { women: 'maybe', men: 'no' } }, 'activeSubstanceUse'],
      ['/api/help-resources/lines', { ...line('x'), kind: 'fax' }, 'kind'],
    ]
    for (const [url, payload, named] of cases) {
      const reply = await app.inject({ method: 'POST', url, headers: as('researcher'), payload })
      expect(reply.statusCode, named).toBe(400)
      expect(reply.json().message, named).toContain(named)
    }
    const after = await database.db.selectFrom('crisis_centres').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('reports the oldest check date and whether it is too old to open a wave', async () => {
    const fresh = (await app.inject({ method: 'GET', url: '/api/help-resources', headers: as('researcher') })).json<HelpResourcesReply>()
    expect(fresh).toMatchObject({ maxAgeDays: 365, stale: false })
    const old = addDays(today, -400)
    await database.db.updateTable('crisis_centres').set({ checked: old }).where('name', '=', 'Thereses hus').execute()
    const stale = (await app.inject({ method: 'GET', url: '/api/help-resources', headers: as('researcher') })).json<HelpResourcesReply>()
    expect(stale).toMatchObject({ oldestChecked: old, stale: true })
  })
})
