import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateDownToEmpty, migrateToLatest, migrationState } from '../../api/db/migrate.js'
import { openEmptyDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const TABLES = [
  'accounts', 'audit_log', 'crisis_centres', 'devices', 'enrolment_codes', 'enrolment_failures', 'held_responses', 'help_lines', 'help_resources_meta', 'indicators',
  'intake_keys', 'login_failures', 'response_facts', 'response_totals', 'responses', 'results_releases', 'server_secrets', 'sessions', 'sites', 'survey_version_languages', 'survey_versions', 'test_responses',
  'wave_sites', 'waves',
]

async function publicTables (database: TestDatabase): Promise<string[]> {
  const rows = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(database.db)
  return rows.rows.map((row) => row.table_name)
}

async function columns (database: TestDatabase, table: string) {
  const rows = await sql<{ column_name: string, data_type: string, column_default: string | null, is_identity: string }>`
    select column_name, data_type, column_default, is_identity from information_schema.columns
    where table_schema = 'public' and table_name = ${table}`.execute(database.db)
  return rows.rows
}

describe('migrations', () => {
  let database: TestDatabase
  beforeAll(async () => { database = await openEmptyDatabase() })
  afterAll(async () => { await database.close() })

  it('run from an empty database and report no pending migration', async () => {
    expect(await publicTables(database)).toEqual([])
    const { results = [] } = await migrateToLatest(database.db)
    expect(results.length).toBeGreaterThan(0)
    expect(results.every((result) => result.status === 'Success')).toBe(true)
    expect(await publicTables(database)).toEqual(TABLES)
    expect((await migrationState(database.db)).pending).toEqual([])
  })

  it('give the tables of responses (held, stored, counted, tried on a test tablet) no serial key, no timestamp, no device and nothing about the client', async () => {
    for (const table of ['responses', 'response_facts', 'held_responses', 'response_totals', 'test_responses']) {
      const cols = await columns(database, table)
      expect(cols.length).toBeGreaterThan(0)
      for (const col of cols) {
        expect(col.is_identity, `${table}.${col.column_name}`).toBe('NO')
        expect(col.column_default ?? '', `${table}.${col.column_name}`).not.toMatch(/nextval|now\(\)|current_/)
        expect(col.data_type, `${table}.${col.column_name}`).not.toMatch(/timestamp|date|time|inet/)
        expect(col.column_name).not.toMatch(/device|ip|address|agent|user|account|created|time|date/)
      }
    }
    const idColumn = (await columns(database, 'responses')).find((col) => col.column_name === 'id')
    expect(idColumn?.data_type).toBe('uuid')
    expect(idColumn?.column_default).toBeNull()
  })

  it('roll back to empty and run again', async () => {
    await migrateDownToEmpty(database.db)
    expect(await publicTables(database)).toEqual([])
    await migrateToLatest(database.db)
    expect(await publicTables(database)).toEqual(TABLES)
  })
})
