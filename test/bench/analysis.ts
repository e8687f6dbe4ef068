/**
 * bench:analysis — the full results table (every indicator of the instrument × gender × county,
 * design-based with sites as clusters and counties as strata, disclosure control included) through
 * the code GET /api/results runs (computeResults), beside a naive version that loads every fact row
 * into Node and counts there, in the same run, on PostgreSQL (100,000 and 1,000,000 responses) and on
 * PGlite (100,000). The results read the per-site totals the mix keeps (response_totals); the grouped
 * query over every response's facts (countCellsBySiteFiltered) is timed beside them. Prints the times of
 * each round, medians, the ratio and peak memory; asserts nothing about time, only that every way gives
 * the same table.
 *
 * Facts are real derivations, made in bulk: a few thousand synthetic respondents (the seeder's
 * weighting by gender, site and person) are validated and derived by the compiled survey and stored
 * through intake's insert, at 12 sites in 5 counties; then SQL clones them (answers and facts) under
 * random ids, each clone at its template's site, until the wave holds the responses asked for.
 *
 *   DATABASE_URL            admin connection (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 *                           database is made beside it and dropped afterwards
 *   BENCH_ENGINES           postgresql,pglite (default both)
 *   BENCH_PG_RESPONSES      default 1,000,000      BENCH_PGLITE_RESPONSES  default 100,000
 *   BENCH_TEMPLATES         distinct respondents derived (default 4,000)
 *   BENCH_ROUNDS            timed rounds of the results table (default 3, after one warm-up)
 *   BENCH_NAIVE_ROUNDS      timed rounds of the naive version (default 1)
 */
import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { buildResultsTable } from '../../analysis/results-table.js'
import type { ClusterCellCounts, ResultRow } from '../../analysis/results-table.js'
import { connectDatabase, openPGlite } from '../../api/db/connect.js'
import type { DatabaseHandle, Engine } from '../../api/db/connect.js'
import type { Database, SiteKind, SiteRow } from '../../api/db/database.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { rebuildResponseTotals } from '../../api/db/queries/response-totals.js'
import { insertAnalysisRows } from '../../api/db/queries/responses.js'
import type { ResponseToStore } from '../../api/db/queries/responses.js'
import { countCellsBySite, countCellsBySiteFiltered, indicatorsOfSurveyVersions } from '../../api/db/queries/results.js'
import type { IndicatorRef } from '../../api/db/queries/results.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { responseToStore } from '../../api/services/intake.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { computeResults } from '../../api/services/results.js'
import { siteExposureFactor, syntheticAnswers } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { adminQuery, databaseUrlFor } from '../helpers/pg-admin.js'
import { createWave } from '../helpers/fixtures.js'

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const engines = (process.env.BENCH_ENGINES ?? 'postgresql,pglite').split(',').map((name) => name.trim()).filter((name) => name !== '')
/** Sizes measured one after the other on one growing wave, so the time can be seen to follow cells, not responses. */
const sizes = (value: string | undefined, fallback: string): number[] =>
  (value ?? fallback).split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).sort((a, b) => a - b)
const responsesOn: Record<Engine, number[]> = {
  postgresql: sizes(process.env.BENCH_PG_RESPONSES, '100000,1000000'),
  pglite: sizes(process.env.BENCH_PGLITE_RESPONSES, '100000'),
}
const templateCount = Number(process.env.BENCH_TEMPLATES ?? 4000)
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
const naiveRounds = Math.max(1, Number(process.env.BENCH_NAIVE_ROUNDS ?? 1))

/** 12 sites in 5 counties, of unequal size (weight ∝ expected responses). */
const SITES: Array<{ county: string, municipality: string, kind: SiteKind, centrality: number, weight: number }> = [
  { county: '03', municipality: '0301', kind: 'municipal_low_threshold', centrality: 1, weight: 3 },
  { county: '03', municipality: '0301', kind: 'specialist_treatment', centrality: 1, weight: 2 },
  { county: '03', municipality: '0301', kind: 'street_outreach', centrality: 1, weight: 1.5 },
  { county: '46', municipality: '4601', kind: 'municipal_low_threshold', centrality: 2, weight: 2.5 },
  { county: '46', municipality: '4601', kind: 'housing', centrality: 2, weight: 1 },
  { county: '46', municipality: '4627', kind: 'specialist_treatment', centrality: 3, weight: 0.8 },
  { county: '50', municipality: '5001', kind: 'municipal_low_threshold', centrality: 2, weight: 1.5 },
  { county: '50', municipality: '5001', kind: 'specialist_treatment', centrality: 2, weight: 1 },
  { county: '11', municipality: '1103', kind: 'municipal_low_threshold', centrality: 2, weight: 1.2 },
  { county: '11', municipality: '1108', kind: 'housing', centrality: 3, weight: 0.6 },
  { county: '55', municipality: '5501', kind: 'municipal_low_threshold', centrality: 3, weight: 0.8 },
  { county: '55', municipality: '5501', kind: 'street_outreach', centrality: 3, weight: 0.4 },
]
const BY = 'gender,county'
const STRATA = 'county'

interface Timed<T> {
  seconds: number
  peakRssMb: number
  startRssMb: number
  value: T
}

const mb = (bytes: number): number => bytes / 2 ** 20
const say = (line: string): void => { process.stdout.write(`${line}\n`) }

/** Runs `work`, sampling the resident set size every 10 ms, and returns its time and the phase's high-water mark. */
async function timed<T> (work: () => Promise<T>): Promise<Timed<T>> {
  const startRss = process.memoryUsage.rss()
  let peak = startRss
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 10)
  const started = performance.now()
  try {
    const value = await work()
    const seconds = (performance.now() - started) / 1000
    peak = Math.max(peak, process.memoryUsage.rss())
    return { seconds, peakRssMb: mb(peak), startRssMb: mb(startRss), value }
  } finally {
    clearInterval(sampler)
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN

interface Study {
  waveId: string
  surveyVersionId: number
  sites: SiteRow[]
}

async function createBenchStudy (db: Kysely<Database>): Promise<Study> {
  await publishDefinitions(db)
  const version = await findSurveyVersion(db, 'hverdag', 1)
  if (version === undefined) throw new Error('hverdag v1 was not published')
  const sites: SiteRow[] = []
  for (const [i, site] of SITES.entries()) {
    sites.push(await createSite(db, {
      name: `Bench site ${i + 1}`, kind: site.kind, county_number: site.county, municipality_number: site.municipality, centrality: site.centrality,
    }))
  }
  const today = studyToday('Europe/Oslo')
  const wave = await createWave(db, {
    name: 'Bench wave', survey_version_id: version.id, opens_on: addDays(today, -30), closes_on: addDays(today, 30), status: 'open',
  }, sites.map((site) => ({ siteId: site.id })))
  return { waveId: wave.id, surveyVersionId: version.id, sites }
}

/**
 * Derives `templateCount` distinct respondents through the compiled survey (validated, facts derived)
 * and stores them with intake's insert, each site getting its share of the weight; returns how many.
 */
async function storeTemplates (db: Kysely<Database>, study: Study): Promise<number> {
  const compiled = await new CompiledSurveyCache(db).get(study.surveyVersionId)
  const rng = mulberry32(20261126)
  const today = studyToday('Europe/Oslo')
  const totalWeight = SITES.reduce((sum, site) => sum + site.weight, 0)
  let stored = 0
  for (const [i, site] of study.sites.entries()) {
    const count = Math.max(1, Math.round(templateCount * (SITES[i]?.weight ?? 1) / totalWeight))
    const factor = siteExposureFactor(site.id)
    const responses: ResponseToStore[] = []
    for (let k = 0; k < count; k += 1) {
      const answers = syntheticAnswers(compiled.survey, rng, factor)
      responses.push(responseToStore(compiled, { id: randomUUID(), waveId: study.waveId, answers }, today))
    }
    for (let start = 0; start < responses.length; start += 250) {
      stored += (await insertAnalysisRows(db, responses.slice(start, start + 250).map((response) => ({ siteId: site.id, response })))).size
    }
  }
  return stored
}

/** Clones the stored respondents (answers and facts together) under random ids at their own sites until the wave holds `total`. */
async function cloneTemplates (db: Kysely<Database>, from: number, templates: number, total: number, chunk: number): Promise<void> {
  await sql`
    create table bench_templates as
    select row_number() over (order by r.id)::int as t, r.wave_id, r.site_id, r.survey_version_id, r.iso_week, r.answers,
           f.gender, f.age_group, f.indicator_values, f.yes_lanes, f.known_lanes
    from responses r join response_facts f on f.response_id = r.id`.execute(db)
  await sql`create unique index on bench_templates (t)`.execute(db)
  try {
    for (let done = from; done < total; done += chunk) {
      const size = Math.min(chunk, total - done)
      await sql`
        with pick as materialized (
          select gen_random_uuid() as id, 1 + floor(random() * ${sql.lit(templates)})::int as t from generate_series(1, ${sql.lit(size)})
        ), src as materialized (
          select p.id, b.wave_id, b.site_id, b.survey_version_id, b.iso_week, b.answers, b.gender, b.age_group,
                 b.indicator_values, b.yes_lanes, b.known_lanes
          from pick p join bench_templates b on b.t = p.t
        ), stored as (
          insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
          select id, wave_id, site_id, survey_version_id, iso_week, answers from src
        )
        insert into response_facts (response_id, wave_id, site_id, survey_version_id, iso_week, gender, age_group, indicator_values, yes_lanes, known_lanes)
        select id, wave_id, site_id, survey_version_id, iso_week, gender, age_group, indicator_values, yes_lanes, known_lanes from src`.execute(db)
      process.stdout.write(`\r  cloned to ${(done + size).toLocaleString('en')} responses`)
    }
    process.stdout.write('\n')
  } finally {
    await sql`drop table bench_templates`.execute(db)
  }
}

/** The naive way: every fact row of the wave into Node (through a cursor, 10,000 at a time), counted there, then the same analysis. */
async function naiveResults (db: Kysely<Database>, study: Study, indicators: readonly IndicatorRef[]): Promise<ResultRow[]> {
  const cells = new Map<string, { site: string, gender: string | null, county: string, counts: Array<{ n: number, yes: number }> }>()
  await db.transaction().execute(async (trx) => {
    await sql`
      declare naive_facts no scroll cursor for
      select f.site_id::text as site, s.county_number as county, f.gender, f.indicator_values
      from response_facts f join sites s on s.id = f.site_id
      where f.wave_id = ${study.waveId}`.execute(trx)
    for (;;) {
      const batch = await sql<{ site: string, county: string, gender: string | null, indicator_values: Array<boolean | null> }>`
        fetch forward 10000 from naive_facts`.execute(trx)
      if (batch.rows.length === 0) break
      for (const row of batch.rows) {
        const key = `${row.site}\u0000${row.gender ?? ''}\u0000${row.gender === null ? 1 : 0}`
        let cell = cells.get(key)
        if (cell === undefined) {
          cell = { site: row.site, gender: row.gender, county: row.county, counts: indicators.map(() => ({ n: 0, yes: 0 })) }
          cells.set(key, cell)
        }
        indicators.forEach(({ id }, i) => {
          const value = row.indicator_values[id - 1]
          if (value === null || value === undefined) return
          const count = cell.counts[i] as { n: number, yes: number }
          count.n += 1
          if (value) count.yes += 1
        })
      }
    }
    await sql`close naive_facts`.execute(trx)
  })
  const rows: ClusterCellCounts[] = [...cells.values()].map((cell) => ({ group: { gender: cell.gender, county: cell.county }, cluster: cell.site, counts: cell.counts }))
  return buildResultsTable({
    indicators: indicators.map((indicator) => indicator.name),
    breakdowns: [BY.split(',')],
    rows,
    method: 'cluster',
    strata: Object.fromEntries([...cells.values()].map((cell) => [cell.site, cell.county])),
  })
}

/** Rows in a canonical order, to compare the two ways whatever order each builds them in. */
const canonical = (rows: readonly ResultRow[]): ResultRow[] =>
  [...rows].sort((a, b) => JSON.stringify([a.indicator, a.group]).localeCompare(JSON.stringify([b.indicator, b.group])))

async function benchEngine (engine: Engine): Promise<void> {
  const dbName = `prevalens_bench_analysis_${Date.now()}`
  let handle: DatabaseHandle
  if (engine === 'postgresql') {
    await adminQuery(adminUrl, `create database ${dbName}`)
    handle = await connectDatabase({ databaseUrl: databaseUrlFor(adminUrl, dbName) })
  } else {
    handle = await connectDatabase({ pglite: await openPGlite(undefined) })
  }
  const { db } = handle
  try {
    await migrateToLatest(db)
    const study = await createBenchStudy(db)
    const templates = await storeTemplates(db, study)
    let stored = templates
    for (const total of responsesOn[engine]) {
      say('')
      say(`bench:analysis — ${engine === 'postgresql' ? 'PostgreSQL' : 'PGlite (in memory, on this thread)'}, ${total.toLocaleString('en')} responses`)
      const seeding = await timed(async () => {
        await cloneTemplates(db, stored, templates, total, engine === 'postgresql' ? 100_000 : 20_000)
        await db.transaction().execute(async (trx) => { await rebuildResponseTotals(trx, study.waveId) })
        await sql`vacuum analyze responses`.execute(db)
        await sql`vacuum analyze response_facts`.execute(db)
        await sql`vacuum analyze response_totals`.execute(db)
      })
      stored = Math.max(stored, total)
      await measure(db, study, templates, seeding.seconds)
    }
  } finally {
    await db.destroy()
    if (engine === 'postgresql') await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`)
  }
}

async function measure (db: Kysely<Database>, study: Study, templates: number, seedingSeconds: number): Promise<void> {
  const indicators = await indicatorsOfSurveyVersions(db, [study.surveyVersionId])
  const facts = await sql<{ n: number, sites: number, counties: number, size: string, totals: number }>`
    select count(*)::int as n, count(distinct f.site_id)::int as sites, count(distinct s.county_number)::int as counties,
           pg_size_pretty(pg_total_relation_size('response_facts')) as size,
           (select count(*)::int from response_totals) as totals
    from response_facts f join sites s on s.id = f.site_id`.execute(db)
  const info = facts.rows[0]
  say(`  seeded in ${seedingSeconds.toFixed(1)} s: ${info?.n.toLocaleString('en')} facts (clones of ${templates.toLocaleString('en')} derived respondents) ` +
    `at ${info?.sites} sites in ${info?.counties} counties; response_facts ${info?.size}; ${info?.totals} rows of response_totals; ${indicators.length} indicators`)

  const request = { waves: study.waveId, by: [BY], method: 'cluster', strata: STRATA }
  const query = { waveIds: [study.waveId], indicators, dimensions: ['gender', 'county'] as const, stratum: 'county' as const }
  await computeResults(db, request) // warm-up: caches, plans, the compiled survey
  const full: Array<Timed<ResultRow[]>> = []
  const grouped: number[] = []
  const rowLevel: number[] = []
  let sameCounts = true
  for (let round = 0; round < rounds; round += 1) {
    const fromTotals = await timed(async () => await countCellsBySite(db, { ...query, dimensions: [...query.dimensions] }))
    const fromFacts = await timed(async () => await countCellsBySiteFiltered(db, { ...query, dimensions: [...query.dimensions] }))
    grouped.push(fromTotals.seconds)
    rowLevel.push(fromFacts.seconds)
    sameCounts &&= isDeepStrictEqual(canonicalCounts(fromTotals.value), canonicalCounts(fromFacts.value))
    full.push(await timed(async () => await computeResults(db, request)))
  }
  const naive: Array<Timed<ResultRow[]>> = []
  for (let round = 0; round < naiveRounds; round += 1) naive.push(await timed(async () => await naiveResults(db, study, indicators)))

  const table = full[0]?.value ?? []
  const same = sameCounts && naive.every((run) => isDeepStrictEqual(canonical(run.value), canonical(table)))
  const fullMedian = median(full.map((run) => run.seconds))
  const naiveMedian = median(naive.map((run) => run.seconds))
  const peak = (runs: ReadonlyArray<Timed<unknown>>) => {
    const top = runs.reduce((best, run) => run.peakRssMb > best.peakRssMb ? run : best)
    return `peak RSS ${top.peakRssMb.toFixed(0)} MB (+${(top.peakRssMb - top.startRssMb).toFixed(0)} MB over the phase's start)`
  }
  const suppressed = table.filter((row) => row.suppressed).length
  say(`  table: ${indicators.length} indicators × ${BY}, method cluster, strata ${STRATA}, disclosure control (k 5): ` +
    `${table.length} cells, ${suppressed} suppressed, ${table.filter((row) => row.method === 'design-logit' && row.ci_low !== undefined).length} design-based intervals`)
  say(`  results table (computeResults, as GET /api/results)  rounds ${full.map((run) => run.seconds.toFixed(2)).join(' / ')} s  median ${fullMedian.toFixed(2)} s  ${peak(full)}`)
  say(`    of it the counts from the totals (countCellsBySite)  rounds ${grouped.map((s) => s.toFixed(3)).join(' / ')} s  median ${median(grouped).toFixed(3)} s`)
  say(`  the same counts from every response's facts           rounds ${rowLevel.map((s) => s.toFixed(2)).join(' / ')} s  median ${median(rowLevel).toFixed(2)} s`)
  say(`  naive: every fact row into Node, counted there        rounds ${naive.map((run) => run.seconds.toFixed(2)).join(' / ')} s  median ${naiveMedian.toFixed(2)} s  ${peak(naive)}`)
  say(`  ratio naive / results table  ${(naiveMedian / fullMedian).toFixed(1)} ×   (goal: results table ≤ 0.5 s at 1,000,000 responses on PostgreSQL)`)
  say(same
    ? '  same table every way: the counts from the totals equal the row-level counts, and every cell, count, interval and suppression equals the naive table'
    : '  MISMATCH: the totals, the row-level counts and the naive table do not all agree')
  if (!same) process.exitCode = 1
}

/** Cell counts in a canonical order. */
const canonicalCounts = (rows: ReadonlyArray<{ site: string, group: Record<string, string | null> }>): unknown[] =>
  [...rows].sort((a, b) => JSON.stringify([a.site, a.group]).localeCompare(JSON.stringify([b.site, b.group])))

for (const engine of engines) {
  if (engine !== 'postgresql' && engine !== 'pglite') throw new Error(`BENCH_ENGINES: unknown engine ${engine} (postgresql, pglite)`)
  await benchEngine(engine)
}
say(`process peak RSS (maxRSS) ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB` +
  (engines.includes('pglite') ? ' — PGlite\'s database lives in this process, so its figures include the database' : ''))
