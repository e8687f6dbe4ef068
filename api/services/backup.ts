import { execFile } from 'node:child_process'
import { chmodSync, closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { openPGlite } from '../db/connect.js'
import { lockDataDir } from '../db/data-dir-lock.js'
import { PRIVATE_FILE_MODE, ensurePrivateDir, privatiseTree, writeSecretFile } from '../files-at-rest.js'

const run = promisify(execFile)

/** A refusal or failure whose message says what to do; the CLIs print it and exit non-zero. */
export class BackupError extends Error {
  override name = 'BackupError'
}

export type BackupKind = 'pg_dump' | 'pglite_tar' | 'unknown'

/** What a backup file holds, from its first bytes: a pg_dump custom archive starts "PGDMP", a tar has "ustar" at 257. */
export function backupKind (file: string): BackupKind {
  const head = Buffer.alloc(262)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, head, 0, head.length, 0)
  } finally {
    closeSync(fd)
  }
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'pg_dump'
  if (head.subarray(257, 262).toString('latin1') === 'ustar') return 'pglite_tar'
  return 'unknown'
}

/** Where PGlite keeps its files inside DATA_DIR (see api/db/connect.ts). */
export const pgliteDir = (dataDir: string): string => resolve(dataDir, 'pglite')

// ----- PostgreSQL ---------------------------------------------------------------------------------------

/**
 * `pg_dump -Fc` of the database into `out`, written beside it first and renamed, so a failed dump leaves no file.
 * A dump holds every answer: the file is made 0600 before pg_dump writes into it (pg_dump truncates, keeping
 * the mode), so it is never readable by others, whatever the umask.
 */
export async function backupPostgres (databaseUrl: string, out: string): Promise<void> {
  const partial = partialName(out)
  try {
    closeSync(openSync(partial, 'wx', PRIVATE_FILE_MODE))
    chmodSync(partial, PRIVATE_FILE_MODE)
    await tool('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${databaseUrl}`])
    chmodSync(partial, PRIVATE_FILE_MODE)
    renameSync(partial, out)
  } finally {
    rmSync(partial, { force: true })
  }
}

/**
 * `pg_restore --clean --if-exists` of `file` into the database, in one transaction (all or nothing). A
 * database that already holds tables is replaced only with `force`.
 */
export async function restorePostgres (databaseUrl: string, file: string, force: boolean): Promise<void> {
  assertKind(file, 'pg_dump', 'PostgreSQL (DATABASE_URL is set)')
  const tables = await postgresTables(databaseUrl)
  if (tables.length > 0 && !force) {
    throw new BackupError(`the database in DATABASE_URL is not empty (${tables.length} tables: ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}); ` +
      'restoring replaces every table in the backup with its copy there. Stop the API, then run it again with --force, ' +
      'or restore into a new empty database (createdb) and point DATABASE_URL at it')
  }
  await tool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${databaseUrl}`, file])
}

async function postgresTables (databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 })
  try {
    await client.connect()
  } catch (error) {
    throw new BackupError(`cannot connect to the database in DATABASE_URL: ${error instanceof Error ? error.message : String(error)}`)
  }
  try {
    const { rows } = await client.query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' order by 1")
    return rows.map((row) => row.name)
  } finally {
    await client.end()
  }
}

async function tool (command: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(command, args, { maxBuffer: 16 * 1024 * 1024 })
  } catch (error) {
    const { code, stderr } = error as { code?: unknown, stderr?: string }
    if (code === 'ENOENT') {
      throw new BackupError(`${command} was not found: install the PostgreSQL client tools of the server's major version or newer (Debian: apt-get install postgresql-client-15)`)
    }
    // The tools name the database, never its password: libpq does not echo a connection string's secret.
    // Never error.message: it holds the command line, and with it a password in the connection string.
    throw new BackupError(`${command} failed: ${(stderr ?? '').trim() || `exit code ${String(code)}`}`)
  }
}

// ----- PGlite -------------------------------------------------------------------------------------------

/**
 * A dump of the embedded database in DATA_DIR as a tar file (PGlite's `dumpDataDir`). The API must be stopped:
 * PGlite lives in one process, and a copy taken beside a running server could be half-written, so the data
 * folder's lock refuses (DatabaseBusyError) while the server holds it.
 */
export async function backupPGlite (dataDir: string, out: string): Promise<void> {
  const dir = pgliteDir(dataDir)
  if (!existsSync(join(dir, 'PG_VERSION'))) throw new BackupError(`there is no embedded database in ${dir} (DATA_DIR=${dataDir}); nothing to back up`)
  const pglite = await openPGlite(dataDir)
  try {
    const dump = await pglite.dumpDataDir('none')
    // 0600 from its first byte, renamed into place whole (api/files-at-rest.ts).
    writeSecretFile(out, new Uint8Array(await dump.arrayBuffer()))
  } finally {
    await pglite.close()
    // Opening and closing wrote files in the database folder (PGlite makes them 0666).
    privatiseTree(dir)
  }
}

export interface PGliteRestore {
  /** Where the database that was there before went, when --force replaced one. */
  movedAside?: string
}

/**
 * Loads a tar made by backupPGlite into DATA_DIR. The database folder must be absent or empty; with `force`
 * an existing one is moved aside (never deleted) to `pglite.replaced-<time>`. The new folder is built beside
 * it first, so a failed restore leaves DATA_DIR as it was.
 */
export async function restorePGlite (dataDir: string, file: string, force: boolean): Promise<PGliteRestore> {
  assertKind(file, 'pglite_tar', 'the embedded database (DATABASE_URL is not set)')
  const dir = pgliteDir(dataDir)
  const occupied = existsSync(dir) && readdirSync(dir).length > 0
  if (occupied && !force) {
    throw new BackupError(`${dir} already holds a database (DATA_DIR=${dataDir}); restoring would replace it. ` +
      'Stop the API, then run it again with --force (the current one is moved aside, not deleted), or choose an empty DATA_DIR')
  }
  ensurePrivateDir(resolve(dataDir))
  // Not under a running server: it would go on writing into the folder moved aside.
  const lock = lockDataDir(dataDir)
  try {
    return await restoreLocked(dir, file, occupied)
  } finally {
    lock.release()
  }
}

async function restoreLocked (dir: string, file: string, occupied: boolean): Promise<PGliteRestore> {
  const staging = `${dir}.restoring-${process.pid}`
  rmSync(staging, { recursive: true, force: true })
  const pglite = new PGlite({ dataDir: staging, loadDataDir: new Blob([readFileSync(file)]) })
  try {
    await pglite.waitReady
    await pglite.query('select 1')
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    throw new BackupError(`${file} could not be loaded as a PGlite data folder: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    await pglite.close().catch(() => {})
  }
  // Unpacked 0666 by PGlite: owner-only before it takes the database folder's place.
  privatiseTree(staging)
  let movedAside: string | undefined
  if (existsSync(dir)) {
    if (occupied) {
      movedAside = `${dir}.replaced-${new Date().toISOString().replace(/[:.]/g, '-')}`
      renameSync(dir, movedAside)
    } else {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  renameSync(staging, dir)
  return movedAside === undefined ? {} : { movedAside }
}

// ----- shared -------------------------------------------------------------------------------------------

/** Refuses a missing output folder, and an existing file unless forced: a backup never overwrites by accident. */
export function assertWritable (out: string, force: boolean): void {
  if (!existsSync(dirname(resolve(out)))) throw new BackupError(`the folder for ${out} does not exist`)
  if (existsSync(out) && !force) throw new BackupError(`${out} already exists; choose another name or add --force to overwrite it`)
}

export function assertReadable (file: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BackupError(`${file} is not a file`)
}

function assertKind (file: string, expected: BackupKind, target: string): void {
  const kind = backupKind(file)
  if (kind === expected) return
  const what = kind === 'pg_dump' ? 'a PostgreSQL dump (pg_dump)' : kind === 'pglite_tar' ? 'a dump of an embedded (PGlite) data folder' : 'not a Prevalens backup'
  throw new BackupError(`${file} is ${what}, and cannot be restored into ${target}`)
}

function partialName (out: string): string {
  return join(dirname(resolve(out)), `.${basename(out)}.partial-${process.pid}`)
}
