import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteRow } from '../../api/db/database.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { AppError } from '../../api/errors.js'
import type { KioskWaveReply } from '../../api/schemas/kiosk.js'
import type { ReleaseDetail } from '../../api/schemas/releases.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { checkDefinitionsDir } from '../../survey-definitions/check.js'
import { INSTRUMENT_FILE, definitionsDir, loadDefinitions, readInstrument } from '../../survey-definitions/index.js'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { FIVE_SITES, createWave, siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const SECOND_DIR = resolve(fileURLToPath(new URL('../fixtures/definitions-second', import.meta.url)))
const SECOND = readInstrument(join(SECOND_DIR, 'nabolag', INSTRUMENT_FILE))
const HVERDAG = readInstrument(join(definitionsDir, 'hverdag', INSTRUMENT_FILE))

/**
 * A second instrument (test/fixtures/definitions-second/nabolag) with its own pages, privacy-check page and
 * headline indicators: nothing in the code may assume hverdag's.
 */
describe('a second instrument, beside hverdag', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sites: SiteRow[]
  let waveId: string
  let token: string
  let researcher: TestSession

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database)).app
    await publishDefinitions(database.db)
    expect(await publishDefinitions(database.db, loadDefinitions(SECOND_DIR))).toEqual([{ slug: 'nabolag', version: 1, outcome: 'published', languages: [] }])
    const version = await findSurveyVersion(database.db, 'nabolag', 1)
    if (version === undefined) throw new Error('nabolag v1 was not published')
    sites = []
    for (const site of FIVE_SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Neighbourhood wave', survey_version_id: version.id, opens_on: addDays(today, -5), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId, responses: 400, seed: 11 })
    token = (await enrolDevice(database.db, sites[0]!.id, 'Tablet N')).token
    researcher = await loginAs(app, database.db, 'researcher')
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  it('passes definitions:check, with rules that differ from hverdag\'s', () => {
    expect(checkDefinitionsDir(SECOND_DIR).problems).toEqual([])
    expect(SECOND.privacyCheckBefore).not.toBe(HVERDAG.privacyCheckBefore)
    expect(SECOND.headline.indicators.filter((name) => HVERDAG.headline.indicators.includes(name))).toEqual([])
  })

  it('is published with its own rules stored beside hverdag\'s', async () => {
    const rows = await database.db.selectFrom('survey_versions').select(['slug', 'version', 'rules']).orderBy('slug').orderBy('version').execute()
    expect(rows).toEqual([
      { slug: 'hverdag', version: 1, rules: { privacyCheckBefore: HVERDAG.privacyCheckBefore, headline: HVERDAG.headline } },
      { slug: 'hverdag', version: 2, rules: { privacyCheckBefore: HVERDAG.privacyCheckBefore, headline: HVERDAG.headline } },
      { slug: 'nabolag', version: 1, rules: { privacyCheckBefore: 'page_street_intro', headline: SECOND.headline } },
    ])
  })

  it('tells the kiosk that serves it to ask the privacy check before its own page', async () => {
    const reply = await app.inject({ method: 'GET', url: '/api/kiosk/wave', headers: { authorization: `Bearer ${token}` } })
    expect(reply.statusCode, reply.body).toBe(200)
    expect(reply.json<KioskWaveReply>()).toMatchObject({ waveId, slug: 'nabolag', version: 1, privacyCheckBefore: 'page_street_intro' })
  })

  it('makes a release that leads with its headline indicators, by its breakdowns', async () => {
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { tables: [{ indicators: ['sleep_poor_1m'], by: ['gender'] }] } })
    expect(reply.statusCode, reply.body).toBe(201)
    const detail = reply.json<ReleaseDetail>()
    expect(detail.tables.filter((table) => table.overview)).toEqual([
      { indicator: 'threatened_outdoors_12m', by: [], overview: true },
      { indicator: 'threatened_outdoors_12m', by: ['age_group'], overview: true },
      { indicator: 'hit_outdoors_12m', by: [], overview: true },
      { indicator: 'hit_outdoors_12m', by: ['age_group'], overview: true },
    ])
    expect(detail.tables).toContainEqual({ indicator: 'sleep_poor_1m', by: ['gender'], overview: false })
    expect(detail.indicators.filter((indicator) => indicator.headline).map((indicator) => indicator.name)).toEqual(SECOND.headline.indicators)
    expect(detail.differences.filter((d) => d.kind === 'women_minus_men').map((d) => d.indicator)).toEqual(SECOND.headline.indicators)
    // Read back from storage: the same rows the release answered with.
    const read = await app.inject({ method: 'GET', url: `/api/releases/${detail.release.id}`, headers: researcher.headers })
    expect(read.json<ReleaseDetail>().rows).toEqual(detail.rows)
  }, 120_000)

  it('refuses to publish the version again with other rules, and names what was published', async () => {
    const [def] = loadDefinitions(SECOND_DIR)
    if (def === undefined) throw new Error('no nabolag definition')
    const changed = { ...def, rules: { ...def.rules, privacyCheckBefore: 'page_hit' } }
    const refusal = await publishDefinitions(database.db, [changed]).catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(AppError)
    expect((refusal as AppError).statusCode).toBe(409)
    expect((refusal as AppError).message).toMatch(/nabolag v1 was published with other rules .*"privacyCheckBefore":"page_street_intro".*versions\.1/)
    const stored = await database.db.selectFrom('survey_versions').select('rules').where('slug', '=', 'nabolag').executeTakeFirstOrThrow()
    expect(stored.rules.privacyCheckBefore).toBe('page_street_intro')
  })
})
