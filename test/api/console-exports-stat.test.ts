/**
 * The SPSS (.sav) and Stata (.dta) downloads and the syntax that reads the CSV (.sps, .do), proven with real
 * readers: R's haven, ReadStat (`readstat`, `extract_metadata`) and PSPP. Each reader that is missing is named
 * and its test skipped; `.ci/run` installs them all. Stata itself is not available anywhere here, so the
 * do-file is checked by reading it against the codebook.
 */
import { execFile, execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFlatFile } from '../../analysis/flat-file.js'
import type { FlatTable } from '../../analysis/flat-file.js'
import type { ResultRow } from '../../analysis/results-table.js'
import { runAnalyze } from '../../api/cli/analyze-command.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { Codebook } from '../../api/schemas/exports.js'
import { exportFileNames } from '../../api/services/codebook-formats.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { fitBytes, fitCharacters } from '../../api/stat-files/dictionary.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { FIVE_SITES, siteFixture, createWave } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const RESPONSES = 400
const run = promisify(execFile)
const UTF8 = { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' }

/** Whether a reader is here; a developer's machine may lack one (the test says so and skips), CI may not. */
function reader (binary: string, why: string): boolean {
  const found = ['/usr/bin', '/usr/local/bin'].some((dir) => existsSync(join(dir, binary)))
  if (!found) missingReader(`${binary} is not installed here: ${why} is skipped (.ci/run installs it)`)
  return found
}
function missingReader (message: string): void {
  if (process.env.CI === 'true') throw new Error(`CI must have every reader: ${message}`)
  console.warn(message)
}
const HAVE_R = reader('Rscript', 'reading the files with haven') &&
  execFileOk('Rscript', ['-e', 'suppressMessages({library(haven); library(survey)})'], 'R packages haven and survey')
const HAVE_READSTAT = reader('readstat', 'reading the files with ReadStat') && reader('extract_metadata', 'ReadStat\'s metadata')
const HAVE_PSPP = reader('pspp', 'running the SPSS syntax and opening the .sav in PSPP')

function execFileOk (binary: string, args: string[], what: string): boolean {
  try {
    // A synchronous probe at collection time: the skip must be known before the tests are declared.
    execFileSync(binary, args, { stdio: 'ignore' })
    return true
  } catch {
    missingReader(`${what} not found: the tests that need them are skipped (.ci/run installs r-cran-haven and r-cran-survey)`)
    return false
  }
}

/** What a file must hold for one variable, worked out from the codebook alone. */
interface Expected {
  name: string
  label: string
  string: boolean
  /** value → label; Stata's missing as '.a', '.b'. */
  labels: Map<string, string>
  /** SPSS user-missing values. */
  missing: string[]
  /** value (as text; '.a' for Stata's missing) → rows, from the CSV. */
  counts: Map<string, number>
}

/** Every variable of the .sav (or .dta) from the codebook and the CSV, independently of the export's own plan. */
function expectedVariables (codebook: Codebook, csv: FlatTable, language: 'nb' | 'en', format: 'sav' | 'dta'): Expected[] {
  const out: Expected[] = []
  const labelOf = (text: string): string => format === 'sav' ? fitBytes(text, 255) : fitCharacters(text, 80)
  const valueLabel = (text: string): string => format === 'sav' ? fitBytes(text, 120) : text
  for (const column of codebook.columns) {
    const i = csv.columns.indexOf(column.name)
    const cells = csv.rows.map((row) => row[i] ?? '')
    const missing = column.missingCodes ?? []
    const missingText = (code: string): string | undefined => {
      const entry = missing.find((candidate) => candidate.code === code)
      return entry === undefined ? undefined : format === 'sav' ? String(entry.number) : `.${entry.stata}`
    }
    const missingLabels = missing.map((entry) => [format === 'sav' ? String(entry.number) : `.${entry.stata}`, valueLabel(entry.label[language])] as const)
    const count = (values: string[]): Map<string, number> => {
      const counts = new Map<string, number>()
      for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
      return counts
    }
    if (column.kind === 'free_text') continue
    if (column.kind === 'design' && column.values.length === 0) {
      // The attendance weight: a plain number, no labels (every weight 1 in this v1 wave).
      out.push({ name: column.name, label: labelOf(column.label[language]), string: false, labels: new Map(), missing: [], counts: count(cells.map((cell) => String(Number(cell)))) })
      continue
    }
    if (column.values.length === 0) {
      out.push({ name: column.name, label: labelOf(column.label[language]), string: true, labels: new Map(), missing: [], counts: count(cells) })
      continue
    }
    const missingNumbers = missing.map((entry) => String(entry.number))
    if (column.dummies !== undefined) {
      for (const dummy of column.dummies) {
        out.push({
          name: dummy.name,
          label: labelOf(`${column.label[language]}: ${dummy.label[language]}`),
          string: false,
          labels: new Map([['1', language === 'en' ? 'chosen' : 'valgt'], ['0', language === 'en' ? 'not chosen' : 'ikke valgt'], ...missingLabels]),
          missing: format === 'sav' ? missingNumbers : [],
          counts: count(cells.map((cell) => missingText(cell) ?? (cell.split(';').includes(dummy.code) ? '1' : '0'))),
        })
      }
      continue
    }
    const numbers = new Map(column.values.map((value) => [value.code, String(value.number)]))
    out.push({
      name: column.name,
      label: labelOf(column.label[language]),
      string: false,
      labels: new Map([
        ...column.values.filter((value) => !missing.some((entry) => entry.code === value.code)).map((value) => [String(value.number), valueLabel(value.label[language])] as const),
        ...missingLabels,
      ]),
      missing: format === 'sav' ? missingNumbers : [],
      counts: count(cells.map((cell) => missingText(cell) ?? numbers.get(cell) ?? `unknown code ${cell}`)),
    })
  }
  return out
}

/** Reads a .sav or .dta with haven and prints, line by line, what it found (tab-separated). */
const HAVEN_PROBE = `
suppressMessages(library(haven))
args <- commandArgs(TRUE)
d <- if (args[[2]] == "sav") read_sav(args[[1]], user_na = TRUE) else read_dta(args[[1]])
cat(sprintf("rows\\t%d\\n", nrow(d)))
for (n in names(d)) {
  x <- d[[n]]
  cat(sprintf("var\\t%s\\t%s\\t%s\\n", n, if (is.character(x)) "string" else "numeric", if (is.null(attr(x, "label"))) "" else attr(x, "label")))
  labs <- attr(x, "labels")
  if (!is.null(labs)) for (i in seq_along(labs)) {
    v <- unclass(labs)[[i]]
    cat(sprintf("label\\t%s\\t%s\\t%s\\n", n, if (is.na(v)) paste0(".", na_tag(v)) else as.character(v), names(labs)[[i]]))
  }
  for (v in attr(x, "na_values")) cat(sprintf("missing\\t%s\\t%s\\n", n, as.character(v)))
  raw <- unclass(x)
  values <- if (is.character(x)) raw else ifelse(is.na(raw), ifelse(is.na(na_tag(raw)), ".", paste0(".", na_tag(raw))), as.character(raw))
  t <- table(values)
  for (v in names(t)) cat(sprintf("count\\t%s\\t%s\\t%d\\n", n, v, as.integer(t[[v]])))
}
`

interface Found { rows: number, variables: Array<{ name: string, type: string, label: string }>, labels: Map<string, Map<string, string>>, missing: Map<string, string[]>, counts: Map<string, Map<string, number>> }

function parseProbe (stdout: string): Found {
  const found: Found = { rows: -1, variables: [], labels: new Map(), missing: new Map(), counts: new Map() }
  for (const line of stdout.split('\n').filter((l) => l !== '')) {
    const [kind, name = '', a = '', b = ''] = line.split('\t')
    if (kind === 'rows') found.rows = Number(name)
    if (kind === 'var') found.variables.push({ name, type: a, label: b })
    if (kind === 'label') found.labels.set(name, (found.labels.get(name) ?? new Map<string, string>()).set(a, b))
    if (kind === 'missing') found.missing.set(name, [...(found.missing.get(name) ?? []), a])
    if (kind === 'count') found.counts.set(name, (found.counts.get(name) ?? new Map<string, number>()).set(a, Number(b)))
  }
  return found
}

/** Compares what a reader found with what the codebook and the CSV say, variable by variable. */
function expectAsCodebook (found: Found, expected: readonly Expected[]): void {
  expect(found.rows).toBe(RESPONSES)
  expect(found.variables.map((variable) => variable.name)).toEqual(expected.map((variable) => variable.name))
  for (const variable of expected) {
    const seen = found.variables.find((candidate) => candidate.name === variable.name)
    expect(seen?.label, variable.name).toBe(variable.label)
    expect(seen?.type, variable.name).toBe(variable.string ? 'string' : 'numeric')
    expect(Object.fromEntries(found.labels.get(variable.name) ?? new Map<string, string>()), variable.name).toEqual(Object.fromEntries(variable.labels))
    expect([...(found.missing.get(variable.name) ?? [])].sort(), variable.name).toEqual([...variable.missing].sort())
    expect(Object.fromEntries(found.counts.get(variable.name) ?? new Map<string, number>()), variable.name).toEqual(Object.fromEntries(variable.counts))
  }
}

describe('console: SPSS and Stata exports, and syntax reading the CSV', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let waveId: string
  let dir: string
  let codebook: Codebook
  let csv: FlatTable
  let names: ReturnType<typeof exportFileNames>

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    await publishDefinitions(database.db)
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    const sites = []
    for (const site of FIVE_SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Statistikkrunde «høst»', survey_version_id: version.id, opens_on: addDays(today, -10), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId, responses: RESPONSES, seed: 11 })
    sessions = await sessionsByRole(app, database.db, sites[0]?.id ?? '')
    dir = mkdtempSync(join(tmpdir(), 'prevalens-stat-'))
    const text = (await download('microdata.csv')).toString('utf8')
    csv = parseFlatFile(text, 'csv')
    codebook = JSON.parse((await download('codebook.json')).toString('utf8')) as Codebook
    names = exportFileNames(codebook, 'en')
    writeFileSync(join(dir, names.csv), text)
    for (const [file, name] of [['microdata.sav', names.sav], ['microdata.dta', names.dta], ['read-microdata.sps', names.sps], ['read-microdata.do', names.doFile]] as const) {
      writeFileSync(join(dir, name), await download(`${file}?language=en`))
    }
    writeFileSync(join(dir, 'nb.sav'), await download('microdata.sav?language=nb'))
    writeFileSync(join(dir, 'probe.R'), HAVEN_PROBE)
  }, 180_000)
  afterAll(async () => {
    await app?.close()
    await database?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  async function download (file: string): Promise<Buffer> {
    const reply = await app.inject({ method: 'GET', url: `/api/exports/waves/${waveId}/${file}`, headers: sessions.researcher.headers })
    expect(reply.statusCode, reply.body.slice(0, 300)).toBe(200)
    return reply.rawPayload
  }
  /** Runs a syntax file through PSPP in the export folder; its listing (where PSPP writes its errors) in either case. */
  async function pspp (syntax: string): Promise<string> {
    const listing = join(dir, `${syntax}.txt`)
    try {
      const { stdout, stderr } = await run('pspp', ['-O', 'format=txt', '-o', listing, syntax], { cwd: dir, env: UTF8 })
      return `${stdout}${stderr}${readFileSync(listing, 'utf8')}`
    } catch (error) {
      throw new Error(`pspp ${syntax} failed: ${existsSync(listing) ? readFileSync(listing, 'utf8').slice(0, 4000) : String(error)}`)
    }
  }
  async function haven (file: string, format: 'sav' | 'dta'): Promise<Found> {
    const { stdout } = await run('Rscript', [join(dir, 'probe.R'), join(dir, file), format], { env: UTF8, maxBuffer: 1 << 24 })
    return parseProbe(stdout)
  }

  it('each role gets exactly what it may: researchers and admins only', async () => {
    await expectRoleTable(app, sessions, ['microdata.sav', 'microdata.dta', 'read-microdata.sps', 'read-microdata.do'].map((file) => ({
      method: 'GET' as const, url: `/api/exports/waves/${waveId}/${file}`, allowed: ['researcher', 'admin'] as const,
    })))
  })

  it('names the bad query and writes nothing: no free text, a language it knows', async () => {
    const before = (await auditEntries(database.db, 'export.sav', waveId)).length
    for (const query of ['freeText=true', 'language=de']) {
      const reply = await app.inject({ method: 'GET', url: `/api/exports/waves/${waveId}/microdata.sav?${query}`, headers: sessions.researcher.headers })
      expect(reply.statusCode).toBe(400)
      expect(reply.body).toMatch(query.startsWith('free') ? /additional properties/ : /language/)
    }
    expect(await auditEntries(database.db, 'export.sav', waveId)).toHaveLength(before)
    const missing = await app.inject({ method: 'GET', url: '/api/exports/waves/00000000-0000-4000-8000-000000000000/microdata.dta', headers: sessions.admin.headers })
    expect(missing.statusCode).toBe(404)
  })

  it('audits every download with its language, and no answer', async () => {
    for (const action of ['export.sav', 'export.dta', 'export.sps', 'export.do']) {
      const entries = await auditEntries(database.db, action, waveId)
      expect(entries.length, action).toBeGreaterThan(0)
      expect(entries.at(-1), action).toMatchObject({ actor_email: sessions.researcher.account.email, object_type: 'wave', detail: { language: expect.stringMatching(/^(nb|en)$/) } })
    }
  })

  it('gives every coded value a number, and "prefer not to say" and an empty cell their missing codes, in the codebook', async () => {
    const gender = codebook.columns.find((column) => column.name === 'q_gender')
    expect(gender?.missingCodes).toEqual([
      { code: 'prefer_not', number: -1, stata: 'a', label: { nb: expect.any(String), en: expect.any(String) } },
      { code: '', number: -2, stata: 'b', label: { nb: expect.any(String), en: 'Not asked (skip logic) or skipped' } },
    ])
    expect(gender?.values.map((value) => value.number)).toEqual([1, 2, 3, -1])
    expect(codebook.columns.find((column) => column.name === 'county')?.values.find((value) => value.code === '03')?.number).toBe(3)
    expect(codebook.columns.find((column) => column.kind === 'indicator')?.values.map((value) => value.number)).toEqual([1, 0])
    expect(codebook.columns.find((column) => column.name === 'q_substances_1m')?.dummies?.map((dummy) => dummy.name)).toContain('q_substances_1m_1')
    for (const column of codebook.columns.filter((candidate) => candidate.values.length > 0)) {
      for (const value of column.values) expect(value.number, `${column.name} ${value.code}`).toEqual(expect.any(Number))
    }
    const markdown = (await download('codebook.md')).toString('utf8')
    expect(markdown).toContain(`| \`woman\` | 1 | ${gender?.values[0]?.label.en ?? '?'} |`)
    expect(markdown).toContain('- SPSS/Stata missing: `prefer_not` = -1 (SPSS user-missing) / .a (Stata)')
    expect(markdown).toContain('- SPSS/Stata missing: empty = -2 (SPSS user-missing) / .b (Stata): Not asked (skip logic) or skipped')
  })

  it('shuffles the rows and carries no response id', async () => {
    const ids = (await database.db.selectFrom('responses').select('id').execute()).map((row) => row.id)
    const sav = readFileSync(join(dir, names.sav))
    const dta = readFileSync(join(dir, names.dta))
    for (const id of ids.slice(0, 50)) {
      expect(sav.includes(Buffer.from(id))).toBe(false)
      expect(dta.includes(Buffer.from(id))).toBe(false)
    }
    const again = await download('microdata.sav?language=en')
    expect(again.length).toBe(sav.length)
    expect(again.equals(sav)).toBe(false)
  })

  it.runIf(HAVE_R)('haven reads the .sav and the .dta with every label and missing value the codebook gives, and the CSV\'s counts', async () => {
    expectAsCodebook(await haven(names.sav, 'sav'), expectedVariables(codebook, csv, 'en', 'sav'))
    expectAsCodebook(await haven('nb.sav', 'sav'), expectedVariables(codebook, csv, 'nb', 'sav'))
    expectAsCodebook(await haven(names.dta, 'dta'), expectedVariables(codebook, csv, 'en', 'dta'))
  }, 120_000)

  it.runIf(HAVE_R)('counts every indicator as analyze does on the CSV, and R\'s survey package gives the same design-based estimate', async () => {
    let out = ''
    const status = runAnalyze(['--input', 'wave.csv', '--no-suppress', '--method', 'cluster', '--cluster', 'site'], {
      readFile: () => readFileSync(join(dir, names.csv), 'utf8'), stdout: (t) => { out += t }, stderr: () => {},
    })
    expect(status).toBe(0)
    const rows = JSON.parse(out) as ResultRow[]
    const found = await haven(names.sav, 'sav')
    const indicators = codebook.columns.filter((column) => column.kind === 'indicator')
    expect(rows.map((row) => row.indicator)).toEqual(indicators.map((column) => column.name))
    for (const row of rows) {
      const counts = found.counts.get(row.indicator)
      expect(counts?.get('1') ?? 0, row.indicator).toBe(row.count)
      expect((counts?.get('1') ?? 0) + (counts?.get('0') ?? 0), row.indicator).toBe(row.n)
    }
    // The same estimate and interval from the .sav through survey::svyciprop (logit, sites as clusters).
    const chosen = rows.filter((row) => (row.count ?? 0) > 0 && (row.count ?? 0) < (row.n ?? 0)).slice(0, 3)
    const script = `suppressMessages({library(haven); library(survey)})
d <- read_sav(commandArgs(TRUE)[[1]])
for (v in commandArgs(TRUE)[-1]) {
  x <- d[!is.na(d[[v]]), ]
  x$y <- as.numeric(x[[v]] == 1); x$site <- as.numeric(x$site)
  p <- svyciprop(~y, svydesign(ids = ~site, data = x), method = "logit")
  ci <- attr(p, "ci")
  cat(sprintf("%s\\t%.12f\\t%.12f\\t%.12f\\n", v, as.numeric(p), ci[[1]], ci[[2]]))
}`
    writeFileSync(join(dir, 'svy.R'), script)
    const { stdout } = await run('Rscript', [join(dir, 'svy.R'), join(dir, names.sav), ...chosen.map((row) => row.indicator)], { env: UTF8 })
    for (const line of stdout.trim().split('\n')) {
      const [name, estimate, low, high] = line.split('\t')
      const row = chosen.find((candidate) => candidate.indicator === name)
      // svyciprop's logit estimate comes out of svyglm's iterations, equal to the mean to its convergence tolerance
      // (a difference of 1.3e-9 was seen): the same 1e-6 as the interval.
      expect(Math.abs((row?.estimate ?? NaN) - Number(estimate)), `${name} estimate`).toBeLessThan(1e-6)
      expect(Math.abs((row?.ci_low ?? NaN) - Number(low)), `${name} low`).toBeLessThan(1e-6)
      expect(Math.abs((row?.ci_high ?? NaN) - Number(high)), `${name} high`).toBeLessThan(1e-6)
    }
    expect(stdout.trim().split('\n')).toHaveLength(chosen.length)
  }, 120_000)

  it.runIf(HAVE_READSTAT)('ReadStat reads both files: the same metadata and the same values as the CSV', async () => {
    for (const format of ['sav', 'dta'] as const) {
      const file = join(dir, format === 'sav' ? names.sav : names.dta)
      const expected = expectedVariables(codebook, csv, 'en', format)
      await run('extract_metadata', [file, join(dir, `${format}.json`)])
      const metadata = JSON.parse(readFileSync(join(dir, `${format}.json`), 'utf8')) as {
        variables: Array<{ name: string, type: string, label?: string, categories?: Array<{ code: number | string, label: string }>, missing?: { type: string, values: number[] } }>
      }
      expect(metadata.variables.map((variable) => variable.name)).toEqual(expected.map((variable) => variable.name))
      for (const variable of expected) {
        const seen = metadata.variables.find((candidate) => candidate.name === variable.name)
        expect(seen?.type, variable.name).toBe(variable.string ? 'STRING' : 'NUMERIC')
        expect(seen?.label, variable.name).toBe(variable.label)
        expect(Object.fromEntries((seen?.categories ?? []).map((category) => [String(category.code), category.label])), variable.name).toEqual(Object.fromEntries(variable.labels))
        expect((seen?.missing?.values ?? []).map(String).sort(), variable.name).toEqual([...variable.missing].sort())
      }
      // The values, as ReadStat writes them to CSV: every count per variable as the CSV export's.
      const { stdout } = await run('readstat', [file, '-'], { env: UTF8, maxBuffer: 1 << 26 })
      const table = parseFlatFile(stdout, 'csv')
      expect(table.rows).toHaveLength(RESPONSES)
      for (const variable of expected) {
        const i = table.columns.indexOf(variable.name)
        const counts = new Map<string, number>()
        for (const row of table.rows) {
          const cell = row[i] ?? ''
          const key = variable.string ? cell : cell === '' ? '' : String(Number(cell))
          counts.set(key, (counts.get(key) ?? 0) + 1)
        }
        // ReadStat writes Stata's missing values (.a, .b) as empty cells.
        const want = new Map<string, number>()
        for (const [value, n] of variable.counts) {
          const key = value.startsWith('.') ? '' : value
          want.set(key, (want.get(key) ?? 0) + n)
        }
        expect(Object.fromEntries(counts), `${format} ${variable.name}`).toEqual(Object.fromEntries(want))
      }
    }
  }, 120_000)

  it.runIf(HAVE_PSPP && HAVE_R)('PSPP opens the .sav, and the .sps reads the CSV into the same variables as the .sav', async () => {
    writeFileSync(join(dir, 'open.sps'), `GET FILE='${names.sav}'.\nDISPLAY DICTIONARY.\nSAVE OUTFILE='resaved.sav'.\n`)
    const listing = await pspp('open.sps')
    expect(listing).not.toMatch(/error|warning/i)
    expect(listing).toContain('User-missing value')
    expect(listing).toContain('Prefer not to say')
    expectAsCodebook(await haven('resaved.sav', 'sav'), expectedVariables(codebook, csv, 'en', 'sav'))

    writeFileSync(join(dir, 'run.sps'), `INCLUDE FILE='${names.sps}'.\nSAVE OUTFILE='from-syntax.sav'.\n`)
    expect(await pspp('run.sps')).not.toMatch(/error|warning/i)
    expectAsCodebook(await haven('from-syntax.sav', 'sav'), expectedVariables(codebook, csv, 'en', 'sav'))
  }, 120_000)

  it('writes a do-file whose codes and labels are the codebook\'s (read, not run: Stata is not installed here)', () => {
    const text = readFileSync(join(dir, names.doFile), 'utf8')
    const lines = text.split('\n')
    expect(lines).toContain('version 14')
    expect(text).toContain(`local csvfile \`"${names.csv}"'`)
    const quoted = /`"(.*?)"'/g
    for (const variable of expectedVariables(codebook, csv, 'en', 'dta')) {
      expect(lines, variable.name).toContain(`label variable ${variable.name} \`"${variable.label}"'`)
      const define = lines.find((line) => line.startsWith(`label define ${variable.name} `))
      if (variable.labels.size === 0) { expect(define, variable.name).toBeUndefined(); continue }
      const pairs = new Map<string, string>()
      const body = define?.slice(`label define ${variable.name} `.length).replace(/, replace$/, '') ?? ''
      for (const match of body.matchAll(/(-?\d+|\.[a-z]) `"(.*?)"'/g)) pairs.set(match[1] ?? '', match[2] ?? '')
      expect(Object.fromEntries(pairs), variable.name).toEqual(Object.fromEntries(variable.labels))
      expect(lines, variable.name).toContain(`label values ${variable.name} ${variable.name}`)
    }
    // Every code of a single-choice column is turned into its codebook number (or missing code).
    for (const column of codebook.columns.filter((candidate) => candidate.values.length > 0 && candidate.dummies === undefined && candidate.kind !== 'free_text')) {
      for (const value of column.values) {
        const missing = column.missingCodes?.find((code) => code.code === value.code)
        expect(lines, `${column.name} ${value.code}`).toContain(`replace __code = ${missing === undefined ? String(value.number) : `.${missing.stata}`} if ${column.name} == \`"${value.code}"'`)
      }
      const empty = column.missingCodes?.find((code) => code.code === '')
      if (empty !== undefined) expect(lines, column.name).toContain(`replace __code = .${empty.stata} if ${column.name} == ""`)
    }
    expect(text.match(quoted)?.length).toBeGreaterThan(100)
  })
})
