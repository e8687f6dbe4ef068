/**
 * What the per-device rate limit and tablet counters cost in intake's batch statement: the statement as it is
 * (device rows locked in id order, counted and updated) against the same insert without them (the statement
 * before the limit, kept here as the baseline), on PostgreSQL, interleaved rounds, responses stored per second.
 *   realistic: each writer's batches hold tablets no other writer has in flight (a tablet sends one at a time)
 *   shared:    every batch holds the same tablets (one tablet flooding), so concurrent batches queue on its row
 * Run: npx tsx test/bench/intake-statement.ts   (DATABASE_URL admin connection, default the local postgres;
 * BENCH_SECONDS per run, default 4; BENCH_ROUNDS, default 3; BENCH_BATCH, default 20)
 */
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { connectDatabase, PREPARED } from '../../api/db/connect.js'
import type { Database } from '../../api/db/database.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { enrolDevice, hashDeviceToken } from '../../api/db/queries/devices.js'
import { RECORD_COLUMNS, insertResponsesIfPermitted, responseRecord } from '../../api/db/queries/responses.js'
import type { PermittedUpload, ResponseToStore } from '../../api/db/queries/responses.js'
import { randomAnswers } from '../../api/intake/random-answers.js'
import { mulberry32 } from '../../api/intake/rng.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { responseToStore } from '../../api/services/intake.js'
import { studyToday } from '../../api/study-calendar.js'
import { createStudy } from '../helpers/fixtures.js'
import { adminQuery, databaseUrlFor } from '../helpers/pg-admin.js'

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const seconds = Number(process.env.BENCH_SECONDS ?? 4)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const batchSize = Number(process.env.BENCH_BATCH ?? 20)
const WRITERS = 2
const dbName = `prevalens_stmt_${Date.now()}`

await adminQuery(adminUrl, `create database ${dbName}`)
try {
  const { db } = await connectDatabase({ databaseUrl: databaseUrlFor(adminUrl, dbName) })
  await migrateToLatest(db)
  const study = await createStudy(db)
  const tokenHashes = [hashDeviceToken(study.token)]
  for (let i = 1; i < WRITERS * batchSize; i += 1) tokenHashes.push(hashDeviceToken((await enrolDevice(db, study.site.id, `Tablet ${i + 1}`)).token))
  const compiled = await new CompiledSurveyCache(db).get(study.wave.survey_version_id)
  const rng = mulberry32(3)
  const today = studyToday('Europe/Oslo')
  const responses: ResponseToStore[] = Array.from({ length: 2000 }, () =>
    responseToStore(compiled, { id: '', waveId: study.wave.id, answers: randomAnswers(compiled.survey, rng) }, today))
  let next = 0
  const batch = (writer: number, shared: boolean): PermittedUpload[] => Array.from({ length: batchSize }, (_, i) => ({
    permit: { tokenHash: tokenHashes[shared ? i : writer * batchSize + i]!, today, uploadsPerMinute: 100_000 },
    response: { ...responses[next++ % responses.length]!, id: randomUUID() },
  }))

  const variants = {
    'with limit and counters': (uploads: PermittedUpload[]) => insertResponsesIfPermitted(db, uploads),
    'without (the statement before)': (uploads: PermittedUpload[]) => insertWithoutLimit(db, uploads),
  }
  for (const shared of [false, true]) {
    const perSecond = new Map<string, number[]>()
    for (let round = 0; round < rounds; round += 1) {
      for (const [name, insert] of Object.entries(variants)) {
        let stored = 0
        const end = Date.now() + seconds * 1000
        await Promise.all(Array.from({ length: WRITERS }, async (_, writer) => {
          while (Date.now() < end) {
            await insert(batch(writer, shared))
            stored += batchSize
          }
        }))
        perSecond.set(name, [...perSecond.get(name) ?? [], stored / seconds])
      }
    }
    process.stdout.write(`${shared ? 'shared tablets (a flood)' : 'realistic (a tablet has one upload in flight)'}, ${WRITERS} writers, batches of ${batchSize}:\n`)
    const medians = [...perSecond].map(([name, runs]) => {
      const median = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!
      process.stdout.write(`  ${name.padEnd(32)} median ${median.toFixed(0)} responses/s  (rounds ${runs.map((r) => r.toFixed(0)).join(' / ')})\n`)
      return median
    })
    process.stdout.write(`  cost of the limit: ${((1 - medians[0]! / medians[1]!) * 100).toFixed(0)} %\n`)
  }
  await db.destroy()
} finally {
  await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`)
}

/** The batch statement as it was before the per-device limit: the same checks and inserts, no device row touched. */
async function insertWithoutLimit (db: Kysely<Database>, uploads: readonly PermittedUpload[]): Promise<number> {
  const input = uploads.map(({ permit, response }) => ({ ...responseRecord(response), token_hash: permit.tokenHash, today: permit.today }))
  const result = await sql<{ response_id: string }>`${sql.raw(PREPARED)}
    with target as (
      select distinct on (i.id) i.id, i.wave_id, d.site_id, i.survey_version_id, i.iso_week, i.answers, i.gender, i.age_group, i.indicator_values,
             i.yes_lanes, i.known_lanes
      from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as i(${RECORD_COLUMNS}, token_hash text, today date)
      join devices d on d.token_hash = i.token_hash and d.revoked_at is null
      join wave_sites ws on ws.site_id = d.site_id and ws.wave_id = i.wave_id
      join waves w on w.id = ws.wave_id
      where w.status <> 'planned' and w.survey_version_id = i.survey_version_id
        and w.opens_on <= i.today and w.closes_on + w.grace_days >= i.today
      order by i.id
    ), inserted as (
      insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
      select id, wave_id, site_id, survey_version_id, iso_week, answers from target
      on conflict (id) do nothing
      returning id
    )
    insert into response_facts (response_id, wave_id, site_id, survey_version_id, iso_week, gender, age_group, indicator_values,
                                yes_lanes, known_lanes)
    select t.id, t.wave_id, t.site_id, t.survey_version_id, t.iso_week, t.gender, t.age_group, t.indicator_values,
           t.yes_lanes, t.known_lanes
    from target t join inserted using (id)
    returning response_id`.execute(db)
  return result.rows.length
}
