/**
 * bench:intake-cpu — the API process's CPU time per accepted upload on POST /api/responses, beside the bare
 * Fastify + pg insert of the same bodies. CPU time, unlike req/s, hardly moves with what else the shared
 * machine is doing, so it is the figure to compare changes by.
 *
 * Each server runs as its own node process (no npx or tsx wrapper in between, so its pid is the server's);
 * its user + system time is read from /proc/<pid>/stat before and after each run of BENCH_UPLOADS valid,
 * distinct uploads sent by autocannon from BENCH_CONNECTIONS tablets (one token each), and divided by the
 * 201s. Rounds are interleaved and the median is reported.
 *   DATABASE_URL        admin connection (default postgres://postgres@127.0.0.1:5432/postgres); a fresh
 *                       database is made beside it and dropped afterwards
 *   BENCH_UPLOADS       per run (default 5000), BENCH_ROUNDS (default 5), BENCH_CONNECTIONS (default 10)
 *   BENCH_BASELINE_DIR  optional: another checkout of the project (say the last commit) whose API is measured
 *                       in the same rounds, for an A/B on the same machine load
 *   BENCH_NODE_ARGS     optional: extra node options for this tree's API, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 *   BENCH_BASELINE_NODE optional: another node binary (say the machine's own, /usr/bin/node) that runs this tree's
 *                       API in the same rounds, for an A/B of runtimes on the same machine load
 */
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import { connectDatabase } from '../../api/db/connect.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { randomAnswers } from '../../api/synthetic/random-answers.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { createStudy } from '../helpers/fixtures.js'
import { adminQuery, databaseUrlFor } from '../helpers/pg-admin.js'

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const uploads = Number(process.env.BENCH_UPLOADS ?? 5000)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const baselineDir = process.env.BENCH_BASELINE_DIR
const baselineNode = process.env.BENCH_BASELINE_NODE
const dbName = `prevalens_bench_cpu_${Date.now()}`
const url = databaseUrlFor(adminUrl, dbName)
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim())

interface Target {
  name: string
  url: string
  child: ChildProcess
  cpu: number[]
  /** The share of cpu spent in the kernel (socket writes to the client and to PostgreSQL, mostly). */
  system: number[]
  /** PostgreSQL's CPU time per upload, all its processes. */
  database: number[]
  rates: number[]
}

await adminQuery(adminUrl, `create database ${dbName}`)
const targets: Target[] = []
try {
  const { db } = await connectDatabase({ databaseUrl: url })
  await migrateToLatest(db)
  const study = await createStudy(db)
  const tokens = [study.token]
  for (let i = 1; i < connections; i += 1) tokens.push((await enrolDevice(db, study.site.id, `Tablet ${i + 1}`)).token)
  const compiled = await new CompiledSurveyCache(db).get(study.wave.survey_version_id)
  const rng = mulberry32(42)
  const bodies = Array.from({ length: 5000 }, () => randomAnswers(compiled.survey, rng))

  // The per-device limits are lifted (each simulated tablet sends hundreds a second); they are still checked.
  const apiEnv = { DATABASE_URL: url, HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_DATA: 'off', INTAKE_UPLOADS_PER_MINUTE: '100000', INTAKE_UPLOADS_PER_DAY: '1000000' }
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '')
  targets.push(await startServer('intake (this tree)', process.cwd(), 'api/server.ts', { ...apiEnv, PORT: '3311' }, 'http://127.0.0.1:3311/api/responses', /running/, nodeArgs))
  if (baselineDir !== undefined) {
    targets.push(await startServer('intake (baseline)', resolve(baselineDir), 'api/server.ts', { ...apiEnv, PORT: '3313' }, 'http://127.0.0.1:3313/api/responses', /running/))
  }
  if (baselineNode !== undefined && baselineNode !== '') {
    const version = execFileSync(baselineNode, ['--version']).toString().trim()
    targets.push(await startServer(`intake (node ${version})`, process.cwd(), 'api/server.ts', { ...apiEnv, PORT: '3314' }, 'http://127.0.0.1:3314/api/responses', /running/, [], baselineNode))
  }
  targets.push(await startServer('bare Fastify + insert', process.cwd(), 'test/bench/bare-insert-server.ts', { DATABASE_URL: url, PORT: '3312' }, 'http://127.0.0.1:3312/bare', /ready/))

  let next = 0
  const body = (): string => JSON.stringify({ id: randomUUID(), waveId: study.wave.id, answers: bodies[next++ % bodies.length] })
  for (const target of targets) await measure(target, tokens, body, Math.max(1000, uploads / 2), false)
  for (let round = 0; round < rounds; round += 1) {
    for (const target of targets) await measure(target, tokens, body, uploads, true)
  }
  const stored = await sql<{ responses: number, facts: number }>`
    select (select count(*) from responses)::int as responses, (select count(*) from response_facts)::int as facts`.execute(db)
  await db.destroy()

  const bare = medianOf(targets.at(-1)!.cpu)
  const lines = [
    '',
    `bench:intake-cpu — PostgreSQL, node ${process.version}, ${connections} tablets, ${rounds} interleaved rounds of ${uploads} valid distinct uploads (${compiled.survey.questionNames.length}-question instrument); server CPU (user + system, /proc) per 201`,
    ...targets.map((target) => {
      const cpu = medianOf(target.cpu)
      return `${target.name.padEnd(22)} median ${cpu.toFixed(0).padStart(4)} µs/upload, system ${medianOf(target.system).toFixed(0).padStart(3)}, PostgreSQL ${medianOf(target.database).toFixed(0).padStart(3)} µs  (rounds ${target.cpu.map((v) => v.toFixed(0)).join(' / ')})` +
        `  ${medianOf(target.rates).toFixed(0).padStart(5)} req/s` +
        (target === targets.at(-1) ? '' : `  ×${(cpu / bare).toFixed(2)} bare`)
    }),
    `rows: responses ${stored.rows[0]!.responses}, facts ${stored.rows[0]!.facts}`,
    '',
  ]
  process.stdout.write(lines.join('\n'))
  if (stored.rows[0]!.responses !== stored.rows[0]!.facts) process.exitCode = 1
} finally {
  await Promise.all(targets.map((target) => stopServer(target.child)))
  await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`)
}

async function measure (target: Target, tokens: string[], body: () => string, amount: number, record: boolean): Promise<void> {
  let nextTablet = 0
  let accepted = 0
  const before = cpuMicros(target.child)
  const systemBefore = cpuMicros(target.child, 'system')
  const pgBefore = postgresMicros()
  const result = await autocannon({
    url: target.url,
    connections,
    amount,
    requests: [{
      method: 'POST',
      setupRequest: (request, context: { token?: string }) => {
        context.token ??= tokens[nextTablet++ % tokens.length]
        return { ...request, headers: { 'content-type': 'application/json', authorization: `Bearer ${context.token}` }, body: body() }
      },
      onResponse: (status) => { if (status === 201) accepted += 1 },
    }],
  })
  const used = cpuMicros(target.child) - before
  const pgUsed = postgresMicros() - pgBefore
  const system = cpuMicros(target.child, 'system') - systemBefore
  if (accepted < amount) throw new Error(`${target.name}: only ${accepted} of ${amount} uploads got 201 (non-2xx ${result.non2xx}, errors ${result.errors})`)
  if (!record) return
  target.cpu.push(used / accepted)
  target.system.push(system / accepted)
  target.database.push(pgUsed / accepted)
  target.rates.push(accepted / (result.duration || 1))
}

/** The CPU time of every PostgreSQL process on this machine (the backends serving both servers, the WAL writer…). */
function postgresMicros (): number {
  let total = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuMicros(Number(entry))
    } catch {
      // the process ended between the listing and the read
    }
  }
  return total
}

function cpuMicros (of: ChildProcess | number, part: 'total' | 'system' = 'total'): number {
  const pid = typeof of === 'number' ? of : of.pid
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = part === 'system' ? Number(fields[12]) : Number(fields[11]) + Number(fields[12])
  return ticks / ticksPerSecond * 1e6
}

function medianOf (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

async function stopServer (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

function startServer (name: string, cwd: string, script: string, env: Record<string, string>, target: string, ready: RegExp, nodeArgs: string[] = [], node = process.execPath): Promise<Target> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [...nodeArgs, '--import', 'tsx', script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 60_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      if (ready.test(chunk.toString())) {
        clearTimeout(timer)
        resolve({ name, url: target, child, cpu: [], system: [], database: [], rates: [] })
      }
    })
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)))
  })
}
