import { join } from 'node:path'
/**
 * bench:results — the results overview of a released wave, as funders read it: a wave of 5,000
 * synthetic responses (through intake's validation and fact derivation) at 5 sites, released (the
 * overview set plus every headline indicator by age group, site kind and county), then
 * GET /api/releases/:id as a logged-in funder, timed per request inside the server process with
 * Fastify's inject (no network: the server's own time, session check included). Prints the time to
 * create the release and the median and p95 of the overview; the goal is a median under 200 ms.
 *
 *   DATABASE_URL        admin connection (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 *                       database is made beside it and dropped afterwards
 *   BENCH_ENGINE        postgresql (default) or pglite
 *   BENCH_RESPONSES     default 5,000
 *   BENCH_REQUESTS      timed overview requests (default 500, after 50 warm-up)
 *   BENCH_RELEASES      releases created in a row, each superseding the last (default 3)
 */
import { randomBytes } from 'node:crypto'
import { connectDatabase, openPGlite } from '../../api/db/connect.js'
import type { DatabaseHandle } from '../../api/db/connect.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { ReleaseDetail } from '../../api/schemas/releases.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { INSTRUMENT_FILE, definitionsDir, readInstrument } from '../../survey-definitions/index.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loginAs } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { adminQuery, databaseUrlFor } from '../helpers/pg-admin.js'
import { FIVE_SITES, createWave } from '../helpers/fixtures.js'

/** hverdag's headline indicators, as its instrument file states them (survey-definitions/hverdag/instrument.json). */
const HEADLINE_INDICATORS = readInstrument(join(definitionsDir, 'hverdag', INSTRUMENT_FILE)).headline.indicators

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const engine = process.env.BENCH_ENGINE ?? 'postgresql'
const responses = Number(process.env.BENCH_RESPONSES ?? 5000)
const requests = Math.max(1, Number(process.env.BENCH_REQUESTS ?? 500))
const releases = Math.max(1, Number(process.env.BENCH_RELEASES ?? 3))
const WARM_UP = 50
const GOAL_MS = 200

const SITES = FIVE_SITES

const quantile = (sorted: readonly number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
const ms = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e6
const fmt = (value: number): string => value.toFixed(1)

async function openDatabase (): Promise<{ handle: DatabaseHandle, drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    const handle = await connectDatabase({ pglite: await openPGlite(undefined) })
    return { handle, drop: async () => { await handle.db.destroy() } }
  }
  if (engine !== 'postgresql') throw new Error(`BENCH_ENGINE must be postgresql or pglite, not ${engine}`)
  const name = `prevalens_bench_results_${randomBytes(4).toString('hex')}`
  await adminQuery(adminUrl, `create database ${name}`)
  const handle = await connectDatabase({ databaseUrl: databaseUrlFor(adminUrl, name) })
  return {
    handle,
    drop: async () => {
      await handle.db.destroy()
      await adminQuery(adminUrl, `drop database if exists ${name} with (force)`)
    },
  }
}

async function main (): Promise<void> {
  const { handle, drop } = await openDatabase()
  const { db } = handle
  try {
    await migrateToLatest(db)
    await publishDefinitions(db)
    const version = await findSurveyVersion(db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    const sites = []
    for (const [i, site] of SITES.entries()) sites.push(await createSite(db, { name: `Bench site ${i + 1}`, ...site }))
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(db, {
      name: 'Bench wave', survey_version_id: version.id, opens_on: addDays(today, -20), closes_on: addDays(today, 20), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    let started = process.hrtime.bigint()
    await seedSyntheticResponses({ db, surveys: new CompiledSurveyCache(db), timeZone: 'Europe/Oslo' }, { waveId: wave.id, responses, seed: 2026 })
    console.log(`${engine}: ${responses} synthetic responses seeded in ${fmt(ms(started) / 1000)} s`)

    const { app } = await buildTestApp(handle, { LOG_LEVEL: 'warn' })
    const researcher = await loginAs(app, db, 'researcher')
    const funder = await loginAs(app, db, 'funder')
    const tables = [{ indicators: [...HEADLINE_INDICATORS], by: ['age_group'] }, { indicators: [...HEADLINE_INDICATORS], by: ['site_kind'] },
      { indicators: [...HEADLINE_INDICATORS], by: ['county'] }]
    let releaseId = ''
    const createTimes: number[] = []
    for (let i = 0; i < releases; i++) {
      started = process.hrtime.bigint()
      const reply = await app.inject({ method: 'POST', url: `/api/waves/${wave.id}/releases`, headers: researcher.headers, payload: { tables } })
      createTimes.push(ms(started))
      if (reply.statusCode !== 201) throw new Error(`release failed: ${reply.statusCode} ${reply.body}`)
      releaseId = reply.json<ReleaseDetail>().release.id
    }
    console.log(`create a release (${releases} in a row, each superseding the last): ${createTimes.map(fmt).join(', ')} ms`)

    const times: number[] = []
    let bytes = 0
    let detail: ReleaseDetail | undefined
    for (let i = 0; i < WARM_UP + requests; i++) {
      started = process.hrtime.bigint()
      const reply = await app.inject({ method: 'GET', url: `/api/releases/${releaseId}`, headers: funder.headers })
      const elapsed = ms(started)
      if (reply.statusCode !== 200) throw new Error(`overview failed: ${reply.statusCode} ${reply.body}`)
      if (i >= WARM_UP) times.push(elapsed)
      bytes = reply.rawPayload.length
      detail ??= reply.json<ReleaseDetail>()
    }
    times.sort((a, b) => a - b)
    const median = quantile(times, 0.5)
    console.log(`overview GET /api/releases/:id as a funder, ${requests} requests: median ${fmt(median)} ms, p95 ${fmt(quantile(times, 0.95))} ms, ` +
      `max ${fmt(times[times.length - 1] as number)} ms; ${detail?.rows.length ?? 0} rows, ${detail?.differences.length ?? 0} differences, ${fmt(bytes / 1024)} KB`)
    console.log(median < GOAL_MS ? `goal met: median < ${GOAL_MS} ms` : `GOAL MISSED: median ${fmt(median)} ms ≥ ${GOAL_MS} ms`)
    await app.close()
    if (median >= GOAL_MS) process.exitCode = 1
  } finally {
    await drop()
  }
}

await main()
