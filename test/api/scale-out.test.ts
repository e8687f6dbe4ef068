import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CSRF_HEADER, SESSION_COOKIE } from '../../api/auth/session-cookie.js'
import { LOGIN_THROTTLE } from '../../api/services/login-throttle.js'
import { TEST_PASSWORD, createTestAccount } from '../helpers/accounts.js'
import { createStudy, responseTableCounts } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { TEST_HOLDING_KEY_FILE, mixAllHeld } from '../helpers/holding.js'
import { engineUnderTest, openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const ANSWERS = { gender: 'woman', age_group: '25_34', pushed_ever: 'several', pushed_12m: 'once', pushed_1m: 'no' }

interface ApiProcess {
  child: ChildProcess
  origin: string
  output: () => string
}

/**
 * Starts `npx tsx api/server.ts` in a process group of its own (so npx, tsx and the server are stopped
 * together). PORT=0 lets the kernel pick a free port, read back from the address the server prints: no race
 * for a port another test file might take meanwhile.
 */
async function startApi (databaseUrl: string): Promise<ApiProcess> {
  const child = spawn('npx', ['tsx', 'api/server.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DEMO_DATA: 'off', LOG_LEVEL: 'warn', HOLDING_KEY_FILE: TEST_HOLDING_KEY_FILE },
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
  const origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start in 45 s:\n${output}`)), 45_000)
    const look = (): void => {
      const match = /Health:\s+(http:\/\/[^/\s]+)\/api\/health/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', look)
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the API exited with ${String(code)} before listening:\n${output}`))
    })
  })
  return { child, origin, output: () => output }
}

/** SIGTERM to the whole group, SIGKILL after 15 s, then waits until no process of the group is left. */
async function stopApi (api: ApiProcess | undefined): Promise<void> {
  const pgid = api?.child.pid
  if (api === undefined || pgid === undefined) return
  const alive = (): boolean => {
    try {
      process.kill(-pgid, 0)
      return true
    } catch {
      return false
    }
  }
  if (alive()) process.kill(-pgid, 'SIGTERM')
  const deadline = Date.now() + 15_000
  while (alive() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  if (alive()) process.kill(-pgid, 'SIGKILL')
  while (alive()) await new Promise((resolve) => setTimeout(resolve, 50))
}

describe.skipIf(engineUnderTest === 'pglite')('two API processes on one PostgreSQL', () => {
  let database: TestDatabase
  let study: StudyFixture
  const apis: ApiProcess[] = []

  beforeAll(async () => {
    database = await openTestDatabase()
    study = await createStudy(database.db)
    if (database.url === undefined) throw new Error('a PostgreSQL test database has a URL')
    const url = database.url
    apis.push(...await Promise.all([startApi(url), startApi(url)]))
  }, 90_000)

  afterAll(async () => {
    await Promise.all(apis.map(stopApi))
    for (const api of apis) {
      const pgid = api.child.pid ?? 0
      expect(() => process.kill(-pgid, 0), `process group ${pgid} is gone`).toThrow()
    }
    await database?.close()
  }, 60_000)

  function upload (api: ApiProcess, body: unknown, token = study.token): Promise<Response> {
    return fetch(`${api.origin}/api/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    })
  }

  it('listen on two ports and both report PostgreSQL', async () => {
    expect(apis).toHaveLength(2)
    expect(apis[0]?.origin).not.toBe(apis[1]?.origin)
    for (const api of apis) {
      const health = await fetch(`${api.origin}/api/health`)
      expect(health.status, api.output()).toBe(200)
      expect(await health.json()).toEqual({ status: 'ok', engine: 'postgresql' })
    }
  })

  it('both take intake', async () => {
    const before = await responseTableCounts(database.db)
    const ids = Array.from({ length: 20 }, () => randomUUID())
    const replies = await Promise.all(ids.map((id, i) => upload(apis[i % 2] as ApiProcess, { id, waveId: study.wave.id, answers: ANSWERS })))
    expect(replies.map((reply) => reply.status)).toEqual(ids.map(() => 201))
    expect(await responseTableCounts(database.db)).toEqual({ ...before, held: before.held + 20 })
  })

  it('the same response uploaded to both, at once and several times over, is stored once and acknowledged every time', async () => {
    const before = await responseTableCounts(database.db)
    const rounds = 8
    const ids: string[] = []
    for (let round = 0; round < rounds; round += 1) {
      const id = randomUUID()
      ids.push(id)
      const body = { id, waveId: study.wave.id, answers: ANSWERS }
      // Three copies to each process, all in flight together: a retrying tablet behind a load balancer.
      const replies = await Promise.all([0, 1, 0, 1, 0, 1].map((which) => upload(apis[which] as ApiProcess, body)))
      expect(replies.map((reply) => reply.status)).toEqual([201, 201, 201, 201, 201, 201])
      for (const reply of replies) expect(await reply.json()).toEqual({ id })
    }
    expect(await responseTableCounts(database.db)).toEqual({ ...before, held: before.held + rounds })
    await mixAllHeld(database.db)
    const stored = await database.db.selectFrom('responses').select('id').where('id', 'in', ids).execute()
    expect(stored.map((row) => row.id).sort()).toEqual([...ids].sort())
  })

  it('the same id with other content, racing on the two processes, keeps one and refuses the other', async () => {
    const before = await responseTableCounts(database.db)
    for (let round = 0; round < 5; round += 1) {
      const id = randomUUID()
      const [first, second] = await Promise.all([
        upload(apis[0] as ApiProcess, { id, waveId: study.wave.id, answers: { ...ANSWERS, gender: 'woman' } }),
        upload(apis[1] as ApiProcess, { id, waveId: study.wave.id, answers: { ...ANSWERS, gender: 'man' } }),
      ])
      expect([first?.status, second?.status].sort()).toEqual([201, 409])
      await mixAllHeld(database.db)
      const row = await database.db.selectFrom('responses').select('answers').where('id', '=', id).executeTakeFirstOrThrow()
      // The one that was acknowledged is the one kept.
      expect(row.answers.gender).toBe(first?.status === 201 ? 'woman' : 'man')
    }
    const after = await responseTableCounts(database.db)
    expect(after.held + after.responses).toBe(before.held + before.responses + 5)
  })

  async function logIn (api: ApiProcess, email: string, password = TEST_PASSWORD): Promise<Response> {
    return await fetch(`${api.origin}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
  }

  it('a session made on one process works on the other, and a logout on the other ends it on both', async () => {
    const { email } = await createTestAccount(database.db, 'funder')
    const login = await logIn(apis[0] as ApiProcess, email)
    expect(login.status).toBe(200)
    const token = /__Host-prevalens=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1]
    const { csrfToken } = await login.json() as { csrfToken: string }
    const headers = { cookie: `${SESSION_COOKIE}=${token ?? ''}`, [CSRF_HEADER]: csrfToken }
    for (const api of apis) expect((await fetch(`${api.origin}/api/session`, { headers })).status).toBe(200)
    expect((await fetch(`${apis[1]!.origin}/api/session`, { method: 'DELETE', headers })).status).toBe(204)
    for (const api of apis) expect((await fetch(`${api.origin}/api/session`, { headers })).status).toBe(401)
  })

  it('failed logins on both processes count toward one throttle', async () => {
    const { email } = await createTestAccount(database.db, 'auditor')
    for (let i = 0; i < LOGIN_THROTTLE.pair.freeFailures; i += 1) expect((await logIn(apis[i % 2] as ApiProcess, email, `wrong password ${i}`)).status).toBe(401)
    for (const api of apis) expect((await logIn(api, email)).status).toBe(429)
  })
})
