import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
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
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), engine: 'postgresql' }
  }
  const pglite = options.pglite ?? await openPGlite(options.dataDir ?? './data')
  return { db: new Kysely<Database>({ dialect: new PGliteDialect(pglite) }), engine: 'pglite' }
}

export async function openPGlite (dataDir: string | undefined): Promise<PGlite> {
  if (dataDir !== undefined) mkdirSync(resolve(dataDir), { recursive: true })
  const pglite = new PGlite({ dataDir: dataDir === undefined ? undefined : resolve(dataDir, 'pglite'), parsers: PGLITE_PARSERS })
  await pglite.waitReady
  return pglite
}

export const PGLITE_PARSERS = {
  [OID.int8]: toNumber,
  [OID.numeric]: toNumber,
  [OID.date]: asText,
}

function pgTypeParser (oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === OID.int8 || oid === OID.numeric) return toNumber
  if (oid === OID.date) return asText
  return pg.types.getTypeParser(oid, format ?? 'text')
}
