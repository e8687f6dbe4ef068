import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFlatFile } from '../../analysis/flat-file.js'
import { RELIABILITY_TEXT } from '../../analysis/reliability.js'
import type { ResultRow } from '../../analysis/results-table.js'
import { runAnalyze } from '../../api/cli/analyze-command.js'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { Codebook } from '../../api/schemas/exports.js'
import type { ReleaseDetail } from '../../api/schemas/releases.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { FIVE_SITES, createWave, siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const RESPONSES = 500
const INDICATORS = ['any_violence_ever', 'any_physical_12m', 'strangled_ever', 'psychological_ever']

describe('the microdata export carries the weight and the repeat flag, and R reproduces the released figures from it', () => {
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
    const version = await findSurveyVersion(database.db, 'hverdag', 2)
    if (version === undefined) throw new Error('hverdag v2 was not published')
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Weighted export wave', survey_version_id: version.id, opens_on: addDays(today, -10), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId, responses: RESPONSES, seed: 7 })
    researcher = await loginAs(app, database.db, 'researcher')
  }, 240_000)
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  async function download (file: string): Promise<string> {
    const reply = await app.inject({ method: 'GET', url: `/api/exports/waves/${waveId}/${file}`, headers: researcher.headers })
    expect(reply.statusCode, reply.body.slice(0, 300)).toBe(200)
    return reply.body
  }

  it('writes w and answered_before after the dimensions, as the facts say, and the codebook explains them and the reliability flags', async () => {
    const table = parseFlatFile(await download('microdata.csv'), 'csv')
    expect(table.columns.slice(9, 11)).toEqual(['w', 'answered_before'])
    const facts = await sql<{ visits: number | null, answered_before: boolean }>`
      select visits, answered_before from response_facts where wave_id = ${waveId}`.execute(database.db)
    // Rows are shuffled and carry no id, so the weights are compared as a multiset.
    const expected = facts.rows.map((row) => row.visits === null ? 1 : 1 / Math.min(7, Number(row.visits))).sort()
    expect(table.rows.map((row) => Number(row[9])).sort()).toEqual(expected)
    expect(table.rows.filter((row) => row[10] === '1').length).toBe(facts.rows.filter((row) => row.answered_before).length)
    expect(new Set(table.rows.map((row) => row[10]))).toEqual(new Set(['0', '1']))

    const codebook = JSON.parse(await download('codebook.json')) as Codebook
    const design = codebook.columns.filter((column) => column.kind === 'design')
    expect(design.map((column) => column.name)).toEqual(['w', 'answered_before'])
    expect(design[0]?.label.en).toMatch(/1 \/ visits to the site in the last 7 days.*once = 1 visits, 2_3 = 2.5 visits, 4_6 = 5 visits, 7_plus = 7 visits.*"don't know".*weight 1/)
    expect(design[1]?.question).toBe('answered_before')
    const markdown = await download('codebook.md')
    expect(markdown).toContain('## Weights and repeat participation')
    for (const [flag, text] of Object.entries(RELIABILITY_TEXT)) {
      expect(markdown).toContain(`\`${flag}\``)
      expect(markdown).toContain(text.nb)
    }
  })

  it('analyze --weight w --exclude answered_before on the export gives GET /api/results?weights=attendance, cell for cell', async () => {
    const text = await download('microdata.csv')
    let out = ''
    let err = ''
    const status = runAnalyze(['--input', 'wave.csv', '--indicators', INDICATORS.join(','), '--by', '', '--by', 'gender', '--method', 'korn-graubard',
      '--cluster', 'site', '--weight', 'w', '--exclude', 'answered_before'], { readFile: () => text, stdout: (s) => { out += s }, stderr: (s) => { err += s } })
    expect(status, err).toBe(0)
    const fromCli = JSON.parse(out) as ResultRow[]
    const reply = await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}&indicators=${INDICATORS.join(',')}&by=&by=gender&method=korn-graubard&weights=attendance`, headers: researcher.headers })
    expect(reply.statusCode, reply.body).toBe(200)
    const fromApi = reply.json<{ rows: ResultRow[] }>().rows
    expect(fromCli.map((row) => [row.indicator, row.group, row.n, row.count, row.suppressed, row.weighted])).toEqual(fromApi.map((row) => [row.indicator, row.group, row.n, row.count, row.suppressed, row.weighted]))
    expect(fromApi.filter((row) => row.weighted === true).length).toBeGreaterThan(4)
    fromApi.forEach((row, i) => {
      for (const key of ['estimate', 'ci_low', 'ci_high'] as const) {
        if (row[key] !== undefined) expect(fromCli[i]?.[key]).toBeCloseTo(row[key], 12)
      }
    })
  })

  /** R's figures from the export, through the shipped script's released_share(), for each indicator overall and for women. */
  async function figuresInR (call: string): Promise<Map<string, { n: number, estimate: number, lower: number, upper: number }>> {
    const dir = mkdtempSync(join(tmpdir(), 'prevalens-rw-'))
    try {
      writeFileSync(join(dir, 'wave.csv'), await download('microdata.csv'))
      writeFileSync(join(dir, 'read.R'), await download('read-microdata.R'))
      writeFileSync(join(dir, 'probe.R'), [
        'options(digits = 17); csv_file <- commandArgs(trailingOnly = TRUE)[[1]]; language <- "en"',
        'source(commandArgs(trailingOnly = TRUE)[[2]])',
        `for (ind in ${`c(${INDICATORS.map((name) => JSON.stringify(name)).join(', ')})`}) for (g in c("all", "woman")) {`,
        '  where <- if (g == "all") NULL else function(d) !is.na(d$gender) & d$gender == "Woman"',
        `  r <- ${call}`,
        '  cat(ind, g, format(r[["n"]], digits = 17), format(r[["estimate"]], digits = 17), format(r[["lower"]], digits = 17), format(r[["upper"]], digits = 17), "\\n")',
        '}',
      ].join('\n'))
      const { stdout } = await promisify(execFile)('Rscript', [join(dir, 'probe.R'), join(dir, 'wave.csv'), join(dir, 'read.R')])
      if (process.env.DEBUG_R !== undefined) console.log(stdout)
      const out = new Map<string, { n: number, estimate: number, lower: number, upper: number }>()
      for (const line of stdout.split('\n')) {
        const [indicator, group, n, estimate, lower, upper] = line.trim().split(/\s+/)
        if (upper === undefined || !INDICATORS.includes(indicator ?? '')) continue
        out.set(`${indicator}|${group}`, { n: Number(n), estimate: Number(estimate), lower: Number(lower), upper: Number(upper) })
      }
      return out
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  async function compare (release: ReleaseDetail, r: Map<string, { n: number, estimate: number, lower: number, upper: number }>, atLeast: number): Promise<number> {
    let largest = 0
    let compared = 0
    for (const indicator of INDICATORS) {
      for (const group of ['all', 'woman'] as const) {
        const row = release.rows.find((candidate) => candidate.indicator === indicator &&
          (group === 'all' ? Object.keys(candidate.group).length === 0 : candidate.group.gender === 'woman' && Object.keys(candidate.group).length === 1))
        if (row === undefined || row.suppressed || row.estimate === undefined || row.ci_low === undefined || row.ci_high === undefined) continue
        const fromR = r.get(`${indicator}|${group}`)
        expect(fromR, `${indicator} ${group}`).toBeDefined()
        expect(fromR?.n).toBe(row.n)
        for (const [ours, theirs] of [[row.estimate, fromR!.estimate], [row.ci_low, fromR!.lower], [row.ci_high, fromR!.upper]] as const) {
          largest = Math.max(largest, Math.abs(ours - theirs))
          expect(Math.abs(ours - theirs), `${indicator} ${group}`).toBeLessThan(1e-6)
        }
        compared++
      }
    }
    expect(compared).toBeGreaterThanOrEqual(atLeast)
    return largest
  }

  it.runIf(existsSync('/usr/bin/Rscript'))('a weighted Korn–Graubard release without repeats equals released_share(weighted = TRUE) in R on the export', async () => {
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { weights: 'attendance', unreliable: 'mark' } })
    expect(reply.statusCode, reply.body).toBe(201)
    const release = reply.json<ReleaseDetail>()
    expect(release.release).toMatchObject({ method: 'korn-graubard', weights: 'attendance', repeats: 'exclude' })
    const largest = await compare(release, await figuresInR('released_share(ind, where, weighted = TRUE)'), 6)
    console.log(`weighted Korn–Graubard release vs R on the export: largest deviation ${largest.toExponential(2)}`)
  }, 240_000)

  it.runIf(existsSync('/usr/bin/Rscript'))('an unweighted logit release counting repeats equals released_share(method = "cluster", repeats = "include")', async () => {
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: researcher.headers, payload: { method: 'cluster', repeats: 'include', unreliable: 'mark' } })
    expect(reply.statusCode, reply.body).toBe(201)
    const release = reply.json<ReleaseDetail>()
    expect(release.release).toMatchObject({ method: 'cluster', weights: 'none', repeats: 'include' })
    // Cells that gained fewer than k respondents (the repeats) since the first release are suppressed, so fewer compare.
    const largest = await compare(release, await figuresInR('released_share(ind, where, method = "cluster", repeats = "include")'), 2)
    console.log(`unweighted logit release with repeats vs R on the export: largest deviation ${largest.toExponential(2)}`)
  }, 240_000)
})
