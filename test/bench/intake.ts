/**
 * bench:intake — autocannon against POST /api/responses on PostgreSQL with valid, distinct responses,
 * beside a bare Fastify + pg insert of the same body in the same run. Prints req/s, p99 and the ratio,
 * then runs the week's mix (timed) and checks that every acknowledged response was stored exactly once.
 *   DATABASE_URL  admin connection (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 *                 database is made beside it and dropped afterwards
 *   BENCH_SECONDS per run (default 10), BENCH_ROUNDS interleaved rounds (default 3), BENCH_CONNECTIONS (default 10)
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { connectDatabase } from '../../api/db/connect.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { loadHoldingKeyring } from '../../api/sealing/holding-key.js'
import { mixWave } from '../../api/services/mix.js'
import { randomAnswers } from '../../api/synthetic/random-answers.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { createStudy } from '../helpers/fixtures.js'
import { adminQuery, databaseUrlFor } from '../helpers/pg-admin.js'

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const dbName = `prevalens_bench_${Date.now()}`
const url = databaseUrlFor(adminUrl, dbName)
const acknowledged = new Set<string>()
// The API and this process share a holding key file, so the bench can run the week's mix before it counts.
const HOLDING_KEY_FILE = join(mkdtempSync(join(tmpdir(), 'prevalens-intake-')), 'holding-key.json')

await adminQuery(adminUrl, `create database ${dbName}`)
const children: ChildProcess[] = []
try {
  const { db } = await connectDatabase({ databaseUrl: url })
  await migrateToLatest(db)
  const study = await createStudy(db)
  // One tablet per connection, each sending one response at a time as the kiosk does: a single token shared by
  // every connection would have one device upload concurrently, which only a flood does (and its device row,
  // which counts uploads, then serialises those batches).
  const tokens = [study.token]
  for (let i = 1; i < connections; i += 1) tokens.push((await enrolDevice(db, study.site.id, `Tablet ${i + 1}`)).token)
  const compiled = await new CompiledSurveyCache(db).get(study.wave.survey_version_id)
  const rng = mulberry32(42)
  const bodies = Array.from({ length: 5000 }, () => randomAnswers(compiled.survey, rng))

  // The per-device limits are lifted: each simulated tablet sends hundreds of responses a second.
  children.push(await startServer(['tsx', 'api/server.ts'], { DATABASE_URL: url, PORT: '3301', LOG_LEVEL: 'warn', DEMO_DATA: 'off', INTAKE_UPLOADS_PER_MINUTE: '100000', INTAKE_UPLOADS_PER_DAY: '1000000', HOLDING_KEY_FILE }, /listening|running/))
  children.push(await startServer(['tsx', 'test/bench/bare-insert-server.ts'], { DATABASE_URL: url, PORT: '3302' }, /ready/))

  let next = 0
  const body = () => JSON.stringify({ id: randomUUID(), waveId: study.wave.id, answers: bodies[next++ % bodies.length] })
  // Warm both up (compiled survey cache, pool connections), then measure each in turn.
  await run('http://127.0.0.1:3301/api/responses', tokens, body, 2)
  await run('http://127.0.0.1:3302/bare', tokens, body, 2)
  // Interleaved rounds, medians reported: on a shared 2-core machine one run alone says little.
  const intakeRuns: autocannon.Result[] = []
  const bareRuns: autocannon.Result[] = []
  for (let round = 0; round < rounds; round += 1) {
    intakeRuns.push(await run('http://127.0.0.1:3301/api/responses', tokens, body, seconds))
    bareRuns.push(await run('http://127.0.0.1:3302/bare', tokens, body, seconds))
  }
  const intake = median(intakeRuns)
  const bare = median(bareRuns)

  // The end of the week: what intake held enters the analysis tables, timed.
  const mixStarted = performance.now()
  const mix = await mixWave({ db, keys: loadHoldingKeyring(HOLDING_KEY_FILE), timeZone: 'Europe/Oslo' }, study.wave.id)
  const mixSeconds = (performance.now() - mixStarted) / 1000
  const stored = await sql<{ responses: number, facts: number, acknowledged_stored: number }>`
    select (select count(*) from responses)::int as responses, (select count(*) from response_facts)::int as facts,
           (select count(*) from responses where id = any(${[...acknowledged]}::uuid[]))::int as acknowledged_stored`.execute(db)
  const counts = stored.rows[0]!
  await db.destroy()

  const line = (name: string, r: autocannon.Result) =>
    `${name.padEnd(22)} ${r.requests.average.toFixed(0).padStart(7)} req/s   p50 ${String(r.latency.p50).padStart(4)} ms   p99 ${String(r.latency.p99).padStart(4)} ms   2xx ${r['2xx']}   non-2xx ${r.non2xx}   errors ${r.errors}`
  process.stdout.write([
    '',
    `bench:intake — PostgreSQL, ${connections} connections (one tablet each), ${rounds} interleaved rounds of ${seconds} s each (medians), valid distinct responses (${compiled.survey.questionNames.length}-question instrument)`,
    `  rounds, req/s: intake ${intakeRuns.map((r) => r.requests.average.toFixed(0)).join(' / ')} · bare ${bareRuns.map((r) => r.requests.average.toFixed(0)).join(' / ')}`,
    line('POST /api/responses', intake),
    line('bare Fastify + insert', bare),
    `ratio intake / bare    ${(intake.requests.average / bare.requests.average * 100).toFixed(0)} %  (goal ≥ 70 %)`,
    `the week's mix: ${mix.mixed} held responses opened, shuffled and stored in ${mixSeconds.toFixed(1)} s (${(mix.mixed / mixSeconds).toFixed(0)} a second)`,
    `acknowledged ${acknowledged.size} (incl. warm-up) · of them stored ${counts.acknowledged_stored} · rows: responses ${counts.responses}, facts ${counts.facts}`,
    '(rows may exceed acknowledgements: requests in flight when autocannon stops are stored but not counted; ids are primary keys, so none is stored twice)',
    exactlyOnce(counts)
      ? 'exactly once: every acknowledged response is stored, once, with its facts'
      : 'MISMATCH: an acknowledged response is missing, or facts do not match responses',
    '',
  ].join('\n'))
  if (!exactlyOnce(counts)) process.exitCode = 1
} finally {
  await Promise.all(children.map(stopServer))
  await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`)
  rmSync(dirname(HOLDING_KEY_FILE), { recursive: true, force: true })
}

async function run (target: string, tokens: string[], body: () => string, duration: number): Promise<autocannon.Result> {
  let nextTablet = 0
  const result = await autocannon({
    url: target,
    connections,
    duration,
    requests: [{
      method: 'POST',
      setupRequest: (request, context: { token?: string }) => {
        context.token ??= tokens[nextTablet++ % tokens.length]
        return { ...request, headers: { 'content-type': 'application/json', authorization: `Bearer ${context.token}` }, body: body() }
      },
      onResponse: (status, responseBody) => {
        if (status === 201 && target.endsWith('/api/responses')) acknowledged.add((JSON.parse(responseBody) as { id: string }).id)
      },
    }],
  })
  return result
}

function median (runs: autocannon.Result[]): autocannon.Result {
  return [...runs].sort((a, b) => a.requests.average - b.requests.average)[Math.floor(runs.length / 2)]!
}

function exactlyOnce (counts: { responses: number, facts: number, acknowledged_stored: number }): boolean {
  return counts.acknowledged_stored === acknowledged.size && counts.facts === counts.responses
}

async function stopServer (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  process.kill(-child.pid, 'SIGTERM') // the whole group: npx, tsx and the server under them
  await exited
}

function startServer (command: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', command, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], detached: true })
    const timer = setTimeout(() => reject(new Error(`${command.join(' ')} did not start`)), 30_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready.test(chunk.toString())) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`)))
  })
}
