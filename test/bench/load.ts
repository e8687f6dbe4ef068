/**
 * bench:load — 200 simulated tablets (200 enrolled devices, one autocannon connection each, valid distinct
 * responses) upload to intake on PostgreSQL until at least 100,000 responses are acknowledged, beside the bare
 * Fastify + pg insert of the same bodies in the same run; then every acknowledged response must be stored
 * exactly once. A fault phase follows on a throwaway PostgreSQL cluster of its own (the machine's shared
 * cluster is never restarted): PostgreSQL stopped as if it crashed and started again under load, then the API
 * SIGKILLed and started again under load, then the week's mix run while uploads go on, and a mix cut short by
 * PostgreSQL crashing under it; after each, the held responses are mixed and the acknowledged set is checked the
 * same way.
 *   DATABASE_URL   admin connection for the steady phase (default postgres://postgres@127.0.0.1:5432/postgres);
 *                  a fresh database is made beside it and dropped afterwards
 *   LOAD_RESPONSES acknowledged responses to reach (default 100000), LOAD_TABLETS (default 200),
 *   LOAD_BARE_SECONDS (default 15), LOAD_FAULT_SECONDS per fault run (default 20)
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { connectDatabase } from '../../api/db/connect.js'
import type { Database } from '../../api/db/database.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { randomAnswers } from '../../api/synthetic/random-answers.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { loadHoldingKeyring } from '../../api/sealing/holding-key.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { mixWave } from '../../api/services/mix.js'
import type { MixContext, MixOutcome } from '../../api/services/mix.js'
import { createStudy } from '../helpers/fixtures.js'
import { adminQuery, databaseUrlFor } from '../helpers/pg-admin.js'
import { createPrivateCluster } from '../helpers/private-postgres.js'
import type { PrivateCluster } from '../helpers/private-postgres.js'

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const target = Number(process.env.LOAD_RESPONSES ?? 100_000)
const tablets = Number(process.env.LOAD_TABLETS ?? 200)
const bareSeconds = Number(process.env.LOAD_BARE_SECONDS ?? 15)
const faultSeconds = Number(process.env.LOAD_FAULT_SECONDS ?? 20)
// 200 tablets sending 100,000 responses in a minute or two is a thousand times a real tablet's pace: the
// per-device limit would (rightly) refuse most of it, so the bench lifts it to its maximum.
// The API processes and this one share a holding key file, as a deployment's processes do, so the bench can mix.
const HOLDING_KEY_FILE = join(mkdtempSync(join(tmpdir(), 'prevalens-load-')), 'holding-key.json')
const API_ENV = { LOG_LEVEL: 'warn', DEMO_DATA: 'off', INTAKE_UPLOADS_PER_MINUTE: '100000', INTAKE_UPLOADS_PER_DAY: '1000000', HOLDING_KEY_FILE }
const mixContext = (db: Kysely<Database>): MixContext => ({ db, keys: loadHoldingKeyring(HOLDING_KEY_FILE), timeZone: 'Europe/Oslo' })

interface Study {
  db: Kysely<Database>
  url: string
  waveId: string
  tokens: string[]
  bodies: Array<Record<string, unknown>>
}

interface LoadRun {
  result: autocannon.Result
  acknowledged: Set<string>
}

const started = Date.now()
const children = new Set<ChildProcess>()
const dbName = `prevalens_load_${Date.now()}`
const lines: string[] = []
let cluster: PrivateCluster | undefined
let failed = false
const say = (line: string): void => {
  lines.push(line)
  process.stdout.write(`${line}\n`)
}

await adminQuery(adminUrl, `create database ${dbName}`)
try {
  // Steady phase on the given PostgreSQL.
  const study = await prepareStudy(databaseUrlFor(adminUrl, dbName))
  const apiPort = await freePort()
  const barePort = await freePort()
  await startServer(['tsx', 'api/server.ts'], { ...API_ENV, DATABASE_URL: study.url, PORT: String(apiPort) }, /Health:/)
  await startServer(['tsx', 'test/bench/bare-insert-server.ts'], { DATABASE_URL: study.url, PORT: String(barePort) }, /ready/)
  const warmUp = await load(`http://127.0.0.1:${apiPort}/api/responses`, study, { duration: 3 }) // caches, pool, JIT
  await load(`http://127.0.0.1:${barePort}/bare`, study, { duration: 2 })

  say(`bench:load — PostgreSQL, ${tablets} tablets (one connection and one device token each), valid distinct responses`)
  const runs: LoadRun[] = []
  let acknowledged = 0
  while (acknowledged < target) {
    const run = await load(`http://127.0.0.1:${apiPort}/api/responses`, study, { amount: target - acknowledged })
    runs.push(run)
    acknowledged += run.acknowledged.size
    if (run.acknowledged.size === 0) throw new Error('intake acknowledged nothing')
  }
  const bare = await load(`http://127.0.0.1:${barePort}/bare`, study, { duration: bareSeconds })
  const steady = runs[0]!
  say(line('POST /api/responses', steady.result))
  say(line('bare Fastify + insert', bare.result))
  say(`ratio intake / bare    ${(steady.result.requests.average / bare.result.requests.average * 100).toFixed(0)} %`)
  await report('steady (and warm-up)', study.db, [warmUp, ...runs].flatMap((run) => [...run.acknowledged]))
  await study.db.destroy()
  await stopAll()

  // Fault phase on a cluster of its own.
  cluster = await createPrivateCluster()
  const faultStudy = await prepareStudy(cluster.adminUrl)
  const faultPort = await freePort()
  const apiUrl = `http://127.0.0.1:${faultPort}/api/responses`
  const faultEnv = { ...API_ENV, DATABASE_URL: faultStudy.url, PORT: String(faultPort) }
  let api = await startServer(['tsx', 'api/server.ts'], faultEnv, /Health:/)

  const restart = cluster
  const pgRun = await during(load(apiUrl, faultStudy, { duration: faultSeconds }), faultSeconds / 4, async () => {
    await restart.stop('immediate')
    await sleep(3000)
    await restart.start()
  })
  say(line('PostgreSQL restarted', pgRun.result))
  await report('PostgreSQL restart', faultStudy.db, [...pgRun.acknowledged])

  const killRun = await during(load(apiUrl, faultStudy, { duration: faultSeconds }), faultSeconds / 4, async () => {
    await stopServer(api, 'SIGKILL')
    api = await startServer(['tsx', 'api/server.ts'], faultEnv, /Health:/)
  })
  say(line('API SIGKILLed, restarted', killRun.result))
  await report('API SIGKILL', faultStudy.db, [...pgRun.acknowledged, ...killRun.acknowledged])

  // The week's mix while the tablets keep uploading: it moves what was held when it began, intake goes on holding.
  let mixed: MixOutcome | undefined
  const mixRun = await during(load(apiUrl, faultStudy, { duration: faultSeconds }), faultSeconds / 4, async () => {
    const started = performance.now()
    mixed = await mixWave(mixContext(faultStudy.db), faultStudy.waveId)
    say(`  the mix under load moved ${mixed.mixed} held responses in ${((performance.now() - started) / 1000).toFixed(2)} s`)
  })
  say(line('mix under load', mixRun.result))
  await report('mix under load', faultStudy.db, [...pgRun.acknowledged, ...killRun.acknowledged, ...mixRun.acknowledged])

  // PostgreSQL crashing while a mix is writing: the mix's transaction is lost whole, the held rows stay.
  const crashRun = await during(load(apiUrl, faultStudy, { duration: faultSeconds }), faultSeconds / 4, async () => {
    const mixing = mixWave(mixContext(faultStudy.db), faultStudy.waveId).then((outcome) => `committed (${outcome.mixed} moved)`, () => 'failed, as it should')
    await sleep(50)
    await restart.stop('immediate')
    say(`  the mix cut short by PostgreSQL's crash: ${await mixing}`)
    await sleep(3000)
    await restart.start()
  })
  say(line('PostgreSQL crashed mid-mix', crashRun.result))
  await report('PostgreSQL crash mid-mix', faultStudy.db, [...pgRun.acknowledged, ...killRun.acknowledged, ...mixRun.acknowledged, ...crashRun.acknowledged])
  await faultStudy.db.destroy()
  say(`total ${((Date.now() - started) / 1000).toFixed(0)} s`)
} catch (error) {
  failed = true
  process.stderr.write(`bench:load failed: ${error instanceof Error ? error.stack : String(error)}\n`)
} finally {
  await stopAll()
  await cluster?.destroy()
  await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`)
  rmSync(dirname(HOLDING_KEY_FILE), { recursive: true, force: true })
}
if (failed) process.exitCode = 1

async function prepareStudy (url: string): Promise<Study> {
  const { db } = await connectDatabase({ databaseUrl: url })
  await migrateToLatest(db)
  const study = await createStudy(db)
  const tokens = [study.token]
  for (let i = 1; i < tablets; i += 1) tokens.push((await enrolDevice(db, study.site.id, `Tablet ${i + 1}`)).token)
  const compiled = await new CompiledSurveyCache(db).get(study.wave.survey_version_id)
  const rng = mulberry32(7)
  const bodies = Array.from({ length: 5000 }, () => randomAnswers(compiled.survey, rng))
  return { db, url, waveId: study.wave.id, tokens, bodies }
}

/** One autocannon run, each connection a tablet with its own token; the ids answered 201 are collected. */
async function load (url: string, study: Study, limit: { duration: number } | { amount: number }): Promise<LoadRun> {
  const acknowledged = new Set<string>()
  let nextTablet = 0
  let nextBody = 0
  const result = await autocannon({
    url,
    connections: tablets,
    ...limit,
    timeout: 10,
    requests: [{
      method: 'POST',
      setupRequest: (request, context: { token?: string }) => {
        context.token ??= study.tokens[nextTablet++ % study.tokens.length]
        const body = JSON.stringify({ id: randomUUID(), waveId: study.waveId, answers: study.bodies[nextBody++ % study.bodies.length] })
        return { ...request, headers: { 'content-type': 'application/json', authorization: `Bearer ${context.token}` }, body }
      },
      onResponse: (status, body) => {
        if (status === 201) acknowledged.add((JSON.parse(body) as { id: string }).id)
      },
    }],
  })
  return { result, acknowledged }
}

/** Runs `fault` once `afterSeconds` of the run have passed, and waits for both. */
async function during (run: Promise<LoadRun>, afterSeconds: number, fault: () => Promise<void>): Promise<LoadRun> {
  await sleep(afterSeconds * 1000)
  await fault()
  return await run
}

/** Mixes whatever is held (the end of the week), then checks that every acknowledged response is stored once. */
async function report (phase: string, db: Kysely<Database>, ids: string[]): Promise<void> {
  const waves = await db.selectFrom('held_responses').select('wave_id').distinct().execute()
  for (const { wave_id: waveId } of waves) await mixWave(mixContext(db), waveId)
  const counts = (await sql<{ responses: number, facts: number, stored: number }>`
    select (select count(*) from responses)::int as responses, (select count(*) from response_facts)::int as facts,
           (select count(*) from responses where id = any(${ids}::uuid[]))::int as stored`.execute(db)).rows[0]!
  const once = counts.stored === ids.length && counts.facts === counts.responses
  if (!once) failed = true
  say(`  ${phase}: acknowledged ${ids.length} · of them stored ${counts.stored} · rows: responses ${counts.responses}, facts ${counts.facts}` +
    ` — ${once ? 'exactly once' : 'MISMATCH'}` +
    (counts.responses > ids.length ? ` (${counts.responses - ids.length} stored but never acknowledged: in flight at a fault or at the end; a tablet resends those and gets 201)` : ''))
}

function line (name: string, r: autocannon.Result): string {
  const codes = Object.entries(r.statusCodeStats ?? {}).map(([code, stat]) => `${code}×${stat.count}`).join(' ')
  return `${name.padEnd(26)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(5)} ms` +
    `  ${r.duration.toFixed(0)} s  status ${codes}  errors ${r.errors} (timeouts ${r.timeouts})`
}

async function stopAll (): Promise<void> {
  await Promise.all([...children].map((child) => stopServer(child, 'SIGTERM')))
}

async function stopServer (child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  children.delete(child)
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  process.kill(-child.pid, signal) // the whole group: npx, tsx and the server under them
  await exited
}

function startServer (command: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', command, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'], detached: true })
    children.add(child)
    const timer = setTimeout(() => reject(new Error(`${command.join(' ')} did not start`)), 60_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready.test(chunk.toString())) {
        clearTimeout(timer)
        resolve(child)
      }
    })
    child.once('exit', (code) => reject(new Error(`${command.join(' ')} exited with ${code}`)))
  })
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
