import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { PGlite } from '@electric-sql/pglite'
import { inject } from 'vitest'
import { PGLITE_PARSERS, connectDatabase } from '../../api/db/connect.js'
import type { DatabaseHandle } from '../../api/db/connect.js'
import { adminQuery, databaseUrlFor, quoteIdent } from './pg-admin.js'

export interface TestDatabase extends DatabaseHandle {
  /** Set on PostgreSQL: the URL of this file's own database (for CLIs run as child processes). */
  url?: string
  /** Set on a PGlite kept in a folder (openTestDatabaseOnDisk): the folder PGlite writes. */
  pgliteDir?: string
  close: () => Promise<void>
}

const adminUrl = process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL

/** The engine under test: DATABASE_URL set means PostgreSQL, unset means PGlite. Test files never branch on it. */
export const engineUnderTest = adminUrl === undefined ? 'pglite' : 'postgresql'

/** A migrated database of this test file's own, on the engine under test. */
export async function openTestDatabase (): Promise<TestDatabase> {
  if (adminUrl !== undefined) return await createPgDatabase(adminUrl, 'prevalens_t_', inject('pgTemplate'))
  return await wrapPGlite(new PGlite({ loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]), parsers: PGLITE_PARSERS }))
}

/** As openTestDatabase, but a PGlite keeps its files in a folder of its own (removed at close), as the server's does. */
export async function openTestDatabaseOnDisk (): Promise<TestDatabase> {
  if (adminUrl !== undefined) return await openTestDatabase()
  const parent = mkdtempSync(join(tmpdir(), 'prevalens-disk-'))
  const pgliteDir = join(parent, 'pglite')
  const database = await wrapPGlite(new PGlite({ dataDir: pgliteDir, loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]), parsers: PGLITE_PARSERS }))
  return {
    ...database,
    pgliteDir,
    close: async () => {
      await database.close()
      rmSync(parent, { recursive: true, force: true })
    },
  }
}

/**
 * Everything the database keeps at rest, as one string to search: on PostgreSQL the whole `pg_dump` of the
 * database (what a backup holds) and the server's WAL segments written since `since` (read through
 * pg_read_binary_file, which the tests' superuser may call); on PGlite every byte of its folder after a
 * checkpoint (tables, WAL, all).
 */
export async function bytesAtRest (database: TestDatabase, since: Date): Promise<string> {
  if (database.url !== undefined) {
    const { stdout } = await promisify(execFile)('pg_dump', ['--no-owner', database.url], { maxBuffer: 512 * 1024 * 1024 })
    const segments = await sql<{ name: string }>`
      select name from pg_ls_waldir() where modification >= ${new Date(since.getTime() - 60_000)} order by name`.execute(database.db)
    const wal: string[] = []
    for (const { name } of segments.rows) {
      const { rows } = await sql<{ bytes: Uint8Array }>`select pg_read_binary_file(${`pg_wal/${name}`}) as bytes`.execute(database.db)
      wal.push(Buffer.from(rows[0]?.bytes ?? new Uint8Array()).toString('latin1'))
    }
    return [stdout, ...wal].join('\n')
  }
  if (database.pgliteDir === undefined) throw new Error('bytesAtRest needs a database from openTestDatabaseOnDisk')
  await sql`checkpoint`.execute(database.db)
  const files = readdirSync(database.pgliteDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile())
  return files.map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1')).join('\n')
}

/** An empty database with no migrations run, for the migration tests. */
export async function openEmptyDatabase (): Promise<TestDatabase> {
  if (adminUrl !== undefined) return await createPgDatabase(adminUrl, 'prevalens_e_')
  return await wrapPGlite(new PGlite({ parsers: PGLITE_PARSERS }))
}

async function createPgDatabase (admin: string, prefix: string, template?: string): Promise<TestDatabase> {
  const name = `${prefix}${randomBytes(6).toString('hex')}`
  await adminQuery(admin, `create database ${quoteIdent(name)}${template === undefined ? '' : ` template ${quoteIdent(template)}`}`)
  const url = databaseUrlFor(admin, name)
  const handle = await connectDatabase({ databaseUrl: url })
  return {
    ...handle,
    url,
    close: async () => {
      await handle.db.destroy()
      await adminQuery(admin, `drop database if exists ${quoteIdent(name)} with (force)`)
    },
  }
}

async function wrapPGlite (pglite: PGlite): Promise<TestDatabase> {
  await pglite.waitReady
  const handle = await connectDatabase({ pglite })
  return { ...handle, close: async () => { await handle.db.destroy() } }
}
