import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolDevice, revokeDevice } from '../../api/db/queries/devices.js'
import { createSite } from '../../api/db/queries/sites.js'
import type { KioskHelpReply } from '../../api/schemas/kiosk.js'
import { buildTestApp } from '../helpers/build-app.js'
import { createStudy, siteFixture } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

describe('GET /api/kiosk/help', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let study: StudyFixture

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database)).app
    study = await createStudy(database.db)
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })

  const help = (token: string | null) =>
    app.inject({ method: 'GET', url: '/api/kiosk/help', headers: token === null ? {} : { authorization: `Bearer ${token}` } })

  it('lists every helpline in both languages with the date it was checked', async () => {
    const reply = await help(study.token)
    expect(reply.statusCode).toBe(200)
    const body = reply.json<KioskHelpReply>()
    expect(body.lines.map((line) => line.contact)).toEqual(['112', '113', '116 117', '116 006', '116 111', '116 123', '22 40 00 40', 'dinutvei.no'])
    for (const line of body.lines) {
      expect(line.name.nb).not.toBe('')
      expect(line.name.en).not.toBe('')
      expect(line.checked).toBe('2026-11-26')
    }
    expect(body.note.nb).toMatch(/ikke sjekket/)
    // What the sector report says: both take in women in active substance use; men not checked.
    const centres = body.counties.flatMap((county) => county.centres.map((centre) => ({ county: county.name, ...centre })))
    expect(centres).toEqual([
      { county: 'Oslo', name: 'Thereses hus', checked: '2026-11-26', activeSubstanceUse: { women: 'yes', men: 'not_checked' } },
      { county: 'Agder', name: 'Sørlandet krisesenter', checked: '2026-11-26', activeSubstanceUse: { women: 'yes', men: 'not_checked' } },
    ])
  })

  it("puts the tablet's county first, also when no centre there has been checked yet", async () => {
    const agder = await createSite(database.db, siteFixture({ name: 'Kristiansand', municipality_number: '4204', county_number: '42' }))
    const vestland = await createSite(database.db, siteFixture({ name: 'Bergen', municipality_number: '4601', county_number: '46' }))
    const inAgder = (await help((await enrolDevice(database.db, agder.id, 'A')).token)).json<KioskHelpReply>()
    expect(inAgder.siteCounty).toBe('42')
    expect(inAgder.counties.map((county) => county.name)).toEqual(['Agder', 'Oslo'])
    const inVestland = (await help((await enrolDevice(database.db, vestland.id, 'B')).token)).json<KioskHelpReply>()
    expect(inVestland.counties.map((county) => [county.name, county.centres.length])).toEqual([['Vestland', 0], ['Oslo', 1], ['Agder', 1]])
  })

  it('answers only an enrolled, unrevoked tablet', async () => {
    expect((await help(null)).json()).toMatchObject({ code: 'unauthorized' })
    expect((await help('x'.repeat(43))).json()).toMatchObject({ code: 'device_unknown' })
    const { device, token } = await enrolDevice(database.db, study.site.id, 'Revoked')
    await revokeDevice(database.db, device.id)
    const reply = await help(token)
    expect(reply.statusCode).toBe(401)
    expect(reply.json()).toMatchObject({ code: 'device_revoked' })
  })
})
