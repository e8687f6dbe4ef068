import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/build-app.js'
import type { TestApp } from '../helpers/build-app.js'
import { createStudy } from '../helpers/fixtures.js'
import { mixAllHeld } from '../helpers/holding.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/** Hand-worked responses through intake, read back from response_facts as stored. */
describe('facts stored with a response', () => {
  let database: TestDatabase
  let test: TestApp
  let study: StudyFixture
  beforeAll(async () => {
    database = await openTestDatabase()
    test = await buildTestApp(database)
    study = await createStudy(database.db)
  })
  afterAll(async () => {
    await test.app.close()
    await database.close()
  })

  async function submit (answers: Record<string, unknown>): Promise<Record<string, boolean | null>> {
    const id = randomUUID()
    const reply = await test.app.inject({
      method: 'POST', url: '/api/responses', headers: { authorization: `Bearer ${study.token}` }, payload: { id, waveId: study.wave.id, answers },
    })
    expect(reply.statusCode, reply.body).toBe(201)
    await mixAllHeld(database.db) // facts are stored by the week's mix
    const rows = await sql<{ name: string, value: boolean | null }>`
      select i.name, f.indicator_values[i.id] as value
      from response_facts f cross join indicators i where f.response_id = ${id}`.execute(database.db)
    return Object.fromEntries(rows.rows.map((row) => [row.name, row.value]))
  }

  // Every other violence "ever" question answered "no", so "any …" indicators are decided by the items under test.
  const NO_VIOLENCE = Object.fromEntries(['pushed', 'hair_pulled', 'grabbed_throat', 'strangled', 'hit_fist', 'kicked', 'hit_object',
    'threatened_weapon', 'stabbed_cut', 'attempted_murder', 'forced_sexual', 'raped', 'psychological'].map((type) => [`${type}_ever`, 'no']))

  it('a gate answered "no" gives no for the periods it hid', async () => {
    const facts = await submit({ ...NO_VIOLENCE })
    expect(facts).toMatchObject({ pushed_ever: false, pushed_12m: false, pushed_1m: false, any_violence_ever: false, any_violence_1m: false, perpetrator_partner: false })
  })

  it('"prefer not to say" gives missing, and so do the periods it hid', async () => {
    const facts = await submit({ ...NO_VIOLENCE, strangled_ever: 'prefer_not' })
    expect(facts).toMatchObject({ strangled_ever: null, strangled_12m: null, strangled_1m: null, pushed_ever: false })
    // One unknown item among otherwise "no": whether any violence happened is unknown.
    expect(facts.any_violence_ever).toBeNull()
    expect(facts.any_physical_ever).toBeNull()
    expect(facts.any_sexual_ever).toBe(false)
  })

  it('a skipped question gives missing', async () => {
    const { kicked_ever: _skipped, ...rest } = NO_VIOLENCE
    const facts = await submit(rest)
    expect(facts.kicked_ever).toBeNull()
    expect(facts.kicked_12m).toBeNull()
    expect(facts.hit_fist_ever).toBe(false)
  })

  it('a yes in one period carries into "any" and "repeated"', async () => {
    const facts = await submit({ ...NO_VIOLENCE, raped_ever: 'several', raped_12m: 'several', raped_1m: 'no', perpetrator: ['partner'] })
    expect(facts).toMatchObject({
      raped_ever: true,
      raped_12m: true,
      raped_1m: false,
      any_sexual_ever: true,
      any_sexual_12m: true,
      any_violence_ever: true,
      any_physical_ever: false,
      repeated_ever: true,
      repeated_12m: true,
      perpetrator_partner: true,
      perpetrator_drug_supplier: false,
    })
  })
})
