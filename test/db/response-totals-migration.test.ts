import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { factLanes } from '../../api/db/fact-lanes.js'
import { createMigrator, migrateToLatest } from '../../api/db/migrate.js'
import { countCellsBySite, countCellsBySiteFiltered } from '../../api/db/queries/results.js'
import type { CellCountsQuery } from '../../api/db/queries/results.js'
import { createSite } from '../../api/db/queries/sites.js'
import { siteFixture } from '../helpers/fixtures.js'
import { openEmptyDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

type Value = boolean | null
const BEFORE_TOTALS = '2026-11-26T0430_create_help_resources'

describe('the migration that adds the holding area and the per-site totals', () => {
  let database: TestDatabase
  beforeAll(async () => { database = await openEmptyDatabase() })
  afterAll(async () => { await database.close() })

  it('fills response_totals from the facts already stored, equal to the row-level counts; down drops both tables', async () => {
    const migrator = createMigrator(database.db)
    expect((await migrator.migrateTo(BEFORE_TOTALS)).error).toBeUndefined()
    const sites = [await createSite(database.db, siteFixture()), await createSite(database.db, siteFixture({ county_number: '46', municipality_number: '4601' }))]
    const waveId = randomUUID()
    const genders = ['woman', 'man', null]
    const rows = 60
    for (let n = 0; n < rows; n += 1) {
      // Versions of different lengths, some values missing: the totals' arrays must line up by indicator id.
      const values: Value[] = Array.from({ length: n % 4 === 0 ? 3 : 7 }, (_, i) => [true, false, null][(n + i * 5) % 3] as Value)
      const lanes = factLanes(values)
      const id = randomUUID()
      const site = sites[n % 2]?.id ?? ''
      await sql`insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
                values (${id}, ${waveId}, ${site}, 1, '2026-W48', '{}'::jsonb)`.execute(database.db)
      await sql`insert into response_facts (response_id, wave_id, site_id, survey_version_id, iso_week, gender, age_group, indicator_values, yes_lanes, known_lanes)
                select ${id}, ${waveId}, ${site}, 1, '2026-W48', ${genders[n % 3] ?? null}, ${n % 5 === 0 ? null : '25_34'},
                       coalesce((select array_agg(e.value::boolean order by e.i)
                                 from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb) with ordinality as e(value, i)), '{}'),
                       array(select jsonb_array_elements_text(${JSON.stringify(lanes.yes)}::jsonb)::int8),
                       array(select jsonb_array_elements_text(${JSON.stringify(lanes.known)}::jsonb)::int8)`.execute(database.db)
    }

    await migrateToLatest(database.db)
    const query: CellCountsQuery = {
      waveIds: [waveId],
      indicators: Array.from({ length: 8 }, (_, i) => ({ id: i + 1, name: `i${i + 1}` })),
      dimensions: ['gender', 'age_group', 'county'],
    }
    const key = (row: { site: string, group: Record<string, string | null> }) => JSON.stringify([row.site, row.group])
    const sorted = <T extends { site: string, group: Record<string, string | null> }>(list: T[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)))
    const fromTotals = await countCellsBySite(database.db, query)
    expect(fromTotals.length).toBeGreaterThan(5)
    expect(sorted(fromTotals)).toEqual(sorted(await countCellsBySiteFiltered(database.db, query)))
    const total = await sql<{ n: number }>`select sum(responses)::int as n from response_totals`.execute(database.db)
    expect(total.rows[0]?.n).toBe(rows)

    expect((await migrator.migrateTo(BEFORE_TOTALS)).error).toBeUndefined()
    const left = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.tables where table_name in ('held_responses', 'response_totals')`.execute(database.db)
    expect(left.rows[0]?.n).toBe(0)
  })
})
