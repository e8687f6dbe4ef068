import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { groupAlive } from '../helpers/api-process.js'
import { TEST_HOLDING_KEY_FILE, mixAllHeld } from '../helpers/holding.js'
import { openCommandDatabase } from '../helpers/command-database.js'
import type { CommandDatabase } from '../helpers/command-database.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Uploads one response after another until the server stops answering; returns the ids it acknowledged. */
async function uploadUntilRefused (origin: string, waveId: string, token: string, acknowledged: string[]): Promise<void> {
  for (;;) {
    const id = randomUUID()
    try {
      const reply = await fetch(`${origin}/api/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ id, waveId, answers: { gender: 'woman', pushed_ever: 'no' } }),
      })
      if (reply.status === 201) acknowledged.push(id)
      else if (reply.status !== 503) throw new Error(`upload answered ${reply.status}: ${await reply.text()}`)
    } catch (error) {
      if (error instanceof TypeError) return // the connection was refused or cut: the server has stopped
      throw error
    }
  }
}

// `npm start` itself (web build included), stopped as a process manager or a terminal stops it.
describe('npm start under SIGTERM and SIGINT', { timeout: 300_000 }, () => {
  let commandDb: CommandDatabase
  beforeAll(async () => { commandDb = await openCommandDatabase() }, 60_000)
  afterAll(async () => { await commandDb?.close() })

  // A process manager signals npm alone, which must hand it on; Ctrl-C in a terminal signals the whole group, so
  // the server hears it more than once and must still shut down gracefully.
  for (const { signal, to } of [{ signal: 'SIGTERM', to: 'npm' }, { signal: 'SIGINT', to: 'the group' }] as const) {
    it(`${signal} to ${to}: the server logs its shutdown, exits within seconds and keeps every acknowledged response`, async () => {
      const child = spawn('npm', ['start'], {
        cwd: ROOT,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...commandDb.env, PORT: '0', HOST: '127.0.0.1', DEMO_DATA: 'on', LOG_LEVEL: 'info', HOLDING_KEY_FILE: TEST_HOLDING_KEY_FILE },
      })
      let output = ''
      child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
      child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8') })
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      const pgid = child.pid!
      try {
        const deadline = Date.now() + 240_000
        while (!/Kiosk: open/.test(output) && Date.now() < deadline && groupAlive(pgid)) await new Promise((resolve) => setTimeout(resolve, 200))
        const origin = /Health:\s+(http:\/\/[^/\s]+)\/api\/health/.exec(output)?.[1]
        const waveId = /Wave id:\s+(\S+)/.exec(output)?.[1]
        const token = /Device token:\s+(\S+)/.exec(output)?.[1]
        expect({ origin, waveId, token }, output).toEqual({ origin: expect.any(String), waveId: expect.any(String), token: expect.any(String) })

        const acknowledged: string[] = []
        const uploading = Promise.all([1, 2, 3, 4].map(async () => { await uploadUntilRefused(origin!, waveId!, token!, acknowledged) }))
        while (acknowledged.length < 20) await new Promise((resolve) => setTimeout(resolve, 20))
        const signalled = Date.now()
        if (to === 'npm') {
          process.kill(pgid, signal)
        } else {
          // The server hears it directly and again through npm, which passes it on; say it twice to be sure it does.
          process.kill(-pgid, signal)
          await new Promise((resolve) => setTimeout(resolve, 200))
          if (groupAlive(pgid)) process.kill(-pgid, signal)
        }
        await uploading
        while (groupAlive(pgid) && Date.now() - signalled < 20_000) await new Promise((resolve) => setTimeout(resolve, 50))
        expect(groupAlive(pgid), `still running 20 s after ${signal}:\n${output}`).toBe(false)
        await exited
        expect(output, output).toMatch(new RegExp(`"signal":"${signal}".*"msg":"shutting down: no new requests, finishing those in flight"`))
        expect(output, output).toMatch(/"msg":"stopped: every request answered, the database closed"/)

        const stored = await commandDb.use(async ({ db }) => {
          await mixAllHeld(db)
          const rows = await db.selectFrom('responses').select('id').where('id', 'in', acknowledged).execute()
          return new Set(rows.map((row) => row.id))
        })
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([])
      } finally {
        if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL')
      }
    })
  }
})
