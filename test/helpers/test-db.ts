import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { inject } from 'vitest'
import { PGLITE_PARSERS, connectDatabase } from '../../api/db/connect.js'
import type { DatabaseHandle } from '../../api/db/connect.js'
import { adminQuery, databaseUrlFor, quoteIdent } from './pg-admin.js'

export interface TestDatabase extends DatabaseHandle {
  /** Set on PostgreSQL: the URL of this file's own database (for CLIs run as child processes). */
  url?: string
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
