import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMigrator, migrateToLatest } from '../../api/db/migrate.js'
import { insertAnalysisRows } from '../../api/db/queries/responses.js'
import { countCellsBySite } from '../../api/db/queries/results.js'
import type { CellCountsQuery, SiteCellCounts } from '../../api/db/queries/results.js'
import { createSite } from '../../api/db/queries/sites.js'
import { siteFixture } from '../helpers/fixtures.js'
import { openEmptyDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const BEFORE = '2026-12-04T0300_release_reliability'

describe('the migration that splits facts and totals by visits and the repeat answer', () => {
  let database: TestDatabase
  beforeAll(async () => { database = await openEmptyDatabase() })
  afterAll(async () => { await database.close() })

  it('down merges the split totals back, cell for cell; up again keeps every count, as unweighted and not repeated', async () => {
    await migrateToLatest(database.db)
    const sites = [await createSite(database.db, siteFixture()), await createSite(database.db, siteFixture({ county_number: '46', municipality_number: '4601' }))]
    const waveId = randomUUID()
    const visits = [1, 2.5, 5, 7, null]
    const responses = Array.from({ length: 80 }, (_, n) => ({
      siteId: sites[n % 2]!.id,
      response: {
        id: randomUUID(),
        waveId,
        surveyVersionId: 1,
        isoWeek: '2026-W49',
        answers: {},
        gender: ['woman', 'man', null][n % 3] ?? null,
        ageGroup: '25_34',
        indicatorValues: Array.from({ length: 4 }, (_, i) => [true, false, null][(n + i * 7) % 3] ?? null),
        visits: visits[n % 5] ?? null,
        answeredBefore: n % 7 === 0,
      },
    }))
    expect((await insertAnalysisRows(database.db, responses)).size).toBe(80)
    const query: CellCountsQuery = { waveIds: [waveId], indicators: Array.from({ length: 4 }, (_, i) => ({ id: i + 1, name: `i${i + 1}` })), dimensions: ['gender'], answeredBefore: 'include' }
    const byCell = (rows: SiteCellCounts[]) => new Map(rows.map((row) => [JSON.stringify([row.site, row.group]), row.counts]))
    const before = byCell(await countCellsBySite(database.db, query))
    const split = await sql<{ n: number }>`select count(*)::int as n from response_totals`.execute(database.db)
    expect(split.rows[0]?.n).toBeGreaterThan(before.size)

    expect((await createMigrator(database.db).migrateTo(BEFORE)).error).toBeUndefined()
    const merged = await sql<{ site: string, gender: string | null, responses: number, yes: number[], known: number[] }>`
      select site_id::text as site, gender, responses, yes_counts as yes, known_counts as known from response_totals`.execute(database.db)
    expect(merged.rows).toHaveLength(before.size)
    expect(merged.rows.reduce((s, row) => s + row.responses, 0)).toBe(80)
    for (const row of merged.rows) {
      const counts = before.get(JSON.stringify([row.site, { gender: row.gender }]))
      expect(counts).toEqual(row.known.map((known, i) => ({ n: known, yes: row.yes[i] })))
    }

    await migrateToLatest(database.db)
    expect(byCell(await countCellsBySite(database.db, query))).toEqual(before)
    const facts = await sql<{ visits: number, repeats: number }>`
      select count(visits)::int as visits, count(*) filter (where answered_before)::int as repeats from response_facts`.execute(database.db)
    expect(facts.rows[0]).toEqual({ visits: 0, repeats: 0 })
  })
})
