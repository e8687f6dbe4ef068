import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DATA_DIR_LOCK_FILE, DatabaseBusyError, lockDataDir } from '../../../api/db/data-dir-lock.js'

/** A process that has come and gone: its pid is free (or, if recycled by now, started at another time). */
async function deadPid (): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((resolve) => child.on('exit', resolve))
  return child.pid!
}

describe('the data folder lock of the embedded database', () => {
  let dataDir: string
  const lockPath = (): string => join(dataDir, DATA_DIR_LOCK_FILE)

  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'prevalens-lock-')) })
  afterEach(() => { rmSync(dataDir, { recursive: true, force: true }) })

  it('is held by one taker at a time, names the holder to the next, and is free again once released', () => {
    const lock = lockDataDir(dataDir)
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() })
    const refusal = (() => { try { lockDataDir(dataDir) } catch (error) { return error } })()
    expect(refusal).toBeInstanceOf(DatabaseBusyError)
    expect((refusal as Error).message).toMatch(/in use by another process \(this very process, .*\)\. .*Stop that process first/)
    lock.release()
    expect(existsSync(lockPath())).toBe(false)
    lockDataDir(dataDir).release()
  })

  it('is taken over from a process that died holding it', async () => {
    writeFileSync(lockPath(), JSON.stringify({ pid: await deadPid(), host: hostname(), command: 'server.ts', started: null }))
    const lock = lockDataDir(dataDir)
    expect(JSON.parse(readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid })
    lock.release()
  })

  it('is taken over when the pid lives on in another process (a recycled pid: another start time)', () => {
    // process.ppid is alive; the lock claims it started at another moment, as a recycled pid would.
    writeFileSync(lockPath(), JSON.stringify({ pid: process.ppid, host: hostname(), command: 'server.ts', started: '1' }))
    const canCheckStart = existsSync(`/proc/${process.ppid}/stat`)
    if (!canCheckStart) {
      expect(() => lockDataDir(dataDir)).toThrow(DatabaseBusyError)
      return
    }
    lockDataDir(dataDir).release()
  })

  it('is not taken from a live holder, nor from another machine, nor when the file cannot be read', () => {
    writeFileSync(lockPath(), JSON.stringify({ pid: process.ppid, host: hostname(), command: 'npm start', started: null }))
    expect(() => lockDataDir(dataDir)).toThrow(new RegExp(`pid ${process.ppid}, npm start`))
    writeFileSync(lockPath(), JSON.stringify({ pid: 1, host: 'another-host', command: 'server.ts', started: null }))
    expect(() => lockDataDir(dataDir)).toThrow(/pid 1, server.ts on another-host/)
    writeFileSync(lockPath(), 'not json')
    expect(() => lockDataDir(dataDir)).toThrow(/an unreadable lock file .*pglite\.lock/)
    expect(readFileSync(lockPath(), 'utf8')).toBe('not json')
  })

  it('lets go when the process exits without releasing it', async () => {
    const script = `import('${new URL('../../../api/db/data-dir-lock.ts', import.meta.url).pathname}').then((m) => { m.lockDataDir(${JSON.stringify(dataDir)}); process.exit(0) })`
    const child = spawn('npx', ['tsx', '-e', script], { stdio: 'ignore' })
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(0)
    expect(existsSync(lockPath())).toBe(false)
  }, 60_000)
})
