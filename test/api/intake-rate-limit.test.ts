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
