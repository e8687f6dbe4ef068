import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSite } from '../../api/db/queries/sites.js'
import type { Site } from '../../api/schemas/sites.js'
import type { RegionsReply } from '../../api/schemas/reference.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

describe('console: sites and the region reference list', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let staffSiteId: string
  let otherSiteId: string

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    staffSiteId = (await createSite(database.db, siteFixture({ name: 'Staff site' }))).id
    otherSiteId = (await createSite(database.db, siteFixture({ name: 'Not theirs', municipality_number: '4601', county_number: '46' }))).id
    sessions = await sessionsByRole(app, database.db, staffSiteId)
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions) => sessions[role].headers
  const newSite = () => ({ name: `Site ${Math.random().toString(36).slice(2, 8)}`, kind: 'housing', municipalityNumber: '1103', centrality: 2 })

  it('each role gets exactly what it may', async () => {
    await expectRoleTable(app, sessions, [
      { method: 'GET', url: '/api/reference/regions', allowed: ['admin', 'researcher', 'site_staff', 'funder', 'auditor'] },
      { method: 'GET', url: '/api/sites', allowed: ['researcher', 'admin', 'site_staff'] },
      { method: 'GET', url: `/api/sites/${staffSiteId}`, allowed: ['researcher', 'admin', 'site_staff'] },
      { method: 'POST', url: '/api/sites', payload: newSite, allowed: ['researcher', 'admin'] },
      { method: 'PATCH', url: `/api/sites/${otherSiteId}`, payload: () => ({ centrality: 3 }), allowed: ['researcher', 'admin'] },
    ])
  })

  it('serves the 15 counties of 2024 with their municipalities, each numbered within its county', async () => {
    const reply = await app.inject({ method: 'GET', url: '/api/reference/regions', headers: as('researcher') })
    const regions = reply.json<RegionsReply>()
    expect(regions.counties.map((county) => county.number)).toEqual(['03', '11', '15', '18', '31', '32', '33', '34', '39', '40', '42', '46', '50', '55', '56'])
    expect(regions.counties.find((county) => county.number === '46')?.name).toBe('Vestland')
    const municipalities = regions.counties.flatMap((county) => county.municipalities.map((m) => ({ ...m, county: county.number })))
    expect(municipalities.length).toBe(357)
    for (const m of municipalities) expect(m.number.slice(0, 2)).toBe(m.county)
    expect(new Set(municipalities.map((m) => m.number)).size).toBe(municipalities.length)
    expect(municipalities.find((m) => m.number === '4601')?.name).toBe('Bergen')
    expect(regions.siteKinds.map((kind) => kind.value)).toContain('street_outreach')
  })

  it('creates a site, deriving the county from the municipality, and audits it', async () => {
    const reply = await app.inject({
      method: 'POST',
      url: '/api/sites',
      headers: as('researcher'),
      payload: { name: '  Tromsø lavterskel ', kind: 'municipal_low_threshold', municipalityNumber: '5501', centrality: 3 },
    })
    expect(reply.statusCode, reply.body).toBe(201)
    const site = reply.json<Site>()
    expect(site).toMatchObject({ name: 'Tromsø lavterskel', municipalityNumber: '5501', municipalityName: 'Tromsø', countyNumber: '55', countyName: 'Troms', centrality: 3 })
    const stored = await database.db.selectFrom('sites').selectAll().where('id', '=', site.id).executeTakeFirstOrThrow()
    expect(stored.county_number).toBe('55')
    const [entry] = await auditEntries(database.db, 'site.create', site.id)
    expect(entry?.actor_email).toBe(sessions.researcher.account.email)
    expect(entry?.detail).toMatchObject({ name: 'Tromsø lavterskel', municipality: '5501', county: '55' })
  })

  it('refuses an unknown municipality or a county that does not match, naming them, and stores nothing', async () => {
    const before = await database.db.selectFrom('sites').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ ...newSite(), municipalityNumber: '9999' }, 'unknown_municipality', '9999'],
      [{ ...newSite(), municipalityNumber: '0302' }, 'unknown_municipality', '0302'],
      [{ ...newSite(), municipalityNumber: '4601', countyNumber: '03' }, 'unknown_county', '4601'],
      [{ ...newSite(), centrality: 7 }, 'bad_request', 'centrality'],
      [{ ...newSite(), kind: 'prison' }, 'bad_request', 'kind'],
      [{ ...newSite(), name: '   ' }, 'bad_request', 'name'],
    ]
    for (const [payload, code, named] of cases) {
      const reply = await app.inject({ method: 'POST', url: '/api/sites', headers: as('admin'), payload })
      expect(reply.statusCode, JSON.stringify(payload)).toBe(400)
      expect(reply.json().code).toBe(code)
      expect(reply.json().message).toContain(named)
    }
    const after = await database.db.selectFrom('sites').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('edits a site and records what it was before; a refused edit changes nothing', async () => {
    const site = (await app.inject({ method: 'POST', url: '/api/sites', headers: as('researcher'), payload: newSite() })).json<Site>()
    const edited = await app.inject({ method: 'PATCH', url: `/api/sites/${site.id}`, headers: as('admin'), payload: { municipalityNumber: '4627', kind: 'street_outreach' } })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json<Site>()).toMatchObject({ municipalityNumber: '4627', municipalityName: 'Askøy', countyNumber: '46', kind: 'street_outreach', name: site.name })
    const [entry] = await auditEntries(database.db, 'site.update', site.id)
    expect(entry?.detail).toMatchObject({ before: { municipality: '1103', county: '11', kind: 'housing' }, after: { municipality: '4627', county: '46', kind: 'street_outreach' } })

    const refused = await app.inject({ method: 'PATCH', url: `/api/sites/${site.id}`, headers: as('admin'), payload: { countyNumber: '03' } })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().message).toContain('county 46')
    const stored = await database.db.selectFrom('sites').selectAll().where('id', '=', site.id).executeTakeFirstOrThrow()
    expect(stored.county_number).toBe('46')
    expect(await auditEntries(database.db, 'site.update', site.id)).toHaveLength(1)

    const missing = await app.inject({ method: 'PATCH', url: '/api/sites/00000000-0000-4000-8000-000000000000', headers: as('admin'), payload: { centrality: 1 } })
    expect(missing.statusCode).toBe(404)
  })

  it('shows site staff their own site only', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/sites', headers: as('site_staff') })
    expect(list.json<{ sites: Site[] }>().sites.map((site) => site.id)).toEqual([staffSiteId])
    const other = await app.inject({ method: 'GET', url: `/api/sites/${otherSiteId}`, headers: as('site_staff') })
    expect(other.statusCode).toBe(403)
    const all = await app.inject({ method: 'GET', url: '/api/sites', headers: as('researcher') })
    expect(all.json<{ sites: Site[] }>().sites.map((site) => site.id)).toEqual(expect.arrayContaining([staffSiteId, otherSiteId]))
  })
})
