import { randomBytes } from 'node:crypto'
import { chmodSync, closeSync, fchmodSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { isMainThread } from 'node:worker_threads'

/**
 * What the server keeps on disk (the PGlite folder with the write-ahead log, backups, key files) is readable
 * by its owner only: folders 0700, files 0600, whatever umask the process was started with. Modes are set
 * explicitly after creating, since a umask only ever removes bits and PGlite writes most of its files 0666
 * on its own (Emscripten's file system chmods them).
 */
export const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/**
 * Makes every file this process creates from now on private (umask 077), so a file PGlite or a tool writes
 * between two explicit fixes is never readable by others. Node allows it on the main thread only; a worker
 * (a test runner's) relies on the explicit fixes alone.
 */
export function restrictUmask (): void {
  if (isMainThread) process.umask(0o077)
}

/** Creates `path` (and missing parents) if needed and makes it 0700, whatever it was. */
export function ensurePrivateDir (path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE })
  chmodSync(path, PRIVATE_DIR_MODE)
}

/**
 * Writes `data` to `path` as a 0600 file, atomically: written and synced under a random name beside it, made
 * 0600 before the first byte, then renamed over `path`. A reader never sees a half-written file, and the
 * file is never readable by others, not even for a moment. The folder must exist.
 */
export function writeSecretFile (path: string, data: string | Uint8Array): void {
  const target = resolve(path)
  const partial = writePartial(target, data)
  try {
    renameSync(partial, target)
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
  syncDir(dirname(target))
}

/**
 * Creates `path` with `data` (0600) only where nothing is there yet: written beside it as writeSecretFile does,
 * then linked into place, which fails where a file exists. Of several processes racing, one creates it and the
 * others get false; nobody reads it half-written.
 */
export function createSecretFileOnce (path: string, data: string | Uint8Array): boolean {
  const target = resolve(path)
  const partial = writePartial(target, data)
  try {
    linkSync(partial, target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    rmSync(partial, { force: true })
  }
  syncDir(dirname(target))
  return true
}

/** `data` in a new 0600 file under a random name beside `target`, synced; its path. */
function writePartial (target: string, data: string | Uint8Array): string {
  const partial = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.partial`)
  // 'wx': never follows or reuses a file someone else put there.
  const fd = openSync(partial, 'wx', PRIVATE_FILE_MODE)
  try {
    fchmodSync(fd, PRIVATE_FILE_MODE)
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let written = 0
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(partial, { force: true })
    throw error
  }
  closeSync(fd)
  return partial
}

/**
 * Makes `root` and every folder below it 0700 and every file 0600; symbolic links are neither followed nor
 * changed. Returns how many entries had another mode (0 on a folder already private).
 */
export function privatiseTree (root: string): number {
  let changed = 0
  const fix = (path: string, isDir: boolean): void => {
    const wanted = isDir ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE
    if ((lstatSync(path).mode & 0o7777) === wanted) return
    chmodSync(path, wanted)
    changed += 1
  }
  const walk = (dir: string): void => {
    fix(dir, true)
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) fix(path, false)
    }
  }
  walk(root)
  return changed
}

/** A rename is durable only once its folder is synced; some file systems refuse to open a folder, which is fine. */
function syncDir (dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Not supported here: the rename stands, only its durability across a power cut is the file system's.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
