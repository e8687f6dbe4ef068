/**
 * bench:exports — a wave's microdata written as CSV, SPSS (.sav) and Stata (.dta), each straight into a byte
 * counter: time, size, rows per second, and the heap's growth while writing (sampled after every batch).
 * A heap growth far below the file's size is what streaming means: rows are written as they are read.
 * Run with NODE_OPTIONS=--expose-gc (the npm script does) so the heap is measured after a collection, live
 * objects only, not garbage waiting to be collected.
 *
 *   DATABASE_URL     admin connection (default postgres://postgres@127.0.0.1:5432/postgres); a fresh database
 *                    is made beside it and dropped afterwards
 *   BENCH_RESPONSES  default 20,000
 */
import { randomBytes } from 'node:crypto'
import { connectDatabase } from '../../api/db/connect.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { findWaveExportSource } from '../../api/db/queries/microdata.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { prepareStatFile, writeMicrodata, writeStatFile } from '../../api/services/microdata-export.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { FIVE_SITES, createWave } from '../helpers/fixtures.js'
import { adminQuery, databaseUrlFor } from '../helpers/pg-admin.js'

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const responses = Number(process.env.BENCH_RESPONSES ?? 20000)
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)

async function main (): Promise<void> {
  const name = `prevalens_bench_exports_${randomBytes(4).toString('hex')}`
  await adminQuery(adminUrl, `create database ${name}`)
  const { db } = await connectDatabase({ databaseUrl: databaseUrlFor(adminUrl, name) })
  try {
    await migrateToLatest(db)
    await publishDefinitions(db)
    const version = await findSurveyVersion(db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    const sites = []
    for (const [i, site] of FIVE_SITES.entries()) sites.push(await createSite(db, { name: `Bench site ${i + 1}`, ...site }))
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(db, { name: 'Bench wave', survey_version_id: version.id, opens_on: addDays(today, -20), closes_on: addDays(today, 20), status: 'open' },
      sites.map((site) => ({ siteId: site.id })))
    await seedSyntheticResponses({ db, surveys: new CompiledSurveyCache(db), timeZone: 'Europe/Oslo' }, { waveId: wave.id, responses, seed: 2026 })
    const source = await findWaveExportSource(db, wave.id)
    if (source === undefined) throw new Error('no wave')
    console.log(`PostgreSQL, ${responses} responses, ${process.version}`)

    for (const format of ['csv', 'sav', 'dta'] as const) {
      const write = async (sink: (chunk: string | Uint8Array) => void): Promise<void> => {
        if (format === 'csv') await writeMicrodata(db, source, { format, freeText: false }, sink)
        else await writeStatFile(db, source, prepareStatFile(source, format, 'en'), sink)
      }
      // Timed on its own; then again with a collection after every batch, to see the live heap only.
      let bytes = 0
      const started = process.hrtime.bigint()
      await write((chunk) => { bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length })
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      global.gc?.()
      const before = process.memoryUsage().heapUsed
      let peak = before
      await write(() => {
        global.gc?.()
        peak = Math.max(peak, process.memoryUsage().heapUsed)
      })
      const heap = global.gc === undefined ? 'unmeasured (run with --expose-gc)' : `${mb(peak - before)} MB`
      console.log(`${format}: ${mb(bytes)} MB in ${seconds.toFixed(2)} s (${Math.round(responses / seconds)} rows/s); live heap growth while writing: ${heap}`)
    }
  } finally {
    await db.destroy()
    await adminQuery(adminUrl, `drop database if exists ${name} with (force)`)
  }
}

await main()
