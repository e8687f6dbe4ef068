import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { factLanes } from '../../api/db/fact-lanes.js'
import { createMigrator, migrateToLatest } from '../../api/db/migrate.js'
import { rebuildResponseTotals } from '../../api/db/queries/response-totals.js'
import { countCellsBySite, countCellsBySiteFiltered, indicatorsOfSurveyVersions } from '../../api/db/queries/results.js'
import type { CellCountsQuery } from '../../api/db/queries/results.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { siteFixture, createWave } from '../helpers/fixtures.js'
import { openEmptyDatabase, openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

type Value = boolean | null
const BEFORE_LANES = '2026-11-26T0230_create_responses'
const LANES = '2026-11-26T0300_response_facts_lanes'

/** Lanes as stored, as numbers: PostgreSQL hands int8[] back as text, PGlite as numbers. */
async function storedLanes (database: TestDatabase, where = sql`true`) {
  const rows = await sql<{ id: string, values: Value[], yes: Array<string | number>, known: Array<string | number> }>`
    select response_id as id, indicator_values as values, yes_lanes as yes, known_lanes as known
    from response_facts where ${where} order by response_id`.execute(database.db)
  return rows.rows.map((row) => ({ id: row.id, values: row.values, yes: row.yes.map(Number), known: row.known.map(Number) }))
}

describe('response_facts lanes', () => {
  describe('the migration that adds them', () => {
    let database: TestDatabase
    beforeAll(async () => { database = await openEmptyDatabase() })
    afterAll(async () => { await database.close() })

    it('backfills the facts already stored, in SQL, as intake computes them; down drops them; up again', async () => {
      const migrator = createMigrator(database.db)
      expect((await migrator.migrateTo(BEFORE_LANES)).error).toBeUndefined()
      const examples: Value[][] = [
        [],
        [null, null, null, null],
        [true, false, null, true, false],
        [null, null, true],
        Array.from({ length: 65 }, (_, i) => [true, false, null][i % 3] as Value),
        Array.from({ length: 65 }, (_, i) => [true, false, null][(i * 7) % 3 === 0 ? 2 : i % 2] as Value),
        new Array<Value>(65).fill(true),
      ]
      for (const values of examples) {
        const id = randomUUID()
        await sql`insert into responses (id, wave_id, site_id, survey_version_id, iso_week, answers)
                  values (${id}, ${randomUUID()}, ${randomUUID()}, 1, '2026-W48', '{}'::jsonb)`.execute(database.db)
        // The values as a boolean[] built from their JSON, which both engines read the same way.
        await sql`insert into response_facts (response_id, wave_id, site_id, survey_version_id, iso_week, indicator_values)
                  select r.id, r.wave_id, r.site_id, r.survey_version_id, r.iso_week,
                         coalesce((select array_agg(e.value::boolean order by e.i)
                                   from jsonb_array_elements_text(${JSON.stringify(values)}::jsonb) with ordinality as e(value, i)), '{}')
                  from responses r where r.id = ${id}`.execute(database.db)
      }

      await migrateToLatest(database.db)
      const rows = await storedLanes(database)
      expect(rows).toHaveLength(examples.length)
      for (const row of rows) expect({ yes: row.yes, known: row.known }, JSON.stringify(row.values)).toEqual(factLanes(row.values))
      const notNull = await sql<{ column_name: string, is_nullable: string }>`
        select column_name, is_nullable from information_schema.columns
        where table_name = 'response_facts' and column_name in ('yes_lanes', 'known_lanes') order by column_name`.execute(database.db)
      expect(notNull.rows).toEqual([{ column_name: 'known_lanes', is_nullable: 'NO' }, { column_name: 'yes_lanes', is_nullable: 'NO' }])

      expect((await migrator.migrateTo(BEFORE_LANES)).error).toBeUndefined()
      const left = await sql<{ n: number }>`
        select count(*)::int as n from information_schema.columns
        where table_name = 'response_facts' and column_name like '%lanes'`.execute(database.db)
      expect(left.rows[0]?.n).toBe(0)
      const again = await migrator.migrateTo(LANES)
      expect(again.error).toBeUndefined()
      expect((await storedLanes(database)).map(({ yes, known }) => ({ yes, known }))).toEqual(rows.map(({ yes, known }) => ({ yes, known })))
    })
  })

  describe('written by intake and read by the results query', () => {
    let database: TestDatabase
    let waveId: string
    let query: Omit<CellCountsQuery, 'dimensions' | 'stratum'>

    beforeAll(async () => {
      database = await openTestDatabase()
      await publishDefinitions(database.db)
      const version = await findSurveyVersion(database.db, 'hverdag', 1)
      if (version === undefined) throw new Error('hverdag v1 was not published')
      const sites = []
      for (const county of ['03', '03', '46']) sites.push(await createSite(database.db, siteFixture({ county_number: county, municipality_number: `${county}01` })))
      const today = studyToday('Europe/Oslo')
      const wave = await createWave(database.db, {
        name: 'Lanes wave', survey_version_id: version.id, opens_on: addDays(today, -1), closes_on: addDays(today, 30), status: 'open',
      }, sites.map((site) => ({ siteId: site.id })))
      waveId = wave.id
      await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' },
        { waveId, responses: 700, seed: 5 })
      const indicators = await indicatorsOfSurveyVersions(database.db, [version.id])
      // An id past every stored array: no row has its lane, so it counts 0 of 0 either way.
      query = { waveIds: [waveId], indicators: [...indicators, { id: indicators.length + 7, name: 'not_stored' }] }
    }, 120_000)

    afterAll(async () => { await database?.close() })

    it('stores with every response the lanes of its indicator values', async () => {
      const rows = await storedLanes(database)
      expect(rows).toHaveLength(700)
      for (const row of rows) expect({ yes: row.yes, known: row.known }).toEqual(factLanes(row.values))
      expect(rows.some((row) => row.values.includes(null))).toBe(true)
    })

    it('the per-site totals count exactly what the filtered counts over every response\'s indicator_values count, for any breakdown', async () => {
      const breakdowns: Array<Pick<CellCountsQuery, 'dimensions' | 'stratum'>> = [
        { dimensions: [] },
        { dimensions: ['gender'] },
        { dimensions: ['gender', 'county'], stratum: 'county' },
        { dimensions: ['wave', 'age_group', 'site_kind', 'municipality', 'centrality'] },
      ]
      const sortKey = (row: { site: string, group: Record<string, string | null> }) => JSON.stringify([row.site, row.group])
      // Neither query promises an order; the results route orders cells itself.
      const sorted = <Row extends { site: string, group: Record<string, string | null> }>(rows: readonly Row[]) =>
        [...rows].sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
      for (const breakdown of breakdowns) {
        const lanes = await countCellsBySite(database.db, { ...query, ...breakdown })
        const filtered = await countCellsBySiteFiltered(database.db, { ...query, ...breakdown })
        expect(lanes.length).toBeGreaterThan(0)
        expect(sorted(lanes)).toEqual(sorted(filtered))
        for (const row of lanes) expect(row.counts.at(-1)).toEqual({ n: 0, yes: 0 })
      }
      // Recomputed from the facts, the totals are the same again.
      await database.db.transaction().execute(async (trx) => { await rebuildResponseTotals(trx, waveId) })
      const again = await countCellsBySite(database.db, { ...query, dimensions: ['gender', 'county'] })
      expect(sorted(again)).toEqual(sorted(await countCellsBySiteFiltered(database.db, { ...query, dimensions: ['gender', 'county'] })))
      // Some indicators, out of order and sharing lanes.
      const some = { ...query, indicators: [query.indicators[4]!, query.indicators[0]!, query.indicators[5]!, query.indicators[3]!], dimensions: ['gender' as const] }
      expect(sorted(await countCellsBySite(database.db, some))).toEqual(sorted(await countCellsBySiteFiltered(database.db, some)))
    })
  })
})
