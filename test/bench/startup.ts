/**
 * bench:startup — the API's start-up time, from spawning its process to the "Health:" line it prints once it
 * listens (migrations checked, mix schedule started), on the embedded PGlite and on PostgreSQL. Each start is
 * checked with GET /api/health (200) and then stopped with SIGTERM. Prints the median wall time and the
 * process's CPU time (user + system, /proc) at ready; CPU hardly moves with what else the machine is doing.
 *
 * The runtimes and loaders are measured in interleaved rounds, so they share the machine's load:
 *   - the Node running this bench (`npm run` puts the pinned one first on PATH) with tsx, as `npm start` runs;
 *   - the same Node with its own TypeScript support: `--experimental-transform-types` (plain type stripping
 *     refuses constructor parameter properties) and a resolve hook that maps our `.js` import suffixes to the
 *     `.ts` files, written to a temporary folder for the run, since Node resolves no such mapping itself;
 *   - BENCH_BASELINE_NODE, optional: another node binary (say the machine's own, /usr/bin/node) with tsx.
 * Each engine's data is made (and migrated) by a first start that is not counted.
 *   DATABASE_URL   admin connection (default postgres://postgres@127.0.0.1:5432/postgres); a fresh database is
 *                  made beside it and dropped afterwards
 *   BENCH_ROUNDS   default 5
 */
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminQuery, databaseUrlFor } from '../helpers/pg-admin.js'

const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5))
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim())
const scratch = mkdtempSync(join(tmpdir(), 'prevalens-startup-'))
const dbName = `prevalens_bench_startup_${Date.now()}`

const RESOLVE_TS_HOOK = `import { registerHooks } from 'node:module'
registerHooks({
  resolve (specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\\.\\.?\\//.test(specifier) || !specifier.endsWith('.js')) throw error
      return nextResolve(specifier.slice(0, -3) + '.ts', context)
    }
  },
})
`

interface Runtime { name: string, node: string, args: string[] }
interface Engine { name: string, env: Record<string, string> }
interface Start { wallMs: number, cpuMs: number }

const hookFile = join(scratch, 'resolve-ts.mjs')
writeFileSync(hookFile, RESOLVE_TS_HOOK)
const runtimes: Runtime[] = [
  { name: `Node ${process.versions.node} + tsx`, node: process.execPath, args: ['--import', 'tsx'] },
  { name: `Node ${process.versions.node} native TS`, node: process.execPath, args: ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', '--import', hookFile] },
]
const baseline = process.env.BENCH_BASELINE_NODE
if (baseline !== undefined && baseline !== '') {
  const version = execFileSync(baseline, ['--version']).toString().trim().replace(/^v/, '')
  runtimes.push({ name: `Node ${version} + tsx`, node: baseline, args: ['--import', 'tsx'] })
}
const engines: Engine[] = [
  { name: 'PGlite', env: { DATA_DIR: join(scratch, 'data') } },
  { name: 'PostgreSQL', env: { DATABASE_URL: databaseUrlFor(adminUrl, dbName), DATA_DIR: join(scratch, 'pg-data') } },
]

await adminQuery(adminUrl, `create database ${dbName}`)
try {
  const results = new Map<string, Start[]>()
  for (const engine of engines) {
    await startOnce(runtimes[0]!, engine) // migrates; not counted
    for (let round = 0; round < rounds; round += 1) {
      for (const runtime of runtimes) {
        const key = `${engine.name}\t${runtime.name}`
        results.set(key, [...(results.get(key) ?? []), await startOnce(runtime, engine)])
      }
    }
  }
  const lines = ['', `bench:startup — spawn to "Health:" printed (listening), ${rounds} interleaved rounds per runtime, median; CPU = user + system of the server process at ready`]
  for (const engine of engines) {
    lines.push(`${engine.name}:`)
    const reference = medianOf(results.get(`${engine.name}\t${runtimes[0]!.name}`)!.map((start) => start.wallMs))
    for (const runtime of runtimes) {
      const starts = results.get(`${engine.name}\t${runtime.name}`)!
      const wall = medianOf(starts.map((start) => start.wallMs))
      lines.push(`  ${runtime.name.padEnd(28)} ${(wall / 1000).toFixed(2)} s  CPU ${(medianOf(starts.map((start) => start.cpuMs)) / 1000).toFixed(2)} s` +
        `  ×${(wall / reference).toFixed(2)}  (rounds ${starts.map((start) => (start.wallMs / 1000).toFixed(2)).join(' / ')})`)
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`)
} finally {
  await adminQuery(adminUrl, `drop database if exists ${dbName} with (force)`)
  rmSync(scratch, { recursive: true, force: true })
}

async function startOnce (runtime: Runtime, engine: Engine): Promise<Start> {
  const port = await freePort()
  const { DATABASE_URL: _admin, ...inherited } = process.env
  const env = { ...inherited, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DEMO_DATA: 'off', ...engine.env }
  const began = performance.now()
  const child = spawn(runtime.node, [...runtime.args, 'api/server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    const wallMs = await new Promise<number>((resolve, reject) => {
      let output = ''
      const timer = setTimeout(() => reject(new Error(`${runtime.name} on ${engine.name} did not start in 120 s:\n${output}`)), 120_000)
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('Health:')) { clearTimeout(timer); resolve(performance.now() - began) }
      })
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${runtime.name} on ${engine.name} exited with ${code}:\n${output}`)) })
    })
    const cpuMs = cpuMillis(child.pid!)
    const health = await fetch(`http://127.0.0.1:${port}/api/health`)
    if (health.status !== 200) throw new Error(`${runtime.name} on ${engine.name}: /api/health answered ${health.status}`)
    return { wallMs, cpuMs }
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

function cpuMillis (pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond * 1000
}

function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')))
    })
  })
}

function medianOf (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
