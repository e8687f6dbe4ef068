import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { weightedDesignProportion } from '../../analysis/weighted-design-proportion.js'
import type { SiteRow } from '../../api/db/database.js'
import { countCellsBySite, countCellsBySiteFiltered, findIndicators } from '../../api/db/queries/results.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { ProgressReply } from '../../api/schemas/progress.js'
import type { ReleaseDetail } from '../../api/schemas/releases.js'
import type { ResultRowReply, ResultsReply } from '../../api/schemas/results.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { FIVE_SITES, siteFixture, createWave } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

// Written apart from the code under test: the visits each v2 answer stands for, and the weight rule
// the README states (1 / visits, at most 7 counted; "don't know", "prefer not to say" or none: 1).
const BAND_VISITS: Record<string, number> = { once: 1, '2_3': 2.5, '4_6': 5, '7_plus': 7 }
const weightOf = (answer: unknown): number => typeof answer === 'string' && answer in BAND_VISITS ? 1 / Math.min(7, BAND_VISITS[answer] as number) : 1

interface Respondent { site: string, gender: string | null, answers: Record<string, unknown>, values: Array<boolean | null>, visits: number | null, answeredBefore: boolean }

describe('attendance weights and repeat participation (hverdag v2)', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let researcher: TestSession
  let sites: SiteRow[]
  let waveId = ''
  let respondents: Respondent[] = []
  let strangled = 0

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database)).app
    await publishDefinitions(database.db)
    sites = []
    // Fixed site ids: the synthetic answers then depend on the seed alone (a site's exposure comes from its id,
    // and the seed assigns sites in id order), so every run sees the same wave and the same releases.
    for (const [i, site] of FIVE_SITES.entries()) sites.push(await createSite(database.db, siteFixture({ ...site, id: `00000000-0000-4000-8000-a77e0000000${i + 1}` })))
    const version = await findSurveyVersion(database.db, 'hverdag', 2)
    if (version === undefined) throw new Error('hverdag v2 was not published')
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Attendance wave', survey_version_id: version.id, opens_on: addDays(today, -10), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId, responses: 500, seed: 5 })
    strangled = (await findIndicators(database.db, ['strangled_ever'])).get('strangled_ever')?.id ?? 0
    const rows = await sql<{ site: string, gender: string | null, answers: Record<string, unknown>, values: Array<boolean | null>, visits: number | null, answered_before: boolean }>`
      select f.site_id::text as site, f.gender, r.answers, f.indicator_values as values, f.visits, f.answered_before
      from response_facts f join responses r on r.id = f.response_id where f.wave_id = ${waveId}`.execute(database.db)
    respondents = rows.rows.map((row) => ({ site: row.site, gender: row.gender, answers: row.answers, values: row.values, visits: row.visits === null ? null : Number(row.visits), answeredBefore: row.answered_before }))
    researcher = await loginAs(app, database.db, 'researcher')
  }, 240_000)

  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  it('intake stores, per response, the visits its answer stands for and whether it said "already answered"', () => {
    expect(respondents).toHaveLength(500)
    for (const r of respondents) {
      const band = r.answers.visits_here
      expect(r.visits).toBe(typeof band === 'string' && band in BAND_VISITS ? BAND_VISITS[band] : null)
      expect(r.answeredBefore).toBe(r.answers.answered_before === 'yes')
    }
    // The synthetic wave has every band, "don't know" and some repeats, so the checks below mean something.
    expect(new Set(respondents.map((r) => r.visits)).size).toBe(5)
    expect(respondents.filter((r) => r.answeredBefore).length).toBeGreaterThan(5)
  })

  it('the per-site totals split by weight class and leave repeats out exactly as the row-level count does', async () => {
    const query = { waveIds: [waveId], indicators: [{ id: strangled, name: 'strangled_ever' }], dimensions: ['gender' as const], byVisits: true }
    const key = (row: { site: string, group: Record<string, string | null>, visits: number | null }): string => `${row.site}|${row.group.gender}|${row.visits}`
    for (const answeredBefore of ['exclude', 'include'] as const) {
      const totals = await countCellsBySite(database.db, { ...query, answeredBefore })
      const filtered = await countCellsBySiteFiltered(database.db, { ...query, answeredBefore })
      expect(new Map(totals.map((row) => [key(row), row.counts]))).toEqual(new Map(filtered.map((row) => [key(row), row.counts])))
      const n = totals.reduce((s, row) => s + (row.counts[0]?.n ?? 0), 0)
      const expected = respondents.filter((r) => (answeredBefore === 'include' || !r.answeredBefore) && r.values[strangled - 1] !== null).length
      expect(n).toBe(expected)
    }
  })

  /** The weighted Korn–Graubard or logit estimate of strangled_ever for one gender, from the respondents themselves. */
  function expected (gender: string | undefined, interval: 'logit' | 'korn-graubard', include = false) {
    const perSite = new Map(sites.map((site) => [site.id, { cluster: site.id, n: 0, yes: 0, weight: 0, weightedYes: 0 }]))
    const present = new Set(respondents.filter((r) => include || !r.answeredBefore).map((r) => r.site))
    for (const r of respondents) {
      const value = r.values[strangled - 1]
      if ((!include && r.answeredBefore) || value === null || value === undefined || (gender !== undefined && (r.gender ?? 'unknown') !== gender)) continue
      const w = weightOf(r.answers.visits_here)
      const c = perSite.get(r.site)!
      c.n++
      c.weight += w
      if (value) { c.yes++; c.weightedYes += w }
    }
    return weightedDesignProportion([...perSite.values()].filter((c) => present.has(c.cluster)), { interval })
  }

  it('GET /api/results?weights=attendance equals the weighted estimator on every respondent\'s own weight, logit and Korn–Graubard', async () => {
    for (const [method, interval] of [['korn-graubard', 'korn-graubard'], ['cluster', 'logit']] as const) {
      const reply = await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}&indicators=strangled_ever&by=&by=gender&method=${method}&weights=attendance&k=3`, headers: researcher.headers })
      expect(reply.statusCode, reply.body).toBe(200)
      const checked: string[] = []
      for (const row of reply.json<ResultsReply>().rows.filter((r) => !r.suppressed)) {
        const result = expected(row.group.gender, interval)
        if (result.status !== 'estimated') continue
        expect(row).toMatchObject({ weighted: true, n: result.n, count: result.count, df: result.df })
        expect(row.estimate).toBeCloseTo(result.p, 10)
        expect(row.ci_low).toBeCloseTo(result.lower, 10)
        expect(row.ci_high).toBeCloseTo(result.upper, 10)
        checked.push(row.group.gender ?? 'whole wave')
      }
      // Site ids, and so the sites' exposure, are random: the small genders may be suppressed and the solver
      // may then hide "woman" too, but the whole wave and the largest gender are always published.
      expect(checked).toEqual(expect.arrayContaining(['whole wave', 'man']))
    }
    const unweighted = await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}&indicators=strangled_ever&method=korn-graubard`, headers: researcher.headers })
    const weighted = await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}&indicators=strangled_ever&method=korn-graubard&weights=attendance`, headers: researcher.headers })
    const [u, w] = [unweighted.json<ResultsReply>().rows[0]!, weighted.json<ResultsReply>().rows[0]!]
    expect(u.n).toBe(w.n)
    expect(u.weighted).toBeUndefined()
    // Weights move the estimate (and the test above pins by how much); the counts stay the respondents'.
    expect(Math.abs(w.estimate! - u.estimate!)).toBeGreaterThan(1e-6)
  })

  it('repeats are left out by default and counted with repeats=include; bad settings are refused by name', async () => {
    const get = async (query: string) => await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}&indicators=strangled_ever&${query}`, headers: researcher.headers })
    const excluded = (await get('method=korn-graubard')).json<ResultsReply>().rows[0]!
    const included = (await get('method=korn-graubard&repeats=include')).json<ResultsReply>().rows[0]!
    const repeats = respondents.filter((r) => r.answeredBefore && r.values[strangled - 1] !== null).length
    expect(included.n! - excluded.n!).toBe(repeats)
    const withRepeats = expected(undefined, 'korn-graubard', true)
    if (withRepeats.status === 'estimated') {
      const weighted = (await get('method=korn-graubard&repeats=include&weights=attendance')).json<ResultsReply>().rows[0]!
      expect(weighted.ci_low).toBeCloseTo(withRepeats.lower, 10)
    }
    expect((await get('weights=attendance')).json()).toMatchObject({ message: expect.stringMatching(/weights=attendance needs a design-based method/) })
    expect((await get('method=cluster&weights=people')).json()).toMatchObject({ message: expect.stringMatching(/unknown weights "people"/) })
    expect((await get('repeats=maybe')).json()).toMatchObject({ message: expect.stringMatching(/unknown repeats "maybe"/) })
  })

  it('the progress view tells researchers how many said they had already answered, and site staff nothing of it', async () => {
    const progress = (await app.inject({ method: 'GET', url: `/api/progress/${waveId}`, headers: researcher.headers })).json<ProgressReply>()
    expect(progress.answeredBefore).toEqual({ count: respondents.filter((r) => r.answeredBefore).length, of: 500 })
    const staff = await loginAs(app, database.db, 'site_staff', { siteId: sites[0]!.id })
    const seen = await app.inject({ method: 'GET', url: `/api/progress/${waveId}`, headers: staff.headers })
    expect(seen.statusCode, seen.body).toBe(200)
    expect(seen.json<ProgressReply>()).not.toHaveProperty('answeredBefore')
  })

  it('a weighted release says so, equals the weighted results, counts the repeats in notes in both languages, and gives no unweighted differences', async () => {
    const refused = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { method: 'wilson', weights: 'attendance' } })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().message).toMatch(/attendance weights need a design-based method/)

    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { weights: 'attendance', unreliable: 'mark' } })
    expect(reply.statusCode, reply.body).toBe(201)
    const release = reply.json<ReleaseDetail>()
    expect(release.release).toMatchObject({ method: 'korn-graubard', weights: 'attendance', repeats: 'exclude' })
    expect(release.source).toMatch(/weighted by attendance/)
    const repeats = respondents.filter((r) => r.answeredBefore).length
    expect(release.notes).toHaveLength(2)
    expect(release.notes[0]?.en).toMatch(/Weighted by attendance/)
    expect(release.notes[0]?.nb).toMatch(/Vektet etter oppmøte/)
    expect(release.notes[1]?.en).toBe(`${repeats} respondents said they had already answered in this round; they are kept but not counted in the figures.`)
    expect(release.notes[1]?.nb).toMatch(new RegExp(`^${repeats} svarte at de allerede hadde svart`))
    const overall = release.rows.find((row: ResultRowReply) => row.indicator === 'strangled_ever' && Object.keys(row.group).length === 0)!
    const result = expected(undefined, 'korn-graubard')
    if (result.status !== 'estimated') throw new Error('the overall weighted estimate should exist')
    expect(overall).toMatchObject({ weighted: true, n: result.n })
    expect(overall.estimate).toBeCloseTo(result.p, 10)
    expect(overall.ci_low).toBeCloseTo(result.lower, 10)
    expect(release.differences.length).toBeGreaterThan(0)
    for (const difference of release.differences) {
      expect(difference.difference).toBeUndefined()
      expect(difference.reason).toMatch(/weighted by attendance/)
    }
    const read = await app.inject({ method: 'GET', url: `/api/releases/${release.release.id}`, headers: researcher.headers })
    expect(read.json<ReleaseDetail>().notes).toEqual(release.notes)
  }, 240_000)

  it('a release may count repeats after one that left them out, but not leave them out again after that', async () => {
    const include = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { repeats: 'include', unreliable: 'mark' } })
    expect(include.statusCode, include.body).toBe(201)
    const release = include.json<ReleaseDetail>()
    expect(release.release).toMatchObject({ weights: 'none', repeats: 'include' })
    expect(release.notes[1]?.en).toMatch(/they are counted in the figures/)
    const overall = release.respondents.find((row) => Object.keys(row.group).length === 0)
    expect(overall?.n).toBe(500)
    const again = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { repeats: 'exclude' } })
    expect(again.statusCode).toBe(400)
    expect(again.json().message).toMatch(/must count them too/)
  }, 240_000)
})
