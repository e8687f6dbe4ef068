import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kornGraubardProportion } from '../../analysis/korn-graubard-proportion.js'
import { RELIABILITY_TEXT, nchsReliability } from '../../analysis/reliability.js'
import type { SiteRow } from '../../api/db/database.js'
import { countCellsBySiteFiltered, findIndicators } from '../../api/db/queries/results.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { ReleaseDetail, ReleasePreview } from '../../api/schemas/releases.js'
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

/** Fine enough that some cells fail the standard (few respondents, 4 degrees of freedom) without being suppressed. */
const TABLES = [{ indicators: ['strangled_ever', 'raped_12m'], by: ['gender', 'age_group'] }] as const

describe('reliability flags, Korn–Graubard and what releases do with them', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let researcher: TestSession
  let sites: SiteRow[]
  let waveId = ''

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database)).app
    await publishDefinitions(database.db)
    sites = []
    for (const site of FIVE_SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Reliability wave', survey_version_id: version.id, opens_on: addDays(today, -10), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId, responses: 600, seed: 11 })
    researcher = await loginAs(app, database.db, 'researcher')
  }, 240_000)

  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  it('GET /api/results?method=korn-graubard: every row equals the estimator on per-site counts from an independent query, with its flags', async () => {
    const reply = await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}&indicators=strangled_ever,raped_12m&by=gender&method=korn-graubard`, headers: researcher.headers })
    expect(reply.statusCode, reply.body).toBe(200)
    const rows = reply.json<ResultsReply>().rows
    const found = await findIndicators(database.db, ['strangled_ever', 'raped_12m'])
    const counted = await countCellsBySiteFiltered(database.db, { waveIds: [waveId], indicators: [found.get('strangled_ever')!, found.get('raped_12m')!], dimensions: ['gender'] })
    const allSites = new Set(counted.map((row) => row.site)).size
    let checked = 0
    for (const row of rows.filter((r) => !r.suppressed)) {
      const i = row.indicator === 'strangled_ever' ? 0 : 1
      const perSite = new Map<string, { n: number, yes: number }>()
      for (const c of counted.filter((c) => (c.group.gender ?? 'unknown') === row.group.gender)) {
        const sum = perSite.get(c.site) ?? { n: 0, yes: 0 }
        perSite.set(c.site, { n: sum.n + (c.counts[i]?.n ?? 0), yes: sum.yes + (c.counts[i]?.yes ?? 0) })
      }
      const result = kornGraubardProportion([...perSite].map(([cluster, counts]) => ({ cluster, ...counts })), { clustersPerStratum: allSites })
      if (result.status !== 'estimated' || result.method !== 'korn-graubard') continue
      expect(row).toMatchObject({ method: 'korn-graubard', n: result.n, count: result.count, df: result.df })
      expect(row.ci_low).toBeCloseTo(result.lower, 12)
      expect(row.ci_high).toBeCloseTo(result.upper, 12)
      expect(row.effective_n).toBeCloseTo(result.effectiveN, 9)
      expect(row.reliability).toEqual(nchsReliability({ n: result.n, estimate: result.p, lower: result.lower, upper: result.upper, effectiveN: result.effectiveN, df: result.df }))
      // Five sites: 4 degrees of freedom at most, so every design-based row is at least flagged.
      expect(row.reliability?.flags).toContain('df_below_8')
      checked++
    }
    expect(checked).toBeGreaterThan(0)
  })

  it('a preview with unreliable: mark shows the failing estimates, marked with the reason (before any release, so nothing earlier weighs on it)', async () => {
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases/preview`, headers: researcher.headers, payload: { tables: TABLES, unreliable: 'mark' } })
    expect(reply.statusCode, reply.body).toBe(200)
    const preview = reply.json<ReleasePreview>()
    const failing = preview.rows.filter((row) => !row.suppressed && row.reliability?.publish === 'no')
    expect(failing.length).toBeGreaterThan(0)
    for (const row of failing) {
      expect(row.reliability?.withheld).toBe(false)
      expect(row.estimate).toBeTypeOf('number')
      expect(row.method).toBe('korn-graubard')
      expectExplained(row)
    }
  }, 240_000)

  it('a release without a method is Korn–Graubard with sites as clusters, and withholds what the standard says not to present, in both languages', async () => {
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { tables: TABLES } })
    expect(reply.statusCode, reply.body).toBe(201)
    const release = reply.json<ReleaseDetail>()
    expect(release.release).toMatchObject({ method: 'korn-graubard', unreliable: 'withhold' })
    expect(release.source).toMatch(/Korn–Graubard/)
    expect(release.source).toMatch(/NCHS presentation standard/)
    const published = release.rows.filter((row) => !row.suppressed)
    const withheld = published.filter((row) => row.reliability?.publish === 'no')
    const flagged = published.filter((row) => row.reliability?.publish === 'flag')
    expect(withheld.length, 'some cells fail a withholding rule').toBeGreaterThan(0)
    expect(flagged.length, 'some cells are only flagged').toBeGreaterThan(0)
    for (const row of withheld) {
      expect(row.reliability?.withheld).toBe(true)
      for (const key of ['estimate', 'ci_low', 'ci_high', 'deff', 'effective_n'] as const) expect(row).not.toHaveProperty(key)
      expectExplained(row)
    }
    for (const row of flagged) {
      expect(row.reliability?.withheld).toBe(false)
      expect(row.estimate).toBeTypeOf('number')
      expectExplained(row)
    }
    // A difference is never given from a withheld estimate.
    for (const difference of release.differences) {
      const women = published.find((row) => row.indicator === difference.indicator && Object.keys(row.group).join() === 'gender' && row.group.gender === 'woman')
      if (women?.reliability?.withheld === true) expect(difference).not.toHaveProperty('difference')
    }
    // The frozen release reads back the same for a funder.
    const read = await app.inject({ method: 'GET', url: `/api/releases/${release.release.id}`, headers: (await loginAs(app, database.db, 'funder')).headers })
    expect(read.json<ReleaseDetail>().rows).toEqual(release.rows)
  }, 240_000)

  function expectExplained (row: ResultRowReply): void {
    const flags = row.reliability?.flags ?? []
    expect(flags.length).toBeGreaterThan(0)
    for (const flag of flags) {
      expect(row.reliability?.explanation?.nb).toContain(RELIABILITY_TEXT[flag].nb)
      expect(row.reliability?.explanation?.en).toContain(RELIABILITY_TEXT[flag].en)
    }
  }
})
