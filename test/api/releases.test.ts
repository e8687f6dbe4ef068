import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditSuppression } from '../../analysis/disclosure-control/audit-suppression.js'
import { suppressRelease } from '../../analysis/disclosure-control/suppress-release.js'
import type { CellGroup, ControlledTable, ReleaseTable } from '../../analysis/disclosure-control/types.js'
import type { Role } from '../../api/auth/roles.js'
import type { SiteRow } from '../../api/db/database.js'
import { countCellsBySiteFiltered, findIndicators } from '../../api/db/queries/results.js'
import type { ResultDimension } from '../../api/db/queries/results.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { ReleaseDetail, ReleaseList, ReleaseTableSpec } from '../../api/schemas/releases.js'
import type { ResultRowReply } from '../../api/schemas/results.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { INSTRUMENT_FILE, definitionsDir, readInstrument } from '../../survey-definitions/index.js'
import { acceptResponseAtSite } from '../../api/services/intake.js'
import { seedSyntheticResponses, syntheticAnswers } from '../../api/services/synthetic-responses.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { siteFixture, FIVE_SITES, createWave } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/** hverdag's headline indicators, as its instrument file states them (survey-definitions/hverdag/instrument.json). */
const HEADLINE_INDICATORS = readInstrument(join(definitionsDir, 'hverdag', INSTRUMENT_FILE)).headline.indicators

const NUMBERS = ['n', 'count', 'estimate', 'ci_low', 'ci_high', 'deff'] as const
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000'
const SITES = FIVE_SITES
/** The researcher's tables for the later wave: a crossing fine enough that some cells must be suppressed. */
const CHOSEN = [
  { indicators: ['any_violence_12m', 'raped_12m'], by: ['county', 'gender'] },
  { indicators: ['raped_12m'], by: ['gender', 'age_group', 'county'] },
  { indicators: ['strangled_ever'], by: ['municipality'] },
  { indicators: ['strangled_ever'], by: ['county'] },
] as const

describe('results releases', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let logLines: () => string[]
  let sites: SiteRow[]
  let surveys: CompiledSurveyCache
  const waves: Record<'earlier' | 'later' | 'unreleased' | 'empty', string> = { earlier: '', later: '', unreleased: '', empty: '' }
  const sessions = {} as Record<Role, TestSession>

  async function makeWave (name: string, opensDaysAgo: number, responses: number, seed: number): Promise<string> {
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name, survey_version_id: version.id, opens_on: addDays(today, -opensDaysAgo), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    if (responses > 0) await seedSyntheticResponses({ db: database.db, surveys, timeZone: 'Europe/Oslo' }, { waveId: wave.id, responses, seed })
    return wave.id
  }

  beforeAll(async () => {
    database = await openTestDatabase()
    const built = await buildTestApp(database)
    app = built.app
    logLines = built.logLines
    await publishDefinitions(database.db)
    surveys = new CompiledSurveyCache(database.db)
    sites = []
    for (const site of SITES) sites.push(await createSite(database.db, siteFixture(site)))
    waves.earlier = await makeWave('Spring wave', 60, 700, 3)
    waves.later = await makeWave('Autumn wave', 10, 1500, 5)
    waves.unreleased = await makeWave('Unreleased wave', 5, 60, 7)
    waves.empty = await makeWave('Empty wave', 2, 0, 0)
    for (const role of ['admin', 'researcher', 'site_staff', 'funder', 'auditor'] as const) {
      sessions[role] = await loginAs(app, database.db, role, role === 'site_staff' ? { siteId: sites[0]?.id as string } : {})
    }
  }, 240_000)

  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: Role | null): Record<string, string> => (role === null ? {} : sessions[role].headers)

  async function release (waveId: string, body: object, role: Role = 'researcher'): Promise<ReleaseDetail> {
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: as(role), payload: body })
    expect(reply.statusCode, reply.body).toBe(201)
    return reply.json<ReleaseDetail>()
  }

  async function read (id: string, role: Role = 'funder'): Promise<ReleaseDetail> {
    const reply = await app.inject({ method: 'GET', url: `/api/releases/${id}`, headers: as(role) })
    expect(reply.statusCode, reply.body).toBe(200)
    return reply.json<ReleaseDetail>()
  }

  /** True counts of a release's tables, counted again by the filtered-count query (not the lanes the release used). */
  async function countedTables (waveId: string, specs: readonly ReleaseTableSpec[]): Promise<ReleaseTable[]> {
    const names = [...new Set(specs.map((spec) => spec.indicator))]
    const found = await findIndicators(database.db, names)
    const dimensions = [...new Set(specs.flatMap((spec) => spec.by))] as ResultDimension[]
    const rows = await countCellsBySiteFiltered(database.db, { waveIds: [waveId], indicators: names.map((name) => found.get(name)!), dimensions })
    return specs.map((spec) => {
      const i = names.indexOf(spec.indicator)
      const cells = new Map<string, { group: CellGroup, n: number, yes: number }>()
      if (spec.by.length === 0) cells.set('[]', { group: {}, n: 0, yes: 0 })
      for (const row of rows) {
        const group = Object.fromEntries(spec.by.map((d) => [d, row.group[d] ?? 'unknown']))
        const key = JSON.stringify(spec.by.map((d) => group[d]))
        const cell = cells.get(key) ?? { group, n: 0, yes: 0 }
        cells.set(key, { group, n: cell.n + (row.counts[i]?.n ?? 0), yes: cell.yes + (row.counts[i]?.yes ?? 0) })
      }
      return { indicator: spec.indicator, breakdown: spec.by, cells: [...cells.values()] }
    })
  }

  /** The release's tables as an attacker reads them: published counts, or only that a cell is suppressed. */
  function publishedTables (detail: ReleaseDetail): ControlledTable[] {
    return detail.tables.map((spec) => ({
      indicator: spec.indicator,
      breakdown: spec.by,
      cells: detail.rows
        .filter((row) => row.indicator === spec.indicator && sameKeys(row.group, spec.by))
        .map((row) => row.suppressed
          ? { group: row.group, suppressed: true as const, reason: row.rule === 'complementary' ? 'secondary' as const : 'primary' as const, rule: row.rule as never }
          : { group: row.group, suppressed: false as const, n: row.n as number, yes: row.count as number, no: (row.n as number) - (row.count as number) }),
    }))
  }

  // jsonb keeps its own key order, so groups are compared by their sorted entries.
  const groupKey = (group: Record<string, string>): string => JSON.stringify(Object.entries(group).sort())
  const sameKeys = (group: Record<string, string>, by: readonly string[]): boolean =>
    Object.keys(group).length === by.length && by.every((d) => Object.hasOwn(group, d))

  /** The release's own counted tables in the order of its published ones (cells matched by group). */
  function inPublishedOrder (counted: readonly ReleaseTable[], published: readonly ControlledTable[]): ReleaseTable[] {
    return published.map((table, t) => ({
      ...(counted[t] as ReleaseTable),
      cells: table.cells.map((cell) => (counted[t] as ReleaseTable).cells.find((c) => groupKey(c.group) === groupKey(cell.group)) ?? { group: cell.group, n: 0, yes: 0 }),
    }))
  }

  function expectNoNumbersWhenSuppressed (rows: readonly ResultRowReply[]): void {
    for (const row of rows.filter((r) => r.suppressed)) {
      for (const key of NUMBERS) expect(row).not.toHaveProperty(key)
      expect(row.reason).toMatch(/^suppressed \((primary|secondary)\)/)
    }
  }

  describe('who may call what', () => {
    const ROLES = ['admin', 'researcher', 'site_staff', 'funder', 'auditor'] as const
    const cases: Array<{ method: 'GET' | 'POST' | 'DELETE', url: () => string, allowed: readonly Role[], allowedStatus: number }> = [
      // An unknown wave or release: an allowed role gets past access control to the 404 that names it.
      { method: 'POST', url: () => `/api/waves/${NO_SUCH_ID}/releases`, allowed: ['researcher', 'admin'], allowedStatus: 404 },
      { method: 'GET', url: () => `/api/waves/${waves.earlier}/releases`, allowed: ['researcher', 'admin'], allowedStatus: 200 },
      { method: 'GET', url: () => '/api/releases', allowed: ['funder', 'researcher', 'admin'], allowedStatus: 200 },
      { method: 'GET', url: () => `/api/releases/${NO_SUCH_ID}`, allowed: ['funder', 'researcher', 'admin'], allowedStatus: 404 },
      { method: 'GET', url: () => `/api/releases/${NO_SUCH_ID}/audit`, allowed: ['researcher', 'admin'], allowedStatus: 404 },
      { method: 'POST', url: () => `/api/releases/${NO_SUCH_ID}/public-link`, allowed: ['researcher', 'admin'], allowedStatus: 404 },
      { method: 'DELETE', url: () => `/api/releases/${NO_SUCH_ID}/public-link`, allowed: ['researcher', 'admin'], allowedStatus: 404 },
      { method: 'GET', url: () => `/api/results?waves=${waves.unreleased}&indicators=any_violence_ever`, allowed: ['researcher', 'admin'], allowedStatus: 200 },
    ]

    it('gives each role exactly what it may, 403 to the others and 401 without a session', async () => {
      for (const { method, url, allowed, allowedStatus } of cases) {
        for (const role of [...ROLES, null]) {
          const reply = await app.inject({ method, url: url(), headers: as(role), ...(method === 'POST' ? { payload: {} } : {}) })
          const expected = role === null ? 401 : allowed.includes(role) ? allowedStatus : 403
          expect(reply.statusCode, `${method} ${url()} as ${role ?? 'nobody'}: ${reply.body}`).toBe(expected)
          if (expected >= 400) expect(reply.json<{ message: string }>().message.length).toBeGreaterThan(10)
        }
      }
    })

    it('lets anyone read a public link, and answers 404 for a token that names no release', async () => {
      const reply = await app.inject({ method: 'GET', url: '/api/public/releases/not-a-real-token' })
      expect(reply.statusCode).toBe(404)
      expect(reply.json<{ message: string }>().message).toMatch(/does not exist or was revoked/)
    })

    it('refuses a release without the CSRF header', async () => {
      const reply = await app.inject({ method: 'POST', url: `/api/waves/${waves.later}/releases`, headers: { cookie: sessions.researcher.headers.cookie as string }, payload: {} })
      expect(reply.statusCode).toBe(403)
      expect(reply.json<{ code: string }>().code).toBe('csrf_failed')
    })
  })

  describe('a release of the earlier wave, then of the later one', () => {
    let spring: ReleaseDetail
    let autumn: ReleaseDetail

    beforeAll(async () => {
      spring = await release(waves.earlier, { method: 'cluster' }, 'admin')
      autumn = await release(waves.later, { tables: CHOSEN, k: 5 })
    }, 120_000)

    it('holds the overview set, every chosen table, and counts that a second, independent count confirms', async () => {
      const headline = [...HEADLINE_INDICATORS]
      for (const indicator of headline) {
        expect(autumn.tables).toContainEqual({ indicator, by: [], overview: true })
        expect(autumn.tables).toContainEqual({ indicator, by: ['gender'], overview: true })
      }
      expect(autumn.tables).toContainEqual({ indicator: 'raped_12m', by: ['gender', 'age_group', 'county'], overview: false })
      expect(autumn.indicators.filter((i) => i.headline).map((i) => i.name)).toEqual(headline)
      expect(autumn.indicators.find((i) => i.name === 'strangled_ever')?.label.nb).toMatch(/\S/)
      expect(autumn.release).toMatchObject({ waveId: waves.later, waveName: 'Autumn wave', status: 'current', supersededBy: null, k: 5, method: 'korn-graubard', unreliable: 'withhold', level: 0.95 })

      const counted = await countedTables(waves.later, autumn.tables)
      for (const [t, spec] of autumn.tables.entries()) {
        const rows = autumn.rows.filter((row) => row.indicator === spec.indicator && sameKeys(row.group, spec.by))
        expect(rows.length, `${spec.indicator} by ${spec.by.join(',')}`).toBe((counted[t] as ReleaseTable).cells.length)
        for (const row of rows.filter((r) => !r.suppressed)) {
          const cell = (counted[t] as ReleaseTable).cells.find((c) => groupKey(c.group) === groupKey(row.group))
          expect([row.n, row.count]).toEqual([cell?.n, cell?.yes])
        }
      }
      const total = await database.db.selectFrom('response_facts').select((eb) => eb.fn.countAll<number>().as('n')).where('wave_id', '=', waves.later).executeTakeFirstOrThrow()
      expect(autumn.release.respondents).toBe(Number(total.n))
      expect(autumn.respondents.find((row) => Object.keys(row.group).length === 0)?.n).toBe(Number(total.n))
      expect(autumn.source).toContain(`${Number(total.n)} respondents at 5 sites`)
    })

    it('suppresses cells below k across all its tables so that none can be recovered, and shows no numbers for them', async () => {
      const suppressed = autumn.rows.filter((row) => row.suppressed)
      expect(suppressed.some((row) => row.rule !== 'complementary')).toBe(true)
      expect(suppressed.some((row) => row.rule === 'complementary')).toBe(true)
      expectNoNumbersWhenSuppressed(autumn.rows)
      for (const row of autumn.respondents.filter((r) => r.suppressed)) expect(row).not.toHaveProperty('n')

      const published = publishedTables(autumn)
      const counted = inPublishedOrder(await countedTables(waves.later, autumn.tables), published)
      const implied = [{ from: 'municipality', to: 'county', values: Object.fromEntries(SITES.map((s) => [s.municipality_number, s.county_number])) }]
      const audit = auditSuppression(counted, published, { k: 5, impliedDimensions: implied })
      expect(audit.findings).toEqual([])
      // The audit is not blind: publishing the complementary cells lets it recover the primary ones.
      const primaryOnly = published.map((table, t) => ({
        ...table,
        cells: table.cells.map((cell, c) => {
          if (!cell.suppressed || cell.rule !== 'complementary') return cell
          const truth = (counted[t] as ReleaseTable).cells[c] as { n: number, yes: number }
          return { group: cell.group, suppressed: false as const, n: truth.n, yes: truth.yes, no: truth.n - truth.yes }
        }),
      }))
      expect(auditSuppression(counted, primaryOnly, { k: 5, impliedDimensions: implied }).safe).toBe(false)
    })

    it('freezes women minus men for each headline indicator, never from a suppressed cell', () => {
      const differences = autumn.differences.filter((d) => d.kind === 'women_minus_men')
      expect(differences.map((d) => d.indicator)).toEqual([...HEADLINE_INDICATORS])
      for (const d of differences) {
        const women = autumn.rows.find((row) => row.indicator === d.indicator && row.group.gender === 'woman' && Object.keys(row.group).length === 1)
        const men = autumn.rows.find((row) => row.indicator === d.indicator && row.group.gender === 'man' && Object.keys(row.group).length === 1)
        if (women?.suppressed === true || men?.suppressed === true) {
          expect(d).toMatchObject({ suppressed: true })
          expect(d).not.toHaveProperty('difference')
          expect(d).not.toHaveProperty('ci_low')
          continue
        }
        expect(d.suppressed).toBe(false)
        if (women?.reliability?.withheld === true || men?.reliability?.withheld === true) {
          expect(d.reason).toMatch(/withheld as unreliable/)
          expect(d).not.toHaveProperty('difference')
          if (women?.reliability?.withheld === true) expect(d.first).not.toHaveProperty('estimate')
          if (men?.reliability?.withheld === true) expect(d.second).not.toHaveProperty('estimate')
          continue
        }
        expect(d.first).toMatchObject({ label: 'women', n: women?.n, count: women?.count })
        expect(d.difference).toBeCloseTo((women?.estimate as number) - (men?.estimate as number), 12)
        // Korn–Graubard with sites as clusters by default: the difference is design-based too.
        expect(d.method).toBe('design-linearised')
        expect(d.ci_low as number).toBeLessThan(d.difference as number)
        expect(d.ci_high as number).toBeGreaterThan(d.difference as number)
      }
      // The earlier wave was released design-based: its differences are too.
      expect(spring.differences.some((d) => d.method === 'design-linearised')).toBe(true)
    })

    it('freezes this wave minus the previous released wave, from the two releases\' published cells', () => {
      const differences = autumn.differences.filter((d) => d.kind === 'wave_minus_previous')
      expect(differences.length).toBe(HEADLINE_INDICATORS.length * 3)
      const overall = differences.find((d) => d.indicator === 'any_violence_ever' && Object.keys(d.group).length === 0)
      const now = autumn.rows.find((row) => row.indicator === 'any_violence_ever' && Object.keys(row.group).length === 0)
      const before = spring.rows.find((row) => row.indicator === 'any_violence_ever' && Object.keys(row.group).length === 0)
      expect(overall).toMatchObject({ first: { label: 'Autumn wave', waveId: waves.later }, second: { label: 'Spring wave', waveId: waves.earlier } })
      expect(overall?.difference).toBeCloseTo((now?.estimate as number) - (before?.estimate as number), 12)
      expect(spring.differences.filter((d) => d.kind === 'wave_minus_previous')).toEqual([])
    })

    it('serves every note as a code with its numbers, read from the sentences the release froze, with no id', async () => {
      expect(autumn).toMatchObject({ sites: SITES.length, lead: 'any_violence_12m' })
      const explained = autumn.rows.filter((row) => !row.suppressed && row.reason !== undefined)
      // A county with one site answers a county table from one site: a note, not a design-based interval.
      expect(explained.some((row) => row.notes?.some((note) => note.code === 'one_site'))).toBe(true)
      for (const row of explained) {
        expect(row.notes?.length, row.reason).toBe(1)
        expect(row.notes?.map((note) => note.code), row.reason).not.toContain('unexplained')
      }
      for (const row of autumn.rows.filter((candidate) => candidate.suppressed)) expect(row).not.toHaveProperty('notes')
      for (const d of autumn.differences.filter((candidate) => candidate.reason !== undefined || candidate.note !== undefined)) {
        expect(d.notes?.length, `${d.reason ?? ''} ${d.note ?? ''}`).toBeGreaterThan(0)
        expect(d.notes?.map((note) => note.code)).not.toContain('unexplained')
      }
      for (const d of autumn.differences.filter((candidate) => candidate.kind === 'wave_minus_previous' && candidate.difference !== undefined)) {
        expect(d.notes).toContainEqual({ code: 'independent_waves' })
      }
      // The frozen record is the analysis's sentences (a one-site one names the site); the notes are read from them when served.
      const stored = await database.db.selectFrom('results_releases').select(['result_rows', 'differences']).where('id', '=', autumn.release.id).executeTakeFirstOrThrow()
      expect(stored.result_rows.some((row) => /one cluster \("[0-9a-f-]{36}"\)/.test(row.reason ?? ''))).toBe(true)
      expect(stored.result_rows.filter((row) => 'notes' in row)).toEqual([])
      expect(stored.differences.filter((d) => 'notes' in d)).toEqual([])
      expect(JSON.stringify(autumn.rows.map((row) => row.notes))).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
    })

    it('does not change when responses arrive after it, and a new release supersedes it with suppression across both', async () => {
      const before = await read(autumn.release.id)
      // Two late uploads: any cell they fall in changes by fewer than k, so subtracting the releases would find them.
      await seedSyntheticResponses({ db: database.db, surveys, timeZone: 'Europe/Oslo' }, { waveId: waves.later, responses: 2, seed: 99 })
      expect(await read(autumn.release.id)).toEqual(before)

      const next = await release(waves.later, {})
      const old = await read(autumn.release.id)
      expect(old.release).toMatchObject({ status: 'superseded', supersededBy: next.release.id })
      expect(old.rows).toEqual(before.rows)
      for (const spec of autumn.tables) expect(next.tables.map((t) => `${t.indicator}|${t.by.join(',')}`)).toContain(`${spec.indicator}|${spec.by.join(',')}`)
      expect(next.rows.some((row) => row.rule === 'change_below_k')).toBe(true)
      // Two more respondents than the first release counted: the total would single them out, so it is withheld.
      expect(next.respondents.find((row) => Object.keys(row.group).length === 0)).toMatchObject({ suppressed: true, rule: 'change_below_k' })
      expect(next.release).not.toHaveProperty('respondents')
      expect(next.source).toContain('respondents (number withheld by disclosure control)')
      expectNoNumbersWhenSuppressed(next.rows)

      const list = await app.inject({ method: 'GET', url: '/api/releases', headers: as('funder') })
      const current = list.json<ReleaseList>().releases
      expect(current.filter((r) => r.waveId === waves.later).map((r) => r.id)).toEqual([next.release.id])
      const history = await app.inject({ method: 'GET', url: `/api/waves/${waves.later}/releases`, headers: as('researcher') })
      expect(history.json<ReleaseList>().releases.map((r) => [r.id, r.status])).toEqual([[next.release.id, 'current'], [autumn.release.id, 'superseded']])

      // With the first release known, the second discloses nothing; without the earlier release considered, it would.
      const published = publishedTables(next)
      const counted = inPublishedOrder(await countedTables(waves.later, next.tables), published)
      const implied = [{ from: 'municipality', to: 'county', values: Object.fromEntries(SITES.map((s) => [s.municipality_number, s.county_number])) }]
      const earlierTables = publishedTables(before)
      expect(auditSuppression(counted, published, { k: 5, impliedDimensions: implied, previouslyPublished: [earlierTables] }).findings).toEqual([])
      const naive = suppressRelease(counted, { k: 5, impliedDimensions: implied })
      const findings = auditSuppression(counted, naive, { k: 5, impliedDimensions: implied, previouslyPublished: [earlierTables] }).findings
      expect(findings.some((f) => f.kind === 'change_recovered')).toBe(true)
      // A release of two waves' worth of atoms with a gender × age group × county table: 25 s on PostgreSQL, up to
      // a minute on PGlite on a loaded 2-core machine.
    }, 120_000)

    it('serves a public link to anyone until it is revoked, and audits each step', async () => {
      const made = await app.inject({ method: 'POST', url: `/api/releases/${spring.release.id}/public-link`, headers: as('researcher') })
      expect(made.statusCode, made.body).toBe(201)
      const { token, path } = made.json<{ token: string, path: string }>()
      expect(made.json<{ page: string }>().page).toBe(`/results/?link=${token}`)
      expect(token.length).toBeGreaterThanOrEqual(40)
      const stored = await database.db.selectFrom('results_releases').select('public_token_hash').where('id', '=', spring.release.id).executeTakeFirstOrThrow()
      expect(stored.public_token_hash).not.toContain(token)

      const open = await app.inject({ method: 'GET', url: path })
      expect(open.statusCode).toBe(200)
      const viaFunder = await read(spring.release.id)
      expect(open.json<ReleaseDetail>()).toEqual(viaFunder)
      expect(viaFunder.release.hasPublicLink).toBe(true)

      const revoked = await app.inject({ method: 'DELETE', url: `/api/releases/${spring.release.id}/public-link`, headers: as('admin') })
      expect(revoked.statusCode).toBe(204)
      expect(logLines().filter((line) => line.includes(token))).toEqual([])
      expect((await app.inject({ method: 'GET', url: path })).statusCode).toBe(404)

      const entries = await database.db.selectFrom('audit_log').select(['action', 'actor_id', 'object_id', 'detail'])
        .where('object_type', '=', 'release').orderBy('seq').execute()
      expect(entries.map((e) => [e.action, e.object_id])).toEqual(expect.arrayContaining([
        ['release.create', spring.release.id],
        ['release.create', autumn.release.id],
        ['release.public_link.create', spring.release.id],
        ['release.public_link.revoke', spring.release.id],
      ]))
      const created = entries.find((e) => e.action === 'release.create' && e.object_id === autumn.release.id)
      expect(created?.actor_id).toBe(sessions.researcher.account.id)
      expect(created?.detail).toMatchObject({ waveId: waves.later, k: 5, method: 'korn-graubard', unreliable: 'withhold' })
      expect(entries.find((e) => e.action === 'release.public_link.revoke')?.actor_id).toBe(sessions.admin.account.id)
      // Nothing about a respondent: no response id appears in any audit entry or release.
      const ids = (await database.db.selectFrom('responses').select('id').where('wave_id', '=', waves.later).limit(200).execute()).map((r) => r.id)
      const text = JSON.stringify(entries) + JSON.stringify(autumn)
      expect(ids.filter((id) => text.includes(id))).toEqual([])
    })
  })

  describe('an indicator every respondent answered', () => {
    it('audits the release against an LP attacker, shows the audit in a preview first, and stores it with the release', async () => {
      const waveId = await makeWave('Complete wave', 3, 0, 0)
      const version = await findSurveyVersion(database.db, 'hverdag', 1)
      const survey = (await surveys.get(version?.id as number)).survey
      const rng = mulberry32(42)
      for (let i = 0; i < 90; i++) {
        // used_violence is asked of everyone; here nobody skips it.
        const answers = { ...syntheticAnswers(survey, rng, 1), used_violence: rng() < 0.25 ? 'yes' : 'no' }
        await acceptResponseAtSite({ db: database.db, surveys, timeZone: 'Europe/Oslo' }, (sites[i % sites.length] as SiteRow).id, { id: randomUUID(), waveId, answers })
      }
      const body = { tables: [{ indicators: ['used_violence'], by: ['gender'] }, { indicators: ['used_violence'], by: ['age_group'] }] }
      const preview = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases/preview`, headers: as('researcher'), payload: body })
      expect(preview.statusCode, preview.body).toBe(200)
      expect(await database.db.selectFrom('results_releases').select('id').where('wave_id', '=', waveId).execute()).toEqual([])
      const detail = await release(waveId, body)
      const total = detail.respondents.find((row) => Object.keys(row.group).length === 0)?.n
      const [overall] = await countedTables(waveId, [{ indicator: 'used_violence', by: [], overview: false }])
      expect([overall?.cells[0]?.n, total]).toEqual([90, 90])

      // The audit: every suppressed count bounded by an LP over the sites, protected, stored with the release.
      const audit = detail.audit
      expect(audit).toMatchObject({ safe: true, solver: expect.stringContaining('HiGHS') })
      expect(audit?.suppressed.length).toBe((audit?.primary ?? 0) + (audit?.secondary ?? 0))
      expect(audit?.suppressed.filter((cell) => cell.problem !== undefined)).toEqual([])
      expect(preview.json<{ audit: unknown }>().audit).toMatchObject({ safe: true, primary: audit?.primary, secondary: audit?.secondary })
      const stored = await database.db.selectFrom('results_releases').select('disclosure_audit').where('id', '=', detail.release.id).executeTakeFirstOrThrow()
      expect(stored.disclosure_audit).toEqual(audit)
      const served = await app.inject({ method: 'GET', url: `/api/releases/${detail.release.id}/audit`, headers: as('researcher') })
      expect(served.json()).toEqual({ audit })
      // A suppressed "who answered" count is never one the indicator's published n gives away: the audit would
      // have found it determined and published it instead.
      for (const row of detail.respondents.filter((r) => r.suppressed)) {
        const cell = audit?.suppressed.find((c) => c.indicator === '(respondents)' && groupKey(c.group) === groupKey(row.group))
        expect(cell?.n[0], JSON.stringify(row.group)).not.toBe(cell?.n[1])
      }
    }, 120_000)
  })

  describe('two releases of one wave at once', () => {
    it('makes them one after the other: both succeed, the later supersedes the earlier', async () => {
      const waveId = await makeWave('Busy wave', 4, 120, 13)
      const replies = await Promise.all([0, 1].map(async () =>
        await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: as('researcher'), payload: {} })))
      expect(replies.map((r) => r.statusCode)).toEqual([201, 201])
      const history = (await app.inject({ method: 'GET', url: `/api/waves/${waveId}/releases`, headers: as('admin') })).json<ReleaseList>().releases
      expect(history.map((r) => r.status)).toEqual(['current', 'superseded'])
      expect(history[1]?.supersededBy).toBe(history[0]?.id)
      const audited = await database.db.selectFrom('audit_log').select('detail').where('action', '=', 'release.create')
        .where('object_id', '=', history[0]?.id as string).executeTakeFirstOrThrow()
      expect(audited.detail).toMatchObject({ supersedes: history[1]?.id })
    }, 180_000)
  })

  describe('what is refused', () => {
    it('never serves an unreleased wave to a funder', async () => {
      const reply = await app.inject({ method: 'GET', url: `/api/releases?waveId=${waves.unreleased}`, headers: as('funder') })
      expect(reply.statusCode).toBe(404)
      expect(reply.json<{ message: string }>().message).toBe(`wave "${waves.unreleased}" has no released results`)
      const list = await app.inject({ method: 'GET', url: '/api/releases', headers: as('funder') })
      expect(list.json<ReleaseList>().releases.map((r) => r.waveId)).not.toContain(waves.unreleased)
    })

    it('answers odd addresses and bodies with a 4xx that names the problem, never a 5xx', async () => {
      const probes = [
        { method: 'GET' as const, url: '/api/releases/not-a-uuid', headers: as('funder') },
        { method: 'GET' as const, url: '/api/releases?waveId=%00', headers: as('funder') },
        { method: 'GET' as const, url: `/api/public/releases/${'x'.repeat(300)}` },
        { method: 'GET' as const, url: '/api/public/releases/%E2%80%AE%00' },
        { method: 'POST' as const, url: `/api/waves/${waves.unreleased}/releases`, headers: as('researcher'), payload: { tables: [{ indicators: [], by: [] }] } },
        { method: 'POST' as const, url: `/api/waves/${waves.unreleased}/releases`, headers: as('researcher'), payload: { tables: [{ indicators: ['raped_12m'], by: ['gender', 'gender'] }] } },
        { method: 'POST' as const, url: `/api/waves/${waves.unreleased}/releases`, headers: as('researcher'), payload: { tables: [{ indicators: ['raped_12m'], by: ['shoe_size'] }] } },
        { method: 'POST' as const, url: `/api/waves/${waves.unreleased}/releases`, headers: as('researcher'), payload: { method: 'bayes' } },
        { method: 'POST' as const, url: `/api/waves/${waves.unreleased}/releases`, headers: as('researcher'), payload: { extra: true } },
      ]
      for (const probe of probes) {
        const reply = await app.inject(probe)
        expect(reply.statusCode, `${probe.method} ${probe.url}: ${reply.body}`).toBeGreaterThanOrEqual(400)
        expect(reply.statusCode, `${probe.method} ${probe.url}: ${reply.body}`).toBeLessThan(500)
        expect(reply.json<{ message: string }>().message).toMatch(/\w/)
      }
    })

    it('names an unknown indicator, strata without the cluster method, a threshold below 3, a wave without responses', async () => {
      const post = async (waveId: string, payload: object) =>
        await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: as('researcher'), payload })
      const unknown = await post(waves.unreleased, { tables: [{ indicators: ['no_such_thing'], by: ['gender'] }] })
      expect([unknown.statusCode, unknown.json<{ message: string }>().message]).toEqual([400, 'unknown indicator "no_such_thing": the wave\'s survey version does not define it'])
      const strata = await post(waves.unreleased, { strata: 'county', method: 'wilson' })
      expect([strata.statusCode, strata.json<{ message: string }>().message]).toEqual([400, 'strata apply to the design-based methods (cluster, korn-graubard) only, not wilson'])
      expect((await post(waves.unreleased, { k: 2 })).statusCode).toBe(400)
      const empty = await post(waves.empty, {})
      expect([empty.statusCode, empty.json<{ message: string }>().message]).toEqual([400, 'wave "Empty wave" has no responses yet: there is nothing to release'])
      const stored = await database.db.selectFrom('results_releases').select('id').where('wave_id', 'in', [waves.unreleased, waves.empty]).execute()
      expect(stored).toEqual([])
    })
  })
})
