import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSite } from '../../api/db/queries/sites.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { createStudy, siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

describe('synthetic responses', () => {
  let database: TestDatabase
  beforeAll(async () => { database = await openTestDatabase() })
  afterAll(async () => { await database.close() })

  async function prevalence (waveId: string, indicator: string, gender: string) {
    const { id } = await database.db.selectFrom('indicators').select('id').where('name', '=', indicator).executeTakeFirstOrThrow()
    const row = await sql<{ n: number, yes: number }>`
      select count(*) filter (where indicator_values[${id}] is not null)::int as n,
             count(*) filter (where indicator_values[${id}])::int as yes
      from response_facts where wave_id = ${waveId} and gender = ${gender}`.execute(database.db)
    const { n, yes } = row.rows[0]!
    return yes / n
  }

  it('fill a wave through intake validation, at every site, with plausible prevalences that differ by gender', async () => {
    const study = await createStudy(database.db)
    const third = await createSite(database.db, siteFixture({ name: 'Third' }))
    await database.db.insertInto('wave_sites').values({ wave_id: study.wave.id, site_id: third.id, target_responses: null }).execute()
    const surveys = new CompiledSurveyCache(database.db)

    const result = await seedSyntheticResponses({ db: database.db, surveys, timeZone: 'Europe/Oslo' }, { waveId: study.wave.id, responses: 600, seed: 7 })
    expect(result.stored).toBe(600)
    expect(Object.keys(result.bySite).sort()).toEqual([study.site.id, third.id].sort())
    for (const count of Object.values(result.bySite)) expect(count).toBeGreaterThan(200)

    const counts = await sql<{ responses: number, facts: number }>`
      select (select count(*) from responses where wave_id = ${study.wave.id})::int as responses,
             (select count(*) from response_facts where wave_id = ${study.wave.id})::int as facts`.execute(database.db)
    expect(counts.rows[0]).toEqual({ responses: 600, facts: 600 })

    // Published studies put 38–77 % exposed to any violence; the seeder aims inside that range.
    const anyEverWomen = await prevalence(study.wave.id, 'any_violence_ever', 'woman')
    const anyEverMen = await prevalence(study.wave.id, 'any_violence_ever', 'man')
    for (const p of [anyEverWomen, anyEverMen]) {
      expect(p).toBeGreaterThan(0.5)
      expect(p).toBeLessThan(0.9)
    }
    expect(await prevalence(study.wave.id, 'any_sexual_ever', 'woman')).toBeGreaterThan(2 * await prevalence(study.wave.id, 'any_sexual_ever', 'man'))
  })

  it('refuse an unknown wave by name', async () => {
    const surveys = new CompiledSurveyCache(database.db)
    await expect(seedSyntheticResponses({ db: database.db, surveys, timeZone: 'Europe/Oslo' }, { waveId: '00000000-0000-4000-8000-000000000000', responses: 1 }))
      .rejects.toThrow('wave 00000000-0000-4000-8000-000000000000 was not found')
  })
})
