import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import { sampleRankCorrelation } from 'simple-statistics'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadDefinitions } from '../../survey-definitions/index.js'
import type { Database, SiteRow } from '../../api/db/database.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { createSite } from '../../api/db/queries/sites.js'
import { randomAnswers } from '../../api/synthetic/random-answers.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { mixDueWaves, mixWave } from '../../api/services/mix.js'
import type { MixContext } from '../../api/services/mix.js'
import { publishDefinitions, uploadedDefinition } from '../../api/services/survey-versions.js'
import { addDays, isoWeek, studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import type { TestApp } from '../helpers/build-app.js'
import { FIVE_SITES, responseTableCounts, siteFixture, createWave } from '../helpers/fixtures.js'
import { testMixContext } from '../helpers/holding.js'
import { bytesAtRest, openTestDatabaseOnDisk } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/** Tables whose rows carry answers or facts: only the mix writes them (besides the synthetic seeder). */
const ANALYSIS_TABLES = ['responses', 'response_facts', 'response_totals']
const UPLOADS = 400
const TABLETS = 4
/** A free-text answer no other part of the database (or the server's WAL, of earlier runs too) could hold by chance. */
const RUN = randomUUID().slice(0, 8).toUpperCase()
const marker = (n: number): string => `QZ${RUN}M${String(n).padStart(4, '0')}XQ`
const MARKERS = new RegExp(`QZ${RUN}M\\d{4}XQ`, 'g')
const started = new Date()

async function publishFreeTextVersion (db: Kysely<Database>): Promise<number> {
  const shipped = loadDefinitions().find((def) => def.slug === 'hverdag' && def.version === 1)
  if (shipped === undefined) throw new Error('no hverdag v1')
  const survey = JSON.parse(JSON.stringify(shipped.survey)) as { pages: Array<{ elements: unknown[] }> }
  survey.pages.at(-1)?.elements.push({ type: 'comment', name: 'anything_else', title: { nb: 'Noe mer du vil si?', en: 'Anything else?' } })
  const map = { ...shipped.indicatorMap, freeText: ['anything_else'] } as unknown as Record<string, unknown>
  await publishDefinitions(db, [uploadedDefinition('hverdag', 9, survey, map)])
  const row = await db.selectFrom('survey_versions').select('id').where('slug', '=', 'hverdag').where('version', '=', 9).executeTakeFirstOrThrow()
  return row.id
}

const mixContextFor = (database: TestDatabase): MixContext => testMixContext(database.db)

/** Every xmin of every row of each ordinary table in the schema, by table. */
async function xminsByTable (db: Kysely<Database>): Promise<Map<string, Set<string>>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`.execute(db)
  const byTable = new Map<string, Set<string>>()
  for (const { name } of tables.rows) {
    const rows = await sql<{ x: string }>`select xmin::text as x from ${sql.table(name)}`.execute(db)
    byTable.set(name, new Set(rows.rows.map((row) => row.x)))
  }
  return byTable
}

describe('unlinkable at rest: the holding area and the week\'s mix', () => {
  let database: TestDatabase
  let test: TestApp
  let waveId: string
  let sites: SiteRow[]
  const uploadOrder: string[] = []
  const rng = mulberry32(20261203)

  beforeAll(async () => {
    database = await openTestDatabaseOnDisk()
    test = await buildTestApp(database, { INTAKE_UPLOADS_PER_MINUTE: 100_000 })
    const versionId = await publishFreeTextVersion(database.db)
    sites = []
    for (const site of FIVE_SITES.slice(0, 3)) sites.push(await createSite(database.db, siteFixture(site)))
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Unlinkable wave', survey_version_id: versionId, opens_on: addDays(today, -3), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    const tokens = []
    for (let i = 0; i < TABLETS; i += 1) tokens.push((await enrolDevice(database.db, sites[i % sites.length]?.id ?? '', `Tablet ${i + 1}`)).token)
    const compiled = await new CompiledSurveyCache(database.db).get(versionId)
    // One at a time, so the order of arrival is known exactly; the tablets take turns, as at a busy site.
    for (let n = 0; n < UPLOADS; n += 1) {
      const id = randomUUID()
      const answers = { ...randomAnswers(compiled.survey, rng), anything_else: marker(n) }
      const reply = await test.app.inject({
        method: 'POST', url: '/api/responses', headers: { authorization: `Bearer ${tokens[n % TABLETS] ?? ''}` }, payload: { id, waveId, answers },
      })
      expect(reply.statusCode, reply.body).toBe(201)
      uploadOrder.push(id)
    }
  }, 180_000)
  afterAll(async () => {
    await test.app.close()
    await database.close()
  })

  it('holds every upload sealed: the database at rest (pg_dump and the WAL, or PGlite\'s folder with its WAL) holds no answer and no response id', async () => {
    expect(await responseTableCounts(database.db)).toEqual({ held: UPLOADS, responses: 0, facts: 0 })
    const atRest = await bytesAtRest(database, started)
    expect(atRest).toContain('held_responses') // the search reaches the tables
    expect(atRest.match(MARKERS) ?? []).toEqual([])
    for (const id of uploadOrder.slice(0, 50)) expect(atRest).not.toContain(id)
  })

  it('progress counts what is held, per site and ISO week, before any mix', async () => {
    const counts = await sql<{ n: number }>`select count(*)::int as n from held_responses where wave_id = ${waveId} and iso_week = ${isoWeek(studyToday('Europe/Oslo'))}`.execute(database.db)
    expect(counts.rows[0]?.n).toBe(UPLOADS)
  })

  it('the week\'s mix is not due during the week, and the ISO week\'s end makes it due', async () => {
    const ctx = mixContextFor(database)
    expect(await mixDueWaves(ctx)).toEqual([])
    const nextMonday = new Date(Date.now() + 8 * 86_400_000)
    const outcomes = await mixDueWaves({ ...ctx, now: () => nextMonday })
    expect(outcomes).toEqual([{ waveId, ran: true, mixed: UPLOADS, unopened: 0 }])
    expect(await responseTableCounts(database.db)).toEqual({ held: 0, responses: UPLOADS, facts: UPLOADS })
  })

  it('after the mix, no row holding answers or facts shares a transaction id with a row of any other table', async () => {
    const byTable = await xminsByTable(database.db)
    const analysis = new Set(ANALYSIS_TABLES.flatMap((name) => [...byTable.get(name) ?? []]))
    expect(analysis.size).toBeGreaterThan(0)
    for (const [name, xmins] of byTable) {
      if (ANALYSIS_TABLES.includes(name)) continue
      const shared = [...xmins].filter((x) => analysis.has(x))
      expect(shared, `${name} shares a transaction id with the analysis tables`).toEqual([])
    }
    // The whole batch is one transaction: its id says "this week's mix" and nothing finer.
    expect(byTable.get('responses')?.size).toBe(1)
  })

  it('the analysis rows\' order (transaction id, then physical place, as pg_dump writes them) says nothing about the order of arrival', async () => {
    const arrival = new Map(uploadOrder.map((id, n) => [id, n]))
    for (const [table, idColumn] of [['responses', 'id'], ['response_facts', 'response_id']] as const) {
      const rows = await sql<{ id: string }>`
        select ${sql.ref(idColumn)}::text as id from ${sql.table(table)} order by xmin::text::bigint, ctid`.execute(database.db)
      expect(rows.rows).toHaveLength(UPLOADS)
      const arrived = rows.rows.map((row) => arrival.get(row.id) ?? Number.NaN)
      const rho = sampleRankCorrelation(arrived, arrived.map((_, position) => position))
      expect(Math.abs(rho), `${table}: Spearman ${rho.toFixed(3)} between arrival and stored order`).toBeLessThan(0.2)
    }
  })

  it('keeps no held row after the mix, not even a dead one: the vacuum it runs gave the emptied pages back', async () => {
    expect(await responseTableCounts(database.db)).toMatchObject({ held: 0 })
    const size = await sql<{ bytes: number }>`select pg_relation_size('held_responses')::int as bytes`.execute(database.db)
    expect(size.rows[0]?.bytes).toBe(0)
  })

  it('the search at rest does see answers where they are readable: after the mix, in the analysis tables', async () => {
    const atRest = await bytesAtRest(database, started)
    expect(new Set(atRest.match(MARKERS)).size).toBe(UPLOADS)
  })

  it('results read the totals the mix kept, equal to a count over every response', async () => {
    const rows = await sql<{ responses: number, totals: number }>`
      select (select count(*)::int from response_facts where wave_id = ${waveId}) as responses,
             (select sum(responses)::int from response_totals where wave_id = ${waveId}) as totals`.execute(database.db)
    expect(rows.rows[0]).toEqual({ responses: UPLOADS, totals: UPLOADS })
  })
})

describe('exactly once across holding and mix', () => {
  let database: TestDatabase
  let test: TestApp
  let waveId: string
  let token: string

  beforeAll(async () => {
    database = await openTestDatabaseOnDisk()
    test = await buildTestApp(database)
    await publishDefinitions(database.db)
    const version = await database.db.selectFrom('survey_versions').select('id').where('slug', '=', 'hverdag').where('version', '=', 1).executeTakeFirstOrThrow()
    const site = await createSite(database.db, siteFixture())
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Retry wave', survey_version_id: version.id, opens_on: addDays(today, -3), closes_on: addDays(today, 30), status: 'open',
    }, [{ siteId: site.id }])
    waveId = wave.id
    token = (await enrolDevice(database.db, site.id, 'Retry tablet')).token
  })
  afterAll(async () => {
    await test.app.close()
    await database.close()
  })

  const send = async (id: string, answers: Record<string, unknown>) => await test.app.inject({
    method: 'POST', url: '/api/responses', headers: { authorization: `Bearer ${token}` }, payload: { id, waveId, answers },
  })

  it('a retried upload is acknowledged and a clash refused, whether the response is held or already mixed', async () => {
    const id = randomUUID()
    const answers = { gender: 'woman', age_group: '25_34', pushed_ever: 'once' }
    expect((await send(id, answers)).statusCode).toBe(201)
    // Held: the same again (keys in another order) is the same response; other answers under its id are not.
    expect((await send(id, { pushed_ever: 'once', age_group: '25_34', gender: 'woman' })).statusCode).toBe(201)
    const clashWhileHeld = await send(id, { ...answers, pushed_ever: 'several' })
    expect(clashWhileHeld.statusCode).toBe(409)
    expect(clashWhileHeld.json()).toMatchObject({ code: 'response_conflict' })
    expect(await responseTableCounts(database.db)).toEqual({ held: 1, responses: 0, facts: 0 })

    expect(await mixWave(mixContextFor(database), waveId)).toMatchObject({ ran: true, mixed: 1 })
    expect((await send(id, answers)).statusCode).toBe(201)
    expect((await send(id, { ...answers, pushed_ever: 'several' })).statusCode).toBe(409)
    expect(await responseTableCounts(database.db)).toEqual({ held: 0, responses: 1, facts: 1 })
    const tablet = await database.db.selectFrom('devices').select('upload_count').executeTakeFirstOrThrow()
    expect(tablet.upload_count).toBe(1)
  })

  it('a mix that fails before its commit leaves every held response held; the next one moves each exactly once', async () => {
    const ids = Array.from({ length: 30 }, () => randomUUID())
    for (const id of ids) expect((await send(id, { gender: 'man' })).statusCode).toBe(201)
    const before = await responseTableCounts(database.db)
    // A holding key file that lacks the key every row was sealed with: nothing opens, so nothing may move or vanish.
    const { HoldingKeyring, newHoldingKey } = await import('../../api/sealing/holding-key.js')
    const stranger = { ...mixContextFor(database), keys: new HoldingKeyring([newHoldingKey()]) }
    expect(await mixWave(stranger, waveId)).toMatchObject({ ran: true, mixed: 0, unopened: 30 })
    expect(await responseTableCounts(database.db)).toEqual(before)

    // A failure inside the transaction (a response the analysis tables refuse) rolls the whole mix back.
    await sql`alter table responses add constraint refuse_men check (answers->>'gender' is distinct from 'man') not valid`.execute(database.db)
    await expect(mixWave(mixContextFor(database), waveId)).rejects.toThrow()
    expect(await responseTableCounts(database.db)).toEqual(before)
    await sql`alter table responses drop constraint refuse_men`.execute(database.db)

    expect(await mixWave(mixContextFor(database), waveId)).toMatchObject({ ran: true, mixed: 30, unopened: 0 })
    expect(await responseTableCounts(database.db)).toEqual({ held: 0, responses: before.responses + 30, facts: before.facts + 30 })
    const stored = await database.db.selectFrom('responses').select('id').where('id', 'in', ids).execute()
    expect(stored).toHaveLength(30)
  })
})
