import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { connectDatabase, openPGlite } from '../../api/db/connect.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { adminQuery, databaseUrlFor, quoteIdent } from './pg-admin.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL: the migrated template database each test file copies. */
    pgTemplate: string
    /** PGlite: a dump of a migrated data folder each test file loads into memory. */
    pgliteDump: string
  }
}

/**
 * Migrates one template database per run, once: each test file then gets its own copy (CREATE DATABASE …
 * TEMPLATE on PostgreSQL, loadDataDir on PGlite), so files run in parallel and never see each other's rows.
 */
export default async function setup (project: TestProject): Promise<() => Promise<void>> {
  const databaseUrl = process.env.DATABASE_URL
  if (databaseUrl !== undefined && databaseUrl !== '') {
    const template = `prevalens_tpl_${randomBytes(4).toString('hex')}`
    await adminQuery(databaseUrl, `create database ${quoteIdent(template)}`)
    const { db } = await connectDatabase({ databaseUrl: databaseUrlFor(databaseUrl, template) })
    await migrateToLatest(db)
    await db.destroy()
    project.provide('pgTemplate', template)
    project.provide('pgliteDump', '')
    return async () => { await adminQuery(databaseUrl, `drop database if exists ${quoteIdent(template)} with (force)`) }
  }
  const pglite = await openPGlite(undefined)
  const { db } = await connectDatabase({ pglite })
  await migrateToLatest(db)
  const dir = mkdtempSync(join(tmpdir(), 'prevalens-test-'))
  const dump = join(dir, 'migrated.tar')
  writeFileSync(dump, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()))
  await db.destroy()
  project.provide('pgTemplate', '')
  project.provide('pgliteDump', dump)
  return async () => { rmSync(dir, { recursive: true, force: true }) }
}
