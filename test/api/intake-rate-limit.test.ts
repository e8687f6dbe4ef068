import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../api/config.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import type { TestApp } from '../helpers/build-app.js'
import { createStudy, responseTableCounts } from '../helpers/fixtures.js'
import { mixAllHeld } from '../helpers/holding.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'
import { awaitFreshMinute } from '../helpers/clock.js'

const LIMIT = 5
const ANSWERS = { gender: 'woman', age_group: '25_34', pushed_ever: 'several', pushed_12m: 'once', pushed_1m: 'no' }

describe('intake rate limit per device, kept in the database', () => {
  let database: TestDatabase
  // Two app instances on one database stand for two API processes: each has its own batcher.
  let tests: TestApp[]
  let apps: FastifyInstance[]
  let study: StudyFixture

  beforeAll(async () => {
    database = await openTestDatabase()
    tests = [
      await buildTestApp(database, { INTAKE_UPLOADS_PER_MINUTE: LIMIT }),
      await buildTestApp(database, { INTAKE_UPLOADS_PER_MINUTE: LIMIT }),
    ]
    apps = tests.map((test) => test.app)
    study = await createStudy(database.db)
  }, 30_000)
  afterAll(async () => {
    for (const app of apps) await app.close()
    await database.close()
  })

  function upload (token: string, id = randomUUID(), app = apps[0] as FastifyInstance, answers: object = ANSWERS) {
    return app.inject({
      method: 'POST',
      url: '/api/responses',
      headers: { authorization: `Bearer ${token}` },
      payload: { id, waveId: study.wave.id, answers },
    })
  }

  async function freshDevice (): Promise<{ id: string, token: string }> {
    const { device, token } = await enrolDevice(database.db, study.site.id, `Tablet ${randomUUID().slice(0, 8)}`)
    return { id: device.id, token }
  }

  async function deviceRow (id: string) {
    return await database.db.selectFrom('devices')
      .select(['last_upload_on', 'upload_count', 'rate_window_uploads'])
      .where('id', '=', id).executeTakeFirstOrThrow()
  }

  it('stores the first N uploads of a burst split over two API instances, refuses the rest with 429 and Retry-After, and stores nothing for them', async () => {
    const device = await freshDevice()
    await awaitFreshMinute()
    const before = await responseTableCounts(database.db)
    const ids = Array.from({ length: LIMIT + 4 }, () => randomUUID())
    const replies = await Promise.all(ids.map((id, i) => upload(device.token, id, apps[i % 2])))

    const accepted = ids.filter((_, i) => replies[i]?.statusCode === 201)
    const refused = replies.filter((reply) => reply.statusCode === 429)
    expect(replies.map((reply) => reply.statusCode).sort()).toEqual([...Array(LIMIT).fill(201), ...Array(4).fill(429)])
    for (const reply of refused) {
      expect(reply.json()).toEqual({
        code: 'rate_limited',
        message: expect.stringMatching(new RegExp(`more than ${LIMIT} responses in a minute; nothing was stored, send it again in \\d+ s`)),
      })
      const retryAfter = Number(reply.headers['retry-after'])
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(reply.headers['retry-after'])).toBe(true)
      expect(reply.json().message).toContain(`in ${retryAfter} s`)
    }
    expect(await responseTableCounts(database.db)).toEqual({ ...before, held: before.held + LIMIT })
    await mixAllHeld(database.db)
    const stored = await database.db.selectFrom('responses').select('id').where('id', 'in', ids).execute()
    expect(stored.map((row) => row.id).sort()).toEqual([...accepted].sort())
    expect(await deviceRow(device.id)).toEqual({ last_upload_on: studyToday('Europe/Oslo'), upload_count: LIMIT, rate_window_uploads: LIMIT })
  })

  it('limits each tablet on its own: another tablet at the same site still uploads', async () => {
    const [busy, other] = [await freshDevice(), await freshDevice()]
    await awaitFreshMinute()
    for (let i = 0; i < LIMIT; i += 1) expect((await upload(busy.token)).statusCode).toBe(201)
    expect((await upload(busy.token)).statusCode).toBe(429)
    expect((await upload(other.token, randomUUID(), apps[1])).statusCode).toBe(201)
    expect((await deviceRow(other.id)).upload_count).toBe(1)
  })

  it('forgets the uploads of an earlier minute', async () => {
    const device = await freshDevice()
    await sql`update devices set rate_window_start = date_trunc('minute', now()) - interval '1 minute', rate_window_uploads = ${LIMIT}
              where id = ${device.id}`.execute(database.db)
    await awaitFreshMinute()
    expect((await upload(device.token)).statusCode).toBe(201)
    expect(await deviceRow(device.id)).toMatchObject({ upload_count: 1, rate_window_uploads: 1 })
  })

  it('counts a retried upload against the limit but not as a new response, and a refused one not at all', async () => {
    const device = await freshDevice()
    await awaitFreshMinute()
    const id = randomUUID()
    expect((await upload(device.token, id)).statusCode).toBe(201)
    expect((await upload(device.token, id, apps[1])).statusCode).toBe(201)
    expect(await deviceRow(device.id)).toMatchObject({ upload_count: 1, rate_window_uploads: 2 })
    // Invalid answers are refused before the statement: they neither count nor store.
    expect((await upload(device.token, randomUUID(), apps[0], { gender: 'not-a-choice' })).statusCode).toBe(422)
    expect(await deviceRow(device.id)).toMatchObject({ upload_count: 1, rate_window_uploads: 2 })
  })

  it('keeps the counters on the device only: a stored response carries nothing that points to its tablet or a time', async () => {
    const device = await freshDevice()
    await awaitFreshMinute()
    const id = randomUUID()
    expect((await upload(device.token, id)).statusCode).toBe(201)
    const tokenHash = (await database.db.selectFrom('devices').select('token_hash').where('id', '=', device.id).executeTakeFirstOrThrow()).token_hash
    await mixAllHeld(database.db)
    const response = await database.db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const facts = await database.db.selectFrom('response_facts').selectAll().where('response_id', '=', id).executeTakeFirstOrThrow()
    expect(Object.keys(response).sort()).toEqual(['answers', 'id', 'iso_week', 'site_id', 'survey_version_id', 'wave_id'])
    const text = JSON.stringify([response, facts])
    expect(text).not.toContain(device.id)
    expect(text).not.toContain(tokenHash)
    expect(text).not.toContain(device.token)
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:\d{2}/)
    expect(tests.flatMap((test) => test.logLines()).join('\n')).not.toContain(id)
  })
})

describe('INTAKE_UPLOADS_PER_MINUTE', () => {
  it('defaults to 120 and refuses a value that is not a positive whole number, naming it', () => {
    expect(loadConfig({}).INTAKE_UPLOADS_PER_MINUTE).toBe(120)
    expect(loadConfig({ INTAKE_UPLOADS_PER_MINUTE: '30' }).INTAKE_UPLOADS_PER_MINUTE).toBe(30)
    for (const bad of ['0', '-5', '100001', 'many']) {
      expect(() => loadConfig({ INTAKE_UPLOADS_PER_MINUTE: bad })).toThrow(/INTAKE_UPLOADS_PER_MINUTE=/)
    }
  })
})

describe('a stolen tablet contained: a daily cap per tablet and a minimum of answers', () => {
  const PER_DAY = 4
  let database: TestDatabase
  let tests: TestApp[]
  let study: StudyFixture

  beforeAll(async () => {
    database = await openTestDatabase()
    // Two API processes again: the day's count is one count in the database, shared by both.
    tests = [
      await buildTestApp(database, { INTAKE_UPLOADS_PER_DAY: PER_DAY, INTAKE_MIN_ANSWERED: 2 }),
      await buildTestApp(database, { INTAKE_UPLOADS_PER_DAY: PER_DAY, INTAKE_MIN_ANSWERED: 2 }),
    ]
    study = await createStudy(database.db)
  }, 30_000)
  afterAll(async () => {
    for (const test of tests) await test.app.close()
    await database.close()
  })

  const upload = async (token: string, answers: object = ANSWERS, id = randomUUID(), which = 0) => await tests[which % 2]!.app.inject({
    method: 'POST', url: '/api/responses', headers: { authorization: `Bearer ${token}` }, payload: { id, waveId: study.wave.id, answers },
  })

  it('takes a tablet\'s new responses up to the cap, then refuses with 429 daily_limit until the study day ends; retries still answer 201', async () => {
    const { device, token } = await enrolDevice(database.db, study.site.id, 'Stolen')
    const ids = Array.from({ length: PER_DAY }, () => randomUUID())
    for (const [n, id] of ids.entries()) expect((await upload(token, ANSWERS, id, n)).statusCode).toBe(201)
    const before = await responseTableCounts(database.db)
    const over = await upload(token)
    expect(over.statusCode).toBe(429)
    expect(over.json()).toMatchObject({ code: 'daily_limit', message: expect.stringContaining(`sent ${PER_DAY} responses today`) })
    const retryAfter = Number(over.headers['retry-after'])
    expect(retryAfter >= 1 && retryAfter <= 25 * 3600, String(over.headers['retry-after'])).toBe(true)
    // A retry of a response already held is not a new response: still acknowledged, still not counted again.
    expect((await upload(token, ANSWERS, ids[0], 1)).statusCode).toBe(201)
    expect(await responseTableCounts(database.db)).toEqual(before)
    const row = await database.db.selectFrom('devices').select(['day_uploads', 'upload_count']).where('id', '=', device.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ day_uploads: PER_DAY, upload_count: PER_DAY })
    // Another tablet at the same site is not held back by the stolen one.
    const other = await enrolDevice(database.db, study.site.id, 'Honest')
    expect((await upload(other.token)).statusCode).toBe(201)
  })

  it('counts the cap per study day: the count of an earlier day does not hold a tablet back', async () => {
    const { device, token } = await enrolDevice(database.db, study.site.id, 'Yesterday')
    await database.db.updateTable('devices').set({ day_uploads: PER_DAY, last_upload_on: '2020-01-01' }).where('id', '=', device.id).execute()
    expect((await upload(token)).statusCode).toBe(201)
    const row = await database.db.selectFrom('devices').select(['day_uploads', 'last_upload_on']).where('id', '=', device.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ day_uploads: 1, last_upload_on: studyToday('Europe/Oslo') })
  })

  it('refuses a response with too few answered questions (422 too_few_answers, naming the count) and stores nothing', async () => {
    const { token } = await enrolDevice(database.db, study.site.id, 'Empty')
    const before = await responseTableCounts(database.db)
    for (const answers of [{}, { gender: 'woman' }, { gender: 'woman', substances_1m: [] }]) {
      const reply = await upload(token, answers)
      expect(reply.statusCode, JSON.stringify(answers)).toBe(422)
      expect(reply.json()).toMatchObject({ code: 'too_few_answers', message: expect.stringMatching(/answers [01] questions?; at least 2 must be answered/) })
    }
    expect(await responseTableCounts(database.db)).toEqual(before)
    // A revoked tablet is told so first, whatever it sent.
    const stolen = await enrolDevice(database.db, study.site.id, 'Revoked empty')
    await database.db.updateTable('devices').set({ revoked_at: new Date() }).where('id', '=', stolen.device.id).execute()
    expect((await upload(stolen.token, {})).json()).toMatchObject({ code: 'device_revoked' })
  })
})

describe('INTAKE_UPLOADS_PER_DAY and INTAKE_MIN_ANSWERED', () => {
  it('default to 480 and 1 and refuse a value that is not a positive whole number, naming it', () => {
    expect(loadConfig({}).INTAKE_UPLOADS_PER_DAY).toBe(480)
    expect(loadConfig({}).INTAKE_MIN_ANSWERED).toBe(1)
    for (const bad of ['0', '-1', 'lots']) {
      expect(() => loadConfig({ INTAKE_UPLOADS_PER_DAY: bad })).toThrow(/INTAKE_UPLOADS_PER_DAY=/)
      expect(() => loadConfig({ INTAKE_MIN_ANSWERED: bad })).toThrow(/INTAKE_MIN_ANSWERED=/)
    }
  })
})
