import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import type { PostgresPool, PostgresPoolClient } from 'kysely'
import pg from 'pg'
import { ensurePrivateDir, privatiseTree, restrictUmask } from '../files-at-rest.js'
import { lockDataDir } from './data-dir-lock.js'
import type { DataDirLock } from './data-dir-lock.js'
import type { Database } from './database.js'
import { PGliteDialect } from './pglite-dialect.js'

export type Engine = 'postgresql' | 'pglite'

export interface DatabaseHandle {
  db: Kysely<Database>
  engine: Engine
}

const OID = { int8: 20, numeric: 1700, date: 1082 } as const

// Both engines must hand back the same JavaScript values: counts as numbers, dates as 'YYYY-MM-DD' text.
const toNumber = (value: string): number => Number(value)
const asText = (value: string): string => value

export interface ConnectOptions {
  databaseUrl?: string | undefined
  dataDir?: string
  poolMax?: number
  /** An already started PGlite (tests load a migrated template into memory). */
  pglite?: PGlite
}

export async function connectDatabase (options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl !== undefined) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolMax ?? 10,
      connectionTimeoutMillis: 5_000,
      types: { getTypeParser: pgTypeParser },
    })
    // An idle client that loses its server emits 'error' on the pool; without a listener that kills the process.
    pool.on('error', () => {})
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) }), engine: 'postgresql' }
  }
  if (options.pglite !== undefined) return { db: new Kysely<Database>({ dialect: new PGliteDialect(options.pglite) }), engine: 'pglite' }
  const dataDir = options.dataDir ?? './data'
  const pglite = await openPGlite(dataDir)
  // Closing writes files too (a last checkpoint): their modes are fixed once more when it is done.
  const afterClose = (): void => { privatiseTree(resolve(dataDir, 'pglite')) }
  return { db: new Kysely<Database>({ dialect: new PGliteDialect(pglite, afterClose) }), engine: 'pglite' }
}

/**
 * PGlite in DATA_DIR/pglite (or in memory without a folder). The folder holds the answers and the write-ahead
 * log, and PGlite writes its files 0666: DATA_DIR and everything in the database folder are made owner-only
 * (0700 / 0600) before and after it opens, and the process's umask keeps the files it writes later so.
 * One process at a time: DATA_DIR's lock (data-dir-lock.ts) is taken first and let go when it closes; a second
 * process gets DatabaseBusyError at once instead of a copy whose writes vanish.
 */
export async function openPGlite (dataDir: string | undefined): Promise<PGlite> {
  if (dataDir === undefined) {
    const pglite = new PGlite({ parsers: PGLITE_PARSERS })
    await pglite.waitReady
    return pglite
  }
  restrictUmask()
  ensurePrivateDir(resolve(dataDir))
  const lock = lockDataDir(dataDir)
  try {
    const dir = resolve(dataDir, 'pglite')
    ensurePrivateDir(dir)
    privatiseTree(dir)
    const pglite = new LockedPGlite({ dataDir: dir, parsers: PGLITE_PARSERS }, lock)
    await pglite.waitReady
    privatiseTree(dir)
    return pglite
  } catch (error) {
    lock.release()
    throw error
  }
}

/** A PGlite on a data folder that lets go of the folder's lock once it has closed. */
class LockedPGlite extends PGlite {
  readonly #lock: DataDirLock
  constructor (options: ConstructorParameters<typeof PGlite>[0], lock: DataDirLock) {
    super(options)
    this.#lock = lock
  }

  override async close (): Promise<void> {
    try {
      await super.close()
    } finally {
      this.#lock.release()
    }
  }
}

export const PGLITE_PARSERS = {
  [OID.int8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.date]: asText,
}

/** Marks a query to run as a named prepared statement on PostgreSQL (PGlite has no use for it). */
export const PREPARED = '/* prepared */'

/**
 * A pool whose clients run queries that start with PREPARED as named prepared statements, so PostgreSQL
 * plans them once per connection instead of on every call: intake's insert took 1.1 ms to plan and under
 * 1 ms to run. Kysely's pg driver only sends unnamed statements, hence this thin wrapper.
 */
function preparingPool (pool: pg.Pool): PostgresPool {
  return {
    connect: async () => {
      const client = await pool.connect()
      // The pool listens for errors on idle clients only: a server that goes away while a client is checked
      // out would emit an unhandled 'error' and kill the process (found by test/api/faults.test.ts). The
      // query in flight rejects on its own (a 503); the broken client is dropped, not returned to the pool.
      let failed = false
      const onError = (): void => { failed = true }
      client.on('error', onError)
      // Strings only: nothing here streams through cursors.
      const query = async (text: string, values: readonly unknown[]) => text.startsWith(PREPARED)
        ? await client.query({ name: statementName(text), text, values: [...values] })
        : await client.query(text, [...values])
      return {
        query: query as unknown as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          client.off('error', onError)
          client.release(destroy === true || failed)
        },
      }
    },
    end: async () => { await pool.end() },
  }
}

const statementNames = new Map<string, string>()

function statementName (text: string): string {
  let name = statementNames.get(text)
  if (name === undefined) {
    name = `p_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`
    statementNames.set(text, name)
  }
  return name
}

function pgTypeParser (oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === OID.int8 || oid === OID.numeric) return toNumber
  if (oid === OID.date) return asText
  return pg.types.getTypeParser(oid, format ?? 'text')
}
