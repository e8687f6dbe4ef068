import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFlatFile } from '../../analysis/flat-file.js'
import type { ResultRow } from '../../analysis/results-table.js'
import { runAnalyze } from '../../api/cli/analyze-command.js'
import type { SiteRow } from '../../api/db/database.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { Codebook } from '../../api/schemas/exports.js'
import type { PublishReply } from '../../api/schemas/survey-versions.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loadDefinitions } from '../../survey-definitions/index.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { siteFixture, FIVE_SITES, createWave } from '../helpers/fixtures.js'
import { mixAllHeld } from '../helpers/holding.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const RESPONSES = 600
const SITES = FIVE_SITES
const SECRET = 'FREE-TEXT-7f3a'

describe('console: microdata exports, codebook and R script', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let sites: SiteRow[]
  let waveId: string
  let csv: string

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    await publishDefinitions(database.db)
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    sites = []
    for (const site of SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Export wave', survey_version_id: version.id, opens_on: addDays(today, -10), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId, responses: RESPONSES, seed: 5 })
    sessions = await sessionsByRole(app, database.db, sites[0]?.id ?? '')
    csv = await download('csv')
  }, 120_000)
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions) => sessions[role].headers
  async function download (file: string, wave = waveId, query = ''): Promise<string> {
    const reply = await app.inject({ method: 'GET', url: `/api/exports/waves/${wave}/${file === 'csv' || file === 'jsonl' ? `microdata.${file}` : file}${query}`, headers: as('researcher') })
    expect(reply.statusCode, reply.body.slice(0, 300)).toBe(200)
    return reply.body
  }
  async function results (query: string): Promise<ResultRow[]> {
    const reply = await app.inject({ method: 'GET', url: `/api/results?waves=${waveId}${query}`, headers: as('researcher') })
    expect(reply.statusCode, reply.body.slice(0, 300)).toBe(200)
    return reply.json<{ rows: ResultRow[] }>().rows
  }
  function analyze (text: string, format: 'csv' | 'jsonl', args: string[] = []): ResultRow[] {
    let out = ''
    let err = ''
    const status = runAnalyze(['--input', `wave.${format}`, ...args], { readFile: () => text, stdout: (t) => { out += t }, stderr: (t) => { err += t } })
    expect(status, err).toBe(0)
    return JSON.parse(out) as ResultRow[]
  }
  function expectSame (fromApi: readonly ResultRow[], fromCli: readonly ResultRow[]): void {
    expect(fromApi.length).toBeGreaterThan(0)
    expect(fromCli.map((row) => [row.indicator, row.group, row.n, row.count, row.suppressed])).toEqual(fromApi.map((row) => [row.indicator, row.group, row.n, row.count, row.suppressed]))
    fromApi.forEach((row, i) => {
      for (const key of ['estimate', 'ci_low', 'ci_high', 'deff'] as const) {
        const a = row[key]
        const b = fromCli[i]?.[key]
        expect(a === undefined, `${row.indicator} ${key}`).toBe(b === undefined)
        if (a !== undefined && b !== undefined) expect(Math.abs(a - b)).toBeLessThan(1e-9)
      }
    })
  }

  it('each role gets exactly what it may: researchers and admins only', async () => {
    await expectRoleTable(app, sessions, ['microdata.csv', 'microdata.jsonl', 'codebook.json', 'codebook.md', 'read-microdata.R'].map((file) => ({
      method: 'GET' as const, url: `/api/exports/waves/${waveId}/${file}`, allowed: ['researcher', 'admin'] as const,
    })))
  })

  it('writes one row per response in the flat format, with the closed answers coded after the indicators', async () => {
    const table = parseFlatFile(csv, 'csv')
    expect(table.rows).toHaveLength(RESPONSES)
    expect(table.columns.slice(0, 9)).toEqual(['wave', 'site', 'site_kind', 'county', 'municipality', 'centrality', 'gender', 'age_group', 'iso_week'])
    const answerColumns = table.columns.filter((column) => column.startsWith('q_'))
    expect(answerColumns).toContain('q_gender')
    expect(answerColumns).toContain('q_pushed_ever')
    // Answer columns hold codes, the indicators 1/0/empty, and nothing identifies a response.
    const ids = new Set((await database.db.selectFrom('responses').select('id').execute()).map((row) => row.id))
    const gender = table.columns.indexOf('q_gender')
    for (const row of table.rows) {
      expect(['woman', 'man', 'other', 'prefer_not', '']).toContain(row[gender])
      for (const cell of row) expect(ids.has(cell)).toBe(false)
    }
    const stored = await database.db.selectFrom('responses').select('answers').execute()
    const women = stored.filter((row) => row.answers.gender === 'woman').length
    expect(table.rows.filter((row) => row[gender] === 'woman')).toHaveLength(women)
  })

  it('shuffles rows afresh on every export', async () => {
    const again = await download('csv')
    expect(again).not.toBe(csv)
    const sorted = (text: string) => text.trimEnd().split('\n').slice(1).sort()
    expect(sorted(again)).toEqual(sorted(csv))
    // Not merely rotated or reversed: the order of the site column differs in many places.
    const site = (text: string) => parseFlatFile(text, 'csv').rows.map((row) => row[1])
    const [a, b] = [site(csv), site(again)]
    expect(a.filter((value, i) => value !== b[i]).length).toBeGreaterThan(RESPONSES / 4)
  })

  it('gives, through analyze, the same figures as GET /api/results for the wave (CSV and JSON lines)', async () => {
    const jsonl = await download('jsonl')
    expectSame(await results(''), analyze(csv, 'csv'))
    expectSame(await results(''), analyze(jsonl, 'jsonl'))
    const indicators = 'any_violence_12m,strangled_ever'
    expectSame(
      await results(`&indicators=${indicators}&by=gender,county&method=cluster&strata=county`),
      analyze(csv, 'csv', ['--by', 'gender,county', '--indicators', indicators, '--method', 'cluster', '--cluster', 'site', '--strata', 'county'])
    )
  })

  it('documents every column in a codebook (nb and en), readable as Markdown, and an R script that labels them', async () => {
    const codebook = JSON.parse(await download('codebook.json')) as Codebook
    const header = parseFlatFile(csv, 'csv').columns
    expect(codebook.columns.map((column) => column.name)).toEqual(header)
    const table = parseFlatFile(csv, 'csv')
    for (const column of codebook.columns) {
      expect(column.label.nb, column.name).not.toBe('')
      expect(column.label.en, column.name).not.toBe('')
      if (column.kind === 'indicator') {
        expect(column.rule?.anyOf.length, column.name).toBeGreaterThan(0)
        expect(column.rule?.text.en).toContain(column.rule?.anyOf[0]?.question ?? '?')
      }
      // Every code in the file is in the codebook (a checkbox cell holds several, joined by ';').
      if (column.values.length > 0 && column.name !== 'iso_week') {
        const codes = new Set(column.values.map((value) => value.code))
        const i = header.indexOf(column.name)
        for (const row of table.rows) for (const code of (row[i] ?? '').split(';').filter((c) => c !== '')) expect(codes.has(code), `${column.name}: ${code}`).toBe(true)
      }
    }
    const gender = codebook.columns.find((column) => column.name === 'q_gender')
    expect(gender?.values.find((value) => value.code === 'woman')?.label).toEqual({ nb: expect.any(String), en: expect.any(String) })
    expect(gender?.values.find((value) => value.code === 'woman')?.label.nb).not.toBe(gender?.values.find((value) => value.code === 'woman')?.label.en)

    const markdown = await download('codebook.md')
    for (const column of codebook.columns) expect(markdown).toContain(`\`${column.name}\``)

    const script = await download('read-microdata.R')
    expect(script).toContain('read.csv(')
    for (const column of codebook.columns.filter((c) => c.kind !== 'indicator' && c.kind !== 'design' && c.multiple !== true && c.values.length > 0)) {
      expect(script).toContain(`${JSON.stringify(column.name)} = list(levels = c(${column.values.map((v) => JSON.stringify(v.code)).join(', ')})`)
    }
    for (const column of codebook.columns.filter((c) => c.kind === 'indicator')) expect(script).toContain(JSON.stringify(column.name))
  })

  // R is not on every developer's machine (.ci/run installs it); where it is, the script must run and label what it reads.
  it.runIf(existsSync('/usr/bin/Rscript'))('the R script reads the CSV into labelled factors in R itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prevalens-r-'))
    try {
      const codebook = JSON.parse(await download('codebook.json')) as Codebook
      writeFileSync(join(dir, 'wave.csv'), csv)
      writeFileSync(join(dir, 'read.R'), await download('read-microdata.R'))
      const probe = [
        'csv_file <- commandArgs(trailingOnly = TRUE)[[1]]; language <- "en"',
        'source(commandArgs(trailingOnly = TRUE)[[2]])',
        't <- table(microdata$q_gender); cat(paste0("gender:", names(t), "=", as.integer(t)), sep = "\n")',
        'cat(paste0("class:", class(microdata$any_violence_ever), "\n")); cat(paste0("label:", attr(microdata$site_kind, "label"), "\n"))',
        'cat(paste0("yes:", sum(microdata$any_violence_ever, na.rm = TRUE), "\n"))',
      ].join('\n')
      writeFileSync(join(dir, 'probe.R'), probe)
      const { stdout } = await promisify(execFile)('Rscript', [join(dir, 'probe.R'), join(dir, 'wave.csv'), join(dir, 'read.R')])
      const lines = stdout.split('\n')
      expect(lines).toContain(`Read ${RESPONSES} responses and ${codebook.columns.length} columns from ${join(dir, 'wave.csv')}`)
      // Counts per English label equal the counts per code in the file.
      const table = parseFlatFile(csv, 'csv')
      const g = table.columns.indexOf('q_gender')
      const gender = codebook.columns.find((column) => column.name === 'q_gender')
      for (const value of gender?.values ?? []) {
        expect(lines).toContain(`gender:${value.label.en}=${table.rows.filter((row) => row[g] === value.code).length}`)
      }
      expect(lines).toContain('class:integer')
      expect(lines).toContain(`label:${codebook.columns.find((column) => column.name === 'site_kind')?.label.en ?? '?'}`)
      const i = table.columns.indexOf('any_violence_ever')
      expect(lines).toContain(`yes:${table.rows.filter((row) => row[i] === '1').length}`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('records every export in the audit log without any answer', async () => {
    const before = (await auditEntries(database.db, 'export.csv', waveId)).length
    await download('csv')
    const entries = await auditEntries(database.db, 'export.csv', waveId)
    expect(entries).toHaveLength(before + 1)
    expect(entries.at(-1)).toMatchObject({ actor_email: sessions.researcher.account.email, object_type: 'wave', detail: { waveName: 'Export wave', freeText: false } })
    for (const action of ['export.jsonl', 'export.codebook', 'export.r_script']) expect((await auditEntries(database.db, action, waveId)).length).toBeGreaterThan(0)
    expect((await app.inject({ method: 'GET', url: '/api/exports/waves/00000000-0000-4000-8000-000000000000/microdata.csv', headers: as('admin') })).statusCode).toBe(404)
  })

  it('leaves free text out unless asked for explicitly', async () => {
    const shipped = loadDefinitions().find((def) => def.slug === 'hverdag' && def.version === 1)
    if (shipped === undefined) throw new Error('no hverdag v1')
    const survey = JSON.parse(JSON.stringify(shipped.survey)) as { pages: Array<{ elements: unknown[] }> }
    survey.pages.at(-1)?.elements.push({ type: 'comment', name: 'anything_else', title: { nb: 'Noe mer du vil si?', en: 'Anything else?' } })
    const published = await app.inject({
      method: 'POST',
      url: '/api/survey-versions',
      headers: as('researcher'),
      payload: { slug: 'hverdag', version: 3, survey, indicatorMap: { ...shipped.indicatorMap, freeText: ['anything_else'] } },
    })
    expect(published.statusCode, published.body).toBe(201)
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Free-text wave', survey_version_id: published.json<PublishReply>().version.id, opens_on: today, closes_on: addDays(today, 7), status: 'open',
    }, [{ siteId: sites[0]?.id ?? '' }])
    const { token } = await enrolDevice(database.db, sites[0]?.id ?? '', 'Free text tablet')
    const sent = await app.inject({
      method: 'POST',
      url: '/api/responses',
      headers: { authorization: `Bearer ${token}` },
      payload: { id: randomUUID(), waveId: wave.id, answers: { gender: 'man', anything_else: SECRET } },
    })
    expect(sent.statusCode, sent.body).toBe(201)
    await mixAllHeld(database.db)

    for (const format of ['csv', 'jsonl']) {
      const plain = await download(format, wave.id)
      expect(plain).not.toContain(SECRET)
      expect(plain).not.toContain('q_anything_else')
      const asked = await download(format, wave.id, '?freeText=true')
      expect(asked).toContain(SECRET)
    }
    const codebook = JSON.parse(await download('codebook.json', wave.id)) as Codebook
    expect(codebook.columns.map((column) => column.name)).not.toContain('q_anything_else')
    const withText = JSON.parse(await download('codebook.json', wave.id, '?freeText=true')) as Codebook
    expect(withText.columns.find((column) => column.name === 'q_anything_else')?.kind).toBe('free_text')
    const entries = await auditEntries(database.db, 'export.csv', wave.id)
    expect(entries.map((entry) => entry.detail.freeText)).toEqual([false, true])
    expect(JSON.stringify(entries)).not.toContain(SECRET)
  })
})
