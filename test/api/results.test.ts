import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ResultRow } from '../../analysis/results-table.js'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { findWaveExportSource } from '../../api/db/queries/microdata.js'
import { writeMicrodata } from '../../api/services/microdata-export.js'
import type { MicrodataOptions } from '../../api/services/microdata-export.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import { siteFixture, FIVE_SITES, createWave } from '../helpers/fixtures.js'
import { loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const RESPONSES = 2000
const INDICATORS = ['any_violence_12m', 'any_sexual_ever', 'strangled_ever', 'threatened_weapon_1m']
const NUMBERS = ['n', 'count', 'estimate', 'ci_low', 'ci_high', 'deff'] as const

const SITES = FIVE_SITES

describe('GET /api/results', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let researcher: TestSession
  let waveId: string
  let sites: SiteRow[]
  let dir: string
  let csvFile: string
  let jsonlFile: string

  /** The researcher's microdata export (the console's download), written to a file for the CLI. */
  async function exportTo (file: string, options: Omit<MicrodataOptions, 'freeText'>): Promise<string> {
    const source = await findWaveExportSource(database.db, waveId)
    if (source === undefined) throw new Error(`wave ${waveId} has no export source`)
    let text = ''
    await writeMicrodata(database.db, source, { ...options, freeText: false }, (chunk) => { text += chunk })
    writeFileSync(file, text)
    return text
  }

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database)).app
    researcher = await loginAs(app, database.db, 'researcher')
    await publishDefinitions(database.db)
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    sites = []
    for (const site of SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Results wave', survey_version_id: version.id, opens_on: addDays(today, -10), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' },
      { waveId, responses: RESPONSES, seed: 11 })
    dir = mkdtempSync(join(tmpdir(), 'prevalens-results-'))
    csvFile = join(dir, 'wave.csv')
    jsonlFile = join(dir, 'wave.jsonl')
    await exportTo(csvFile, { format: 'csv', batchSize: 300 })
    await exportTo(jsonlFile, { format: 'jsonl' })
  }, 120_000)

  afterAll(async () => {
    await app?.close()
    await database?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  async function api (query: string): Promise<ResultRow[]> {
    const reply = await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}${query}`, headers: researcher.headers })
    expect(reply.statusCode, reply.body).toBe(200)
    return (reply.json() as { rows: ResultRow[] }).rows
  }

  async function cli (args: readonly string[]): Promise<ResultRow[]> {
    const { stdout } = await run('npx', ['tsx', 'api/cli/analyze.ts', ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 })
    return JSON.parse(stdout) as ResultRow[]
  }

  function expectSameRows (fromApi: readonly ResultRow[], fromCli: readonly ResultRow[]): void {
    expect(fromApi.length).toBeGreaterThan(0)
    expect(fromApi.length).toBe(fromCli.length)
    fromApi.forEach((row, i) => {
      const other = fromCli[i] as ResultRow
      const { n, count, estimate, ci_low: low, ci_high: high, deff, ...rest } = row
      const { n: n2, count: count2, estimate: estimate2, ci_low: low2, ci_high: high2, deff: deff2, ...rest2 } = other
      expect(rest).toEqual(rest2)
      expect([n, count]).toEqual([n2, count2])
      for (const [a, b] of [[estimate, estimate2], [low, low2], [high, high2], [deff, deff2]]) {
        expect(a === undefined).toBe(b === undefined)
        if (a !== undefined && b !== undefined) expect(Math.abs(a - b)).toBeLessThan(1e-9)
      }
    })
  }

  function expectNoNumbersWhenSuppressed (rows: readonly ResultRow[]): void {
    for (const row of rows.filter((r) => r.suppressed)) {
      for (const key of NUMBERS) expect(row).not.toHaveProperty(key)
      expect(row.rule).toBeDefined()
      expect(row.reason).toMatch(/^suppressed \((primary|secondary)\)/)
    }
  }

  it('overall, for every indicator of the wave: the API equals the CLI on the exported CSV and JSON lines', async () => {
    const fromApi = await api('')
    expect(fromApi.length).toBeGreaterThan(40)
    expect(new Set(fromApi.map((row) => row.indicator)).size).toBe(fromApi.length)
    for (const row of fromApi) expect(row.group).toEqual({})
    const anyViolence = fromApi.find((row) => row.indicator === 'any_violence_ever')
    expect(anyViolence).toMatchObject({ method: 'wilson', suppressed: false })
    expect(anyViolence?.n).toBeGreaterThan(RESPONSES * 0.8)
    expectSameRows(fromApi, await cli(['--input', csvFile]))
    expectSameRows(fromApi, await cli(['--input', jsonlFile]))
  })

  it('by gender with Clopper–Pearson at 90 %: the API equals the CLI', async () => {
    const fromApi = await api(`&indicators=${INDICATORS.join(',')}&by=gender&method=clopper-pearson&level=0.9`)
    expect(new Set(fromApi.map((row) => row.group.gender))).toEqual(new Set(['woman', 'man', 'other', 'unknown']))
    expect(fromApi.filter((row) => !row.suppressed).every((row) => row.method === 'clopper-pearson')).toBe(true)
    expectSameRows(fromApi, await cli(['--input', csvFile, '--by', 'gender', '--indicators', INDICATORS.join(','), '--method', 'clopper-pearson', '--level', '0.9']))
    expectNoNumbersWhenSuppressed(fromApi)
  })

  it('by gender and county, design-based with sites as clusters and counties as strata: the API equals the CLI', async () => {
    const fromApi = await api(`&indicators=${INDICATORS.join(',')}&by=gender,county&method=cluster&strata=county`)
    const fromCli = await cli(['--input', csvFile, '--by', 'gender,county', '--indicators', INDICATORS.join(','),
      '--method', 'cluster', '--cluster', 'site', '--strata', 'county'])
    expectSameRows(fromApi, fromCli)

    // The table shows every kind of row: design-based estimates with a design effect, cells of the
    // single-site county with the Wilson interval and the reason, and suppressed cells, primary and secondary.
    const estimated = fromApi.filter((row) => row.method === 'design-logit' && row.ci_low !== undefined)
    expect(estimated.length).toBeGreaterThan(0)
    for (const row of estimated) expect(row.deff).toBeGreaterThan(0)
    const lonely = fromApi.filter((row) => row.group.county === '50' && !row.suppressed)
    expect(lonely.length).toBeGreaterThan(0)
    for (const row of lonely) {
      expect(row.method).toBe('wilson')
      expect(row.reason).toContain('in one cluster')
    }
    expect(fromApi.some((row) => row.suppressed)).toBe(true)
    expectNoNumbersWhenSuppressed(fromApi)
  })

  it('several tables released together (overall, by gender, by gender and county): the API equals the CLI', async () => {
    const fromApi = await api(`&indicators=${INDICATORS.join(',')}&by=&by=gender&by=gender,county`)
    expect(new Set(fromApi.map((row) => Object.keys(row.group).join(',')))).toEqual(new Set(['', 'gender', 'gender,county']))
    expectSameRows(fromApi, await cli(['--input', jsonlFile, '--by', '', '--by', 'gender', '--by', 'gender,county', '--indicators', INDICATORS.join(',')]))
    // With the margins published, a cell suppressed for its own counts needs others suppressed with it.
    expect(fromApi.some((row) => row.rule === 'complementary')).toBe(true)
    expect(fromApi.some((row) => row.suppressed && row.rule !== 'complementary')).toBe(true)
    expectNoNumbersWhenSuppressed(fromApi)
  })

  it('refuses unknown names with a 4xx that names them', async () => {
    const cases: Array<[string, number, string, string]> = [
      ['&indicators=any_violence_ever,no_such_thing', 400, 'unknown_indicator', 'no_such_thing'],
      ['&by=gender,shoe_size', 400, 'unknown_dimension', 'shoe_size'],
      ['&method=bootstrap', 400, 'unknown_method', 'bootstrap'],
      ['&method=cluster&strata=gender', 400, 'unknown_dimension', 'gender'],
      ['&strata=county', 400, 'bad_request', 'cluster'],
      ['&k=2', 400, 'bad_request', 'k'],
      ['&by=gender&by=gender', 400, 'bad_request', 'gender'],
    ]
    for (const [query, status, code, name] of cases) {
      const reply = await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}${query}`, headers: researcher.headers })
      expect(reply.statusCode, query).toBe(status)
      expect(reply.json().code, query).toBe(code)
      expect(reply.json().message, query).toContain(name)
    }
    const unknownWave = '00000000-0000-4000-8000-000000000000'
    for (const waves of [`${waveId},${unknownWave}`, 'not-a-wave']) {
      const reply = await app.inject({ method: 'GET', url: `/api/results?waves=${waves}`, headers: researcher.headers })
      expect(reply.statusCode).toBe(404)
      expect(reply.json()).toMatchObject({ code: 'wave_not_found' })
      expect(reply.json().message).toContain(waves.split(',').at(-1))
    }
  })

  it('exports one row per response, in a different random order each time', async () => {
    const first = await exportTo(join(dir, 'again-1.csv'), { format: 'csv' })
    const second = await exportTo(join(dir, 'again-2.csv'), { format: 'csv' })
    const [header, ...rows] = first.trimEnd().split('\n')
    expect(header?.split(',').slice(0, 9)).toEqual(['wave', 'site', 'site_kind', 'county', 'municipality', 'centrality', 'gender', 'age_group', 'iso_week'])
    expect(rows).toHaveLength(RESPONSES)
    const secondRows = second.trimEnd().split('\n').slice(1)
    expect(secondRows).not.toEqual(rows)
    expect([...secondRows].sort()).toEqual([...rows].sort())
    expect(new Set(rows.map((row) => row.split(',')[1]))).toEqual(new Set(sites.map((site) => site.id)))
  })
})
