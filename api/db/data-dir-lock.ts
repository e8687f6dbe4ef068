import { linkSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { createSecretFileOnce } from '../files-at-rest.js'

/**
 * The embedded database serves one process at a time: a second process that opens the same PGlite folder
 * works on its own copy in memory and its writes are lost (or, worse, it overwrites the first one's files).
 * So whoever opens DATA_DIR's database first leaves a lock file beside it, and everyone else is refused at
 * once with a message that says who holds it and what to do. A lock whose holder has died (a crash, a
 * SIGKILL) is taken over: the holder is checked by its pid and, where /proc exists, its start time, so a
 * recycled pid does not keep the folder locked.
 */
export const DATA_DIR_LOCK_FILE = 'pglite.lock'

export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError'
  constructor (readonly dataDir: string, readonly holder: LockHolder) {
    super(`the embedded database in ${dataDir} is in use by another process (${describeHolder(holder)}). ` +
      'It serves one process at a time, and a second one would lose what it writes. Stop that process first ' +
      '(Ctrl-C in its terminal), run this again, then start it again; or do this in the console while it runs. ' +
      'With PostgreSQL (DATABASE_URL) commands and the server work side by side.')
  }
}

export interface LockHolder {
  pid: number
  host: string
  /** The command that opened the database (the script's file name), to name it in the message. */
  command: string
  /** The process's start time in clock ticks since boot (Linux), so a recycled pid is not taken for the holder. */
  started: string | null
}

export interface DataDirLock {
  release: () => void
}

/** Takes DATA_DIR's lock, or throws DatabaseBusyError naming the live process that holds it. */
export function lockDataDir (dataDir: string): DataDirLock {
  const path = join(resolve(dataDir), DATA_DIR_LOCK_FILE)
  const me = currentHolder()
  for (let attempt = 0; attempt < 3; attempt++) {
    // Linked into place whole (files-at-rest.ts): nobody ever reads a half-written lock.
    if (createSecretFileOnce(path, JSON.stringify(me))) return ownedLock(path, me)
    const holder = readHolder(path)
    if (holder === undefined) continue // removed (or being replaced) between our two calls: try again
    if (isAlive(holder)) throw new DatabaseBusyError(dataDir, holder)
    takeOverStale(path, holder)
  }
  const holder = readHolder(path)
  throw new DatabaseBusyError(dataDir, holder ?? { pid: 0, host: 'unknown', command: 'unknown', started: null })
}

function ownedLock (path: string, me: LockHolder): DataDirLock {
  let held = true
  const release = (): void => {
    if (!held) return
    held = false
    process.off('exit', release)
    // Only our own lock: a file another process wrote after a takeover is theirs.
    if (sameHolder(readHolder(path), me)) rmSync(path, { force: true })
  }
  process.on('exit', release)
  return { release }
}

/** Moves a dead holder's lock aside; if what moved is not the lock we judged dead, it goes back. */
function takeOverStale (path: string, stale: LockHolder): void {
  const aside = `${path}.stale.${process.pid}`
  try {
    renameSync(path, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  const moved = readHolder(aside)
  if (moved !== undefined && !sameHolder(moved, stale)) {
    try { linkSync(aside, path) } catch { /* a third process has taken it: it is theirs either way */ }
  }
  rmSync(aside, { force: true })
}

function readHolder (path: string): LockHolder | undefined {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host, command: String(parsed.command ?? 'unknown'), started: parsed.started ?? null }
    }
  } catch { /* not ours to understand: treated as held below */ }
  // A lock file nobody can read is not taken over: a person decides (the message names the file).
  return { pid: 0, host: `an unreadable lock file ${path}`, command: 'unknown', started: null }
}

function currentHolder (): LockHolder {
  return { pid: process.pid, host: hostname(), command: basename(process.argv[1] ?? 'node'), started: processStart(process.pid) }
}

function sameHolder (a: LockHolder | undefined, b: LockHolder): boolean {
  return a !== undefined && a.pid === b.pid && a.host === b.host && a.started === b.started
}

function isAlive (holder: LockHolder): boolean {
  // Another machine's process (a shared folder) or an unreadable file cannot be checked from here.
  if (holder.pid === 0 || holder.host !== hostname()) return true
  try {
    process.kill(holder.pid, 0)
  } catch (error) {
    // EPERM: alive, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  const started = processStart(holder.pid)
  return holder.started === null || started === null || started === holder.started
}

/** Field 22 of /proc/PID/stat (after the command name, which may hold spaces): the start time since boot. */
function processStart (pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

function describeHolder (holder: LockHolder): string {
  if (holder.pid === 0) return holder.host
  const who = holder.pid === process.pid ? 'this very process' : `pid ${holder.pid}`
  return `${who}, ${holder.command}${holder.host === hostname() ? '' : ` on ${holder.host}`}`
}
