import { readFileSync } from 'node:fs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMigrator, migrateToLatest } from '../../api/db/migrate.js'
import { findRelease, findVersionMapAndRules } from '../../api/db/queries/releases.js'
import { loadDefinitions } from '../../survey-definitions/index.js'
import { openEmptyDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const BEFORE = '2026-12-04T0300_release_reliability'
const frozenRows = (JSON.parse(readFileSync(new URL('../fixtures/release-rows/v1.json', import.meta.url), 'utf8')) as { rows: unknown[] }).rows

describe('the migrations that give survey versions their rules and release rows a format', () => {
  let database: TestDatabase
  beforeAll(async () => { database = await openEmptyDatabase() })
  afterAll(async () => { await database.close() })

  it('give published versions the rules the code applied to them, and every release format 1; down drops both', async () => {
    const migrator = createMigrator(database.db)
    expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined()
    const hverdag = loadDefinitions().find((def) => def.slug === 'hverdag' && def.version === 1)
    if (hverdag === undefined) throw new Error('hverdag v1 is not shipped')
    const other = { title: 'Other', pages: [{ name: 'page_first', elements: [] }, { name: 'page_second', elements: [] }] }
    const insertVersion = async (slug: string, definition: unknown): Promise<number> => (await sql<{ id: number }>`
      insert into survey_versions (slug, version, definition, indicator_map, checksum)
      values (${slug}, 1, ${JSON.stringify(definition)}::jsonb, ${JSON.stringify(hverdag.indicatorMap)}::jsonb, 'x') returning id`.execute(database.db)).rows[0]!.id
    const hverdagId = await insertVersion('hverdag', hverdag.survey)
    const otherId = await insertVersion('other', other)
    const wave = (await sql<{ id: string }>`
      insert into waves (name, survey_version_id, opens_on, closes_on) values ('W', ${hverdagId}, '2026-01-01', '2026-02-01') returning id`.execute(database.db)).rows[0]!.id
    await sql`insert into results_releases (wave_id, k, method, level, table_count, source, table_specs, respondent_rows, result_rows, differences)
              values (${wave}, 5, 'korn-graubard', 0.95, 0, 'Source', '[]'::jsonb, '[]'::jsonb, ${JSON.stringify(frozenRows)}::jsonb, '[]'::jsonb)`.execute(database.db)

    await migrateToLatest(database.db)
    // hverdag v1 gets exactly what its instrument file states, so publishing it again is "unchanged".
    expect((await findVersionMapAndRules(database.db, hverdagId))?.rules).toEqual(hverdag.rules)
    // A version without hverdag's page was served no privacy check; it now gets one before its first page.
    expect((await findVersionMapAndRules(database.db, otherId))?.rules).toEqual({ ...hverdag.rules, privacyCheckBefore: 'page_first' })
    const release = await database.db.selectFrom('results_releases').select(['id', 'result_rows_format']).executeTakeFirstOrThrow()
    expect(release.result_rows_format).toBe(1)
    expect((await findRelease(database.db, release.id))?.resultRows).toEqual(frozenRows)
    // Every insert names its format: there is no default to fall back on.
    const column = await sql<{ column_default: string | null, is_nullable: string }>`
      select column_default, is_nullable from information_schema.columns where table_name = 'results_releases' and column_name = 'result_rows_format'`.execute(database.db)
    expect(column.rows).toEqual([{ column_default: null, is_nullable: 'NO' }])

    expect((await migrator.migrateTo(BEFORE)).error).toBeUndefined()
    const left = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where (table_name = 'survey_versions' and column_name = 'rules') or (table_name = 'results_releases' and column_name = 'result_rows_format')`.execute(database.db)
    expect(left.rows).toEqual([])
  })
})
