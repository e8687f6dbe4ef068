import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { revokeDevice, enrolDevice } from '../../api/db/queries/devices.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { definitionChecksum, loadDefinitions } from '../../survey-definitions/index.js'
import { addDays, isoWeek, studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import type { TestApp } from '../helpers/build-app.js'
import { createStudy, responseTableCounts, createWave } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { mixAllHeld } from '../helpers/holding.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VALID_ANSWERS = { gender: 'woman', age_group: '25_34', pushed_ever: 'several', pushed_12m: 'once', pushed_1m: 'no', strangled_ever: 'no' }

describe('POST /api/responses', () => {
  let database: TestDatabase
  let test: TestApp
  let app: FastifyInstance
  let study: StudyFixture

  beforeAll(async () => {
    database = await openTestDatabase()
    test = await buildTestApp(database)
    app = test.app
    study = await createStudy(database.db)
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })

  function post (body: unknown, token: string | null = study.token) {
    const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` }
    if (typeof body === 'string') headers['content-type'] = 'application/json'
    return app.inject({ method: 'POST', url: '/api/responses', headers, payload: body as string | object })
  }

  it('stores a valid response with the ISO week of arrival only, and its facts', async () => {
    const id = randomUUID()
    const reply = await post({ id, waveId: study.wave.id, answers: VALID_ANSWERS })
    expect(reply.statusCode, reply.body).toBe(201)
    expect(reply.json()).toEqual({ id })
    await mixAllHeld(database.db)
    const row = await database.db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(row).toEqual({
      id,
      wave_id: study.wave.id,
      site_id: study.site.id,
      survey_version_id: study.wave.survey_version_id,
      iso_week: isoWeek(studyToday('Europe/Oslo')),
      answers: VALID_ANSWERS,
    })
    const facts = await database.db.selectFrom('response_facts').selectAll().where('response_id', '=', id).executeTakeFirstOrThrow()
    expect(facts.gender).toBe('woman')
    expect(facts.age_group).toBe('25_34')
  })

  it('acknowledges the same upload again without storing it twice', async () => {
    const id = randomUUID()
    const body = { id, waveId: study.wave.id, answers: VALID_ANSWERS }
    const first = await post(body)
    const before = await responseTableCounts(database.db)
    const second = await post({ ...body, answers: Object.fromEntries(Object.entries(VALID_ANSWERS).reverse()) })
    expect(second.statusCode).toBe(first.statusCode)
    expect(second.body).toBe(first.body)
    expect(await responseTableCounts(database.db)).toEqual(before)
  })

  it('refuses the same id with different answers (409) and keeps the first', async () => {
    const id = randomUUID()
    await post({ id, waveId: study.wave.id, answers: VALID_ANSWERS })
    const before = await responseTableCounts(database.db)
    const reply = await post({ id, waveId: study.wave.id, answers: { ...VALID_ANSWERS, gender: 'man' } })
    expect(reply.statusCode).toBe(409)
    expect(reply.json()).toMatchObject({ code: 'response_conflict' })
    expect(await responseTableCounts(database.db)).toEqual(before)
    await mixAllHeld(database.db)
    const row = await database.db.selectFrom('responses').select('answers').where('id', '=', id).executeTakeFirstOrThrow()
    expect(row.answers.gender).toBe('woman')
  })

  it('stores concurrent uploads once each, even the same response sent twice at the same moment', async () => {
    const { device: revoked, token: revokedToken } = await enrolDevice(database.db, study.site.id, 'Revoked in the crowd')
    await revokeDevice(database.db, revoked.id)
    const before = await responseTableCounts(database.db)
    const ids = Array.from({ length: 40 }, () => randomUUID())
    const bodies = ids.map((id) => ({ id, waveId: study.wave.id, answers: VALID_ANSWERS }))
    const replies = await Promise.all([
      ...bodies.map((body) => post(body)),
      ...bodies.slice(0, 10).map((body) => post(body)), // retries racing their originals
      post({ id: randomUUID(), waveId: study.wave.id, answers: VALID_ANSWERS }, revokedToken),
      post({ ...bodies[11]!, answers: { gender: 'man' } }), // a clash racing the original
    ])
    const statuses = replies.map((reply) => reply.statusCode)
    expect(statuses.slice(0, 50).filter((_, index) => index !== 11).every((status) => status === 201)).toBe(true)
    expect(statuses[50]).toBe(401)
    // Whichever of the two clashing uploads came first is kept; the other is refused.
    expect([statuses[11], statuses[51]].sort()).toEqual([201, 409])
    const after = await responseTableCounts(database.db)
    expect(after).toEqual({ ...before, held: before.held + 40 })
    await mixAllHeld(database.db)
    const stored = await database.db.selectFrom('responses').select('id').where('id', 'in', ids).execute()
    expect(stored).toHaveLength(40)
  })

  it('follows a wave moved to another survey version after its version was cached', async () => {
    const [v1] = loadDefinitions()
    const v2 = { ...v1!, version: 3, survey: { ...v1!.survey, title: { en: 'Everyday life and health, v3', nb: 'Hverdag og helse, v3' } } }
    await publishDefinitions(database.db, [{ ...v2, checksum: definitionChecksum(v2.survey, v2.indicatorMap) }])
    const version2 = await findSurveyVersion(database.db, 'hverdag', 3)
    const wave = await createWave(database.db, { ...waveDates(-1, 10), name: 'Moving', survey_version_id: study.wave.survey_version_id, status: 'open' }, [{ siteId: study.site.id }])
    expect((await post({ id: randomUUID(), waveId: wave.id, answers: VALID_ANSWERS })).statusCode).toBe(201) // caches v1 for this wave

    await database.db.updateTable('waves').set({ survey_version_id: version2!.id }).where('id', '=', wave.id).execute()
    const id = randomUUID()
    const reply = await post({ id, waveId: wave.id, answers: VALID_ANSWERS })
    expect(reply.statusCode, reply.body).toBe(201)
    await mixAllHeld(database.db)
    const stored = await database.db.selectFrom('responses').select('survey_version_id').where('id', '=', id).executeTakeFirstOrThrow()
    expect(stored.survey_version_id).toBe(version2!.id)
  })

  describe('bad input gets a 4xx that names the problem and stores nothing', () => {
    const cases: Array<{ name: string, status: number, code: string, message: RegExp, request: () => ReturnType<typeof post> | Promise<ReturnType<typeof post>> }> = [
      { name: 'no device token', status: 401, code: 'unauthorized', message: /device token is required/, request: () => post(validBody(), null) },
      { name: 'an unknown device token', status: 401, code: 'device_unknown', message: /not known/, request: () => post(validBody(), 'x'.repeat(43)) },
      { name: 'a malformed authorization header', status: 401, code: 'device_unknown', message: /not known/, request: () => post(validBody(), 'not a token!') },
      { name: 'a body that is not JSON', status: 400, code: 'bad_request', message: /JSON/i, request: () => post('{"id": ') },
      { name: 'a missing wave id', status: 400, code: 'bad_request', message: /waveId/, request: () => post({ id: randomUUID(), answers: {} }) },
      { name: 'a response id that is not a UUID', status: 400, code: 'bad_request', message: /id.*uuid/, request: () => post({ ...validBody(), id: '42' }) },
      { name: 'an unexpected field', status: 400, code: 'bad_request', message: /additional properties/, request: () => post({ ...validBody(), submittedAt: '2026-11-26T10:00:00Z' }) },
      { name: 'answers that are not an object', status: 400, code: 'bad_request', message: /answers/, request: () => post({ ...validBody(), answers: ['woman'] }) },
      { name: 'an unknown wave', status: 404, code: 'wave_not_found', message: /does not exist/, request: () => post({ ...validBody(), waveId: randomUUID() }) },
      { name: 'an unknown question', status: 422, code: 'invalid_answers', message: /favourite_colour/, request: () => post({ ...validBody(), answers: { favourite_colour: 'red' } }) },
      { name: 'a wrong type', status: 422, code: 'invalid_answers', message: /gender/, request: () => post({ ...validBody(), answers: { gender: 5 } }) },
      { name: 'a value outside the choices', status: 422, code: 'invalid_answers', message: /"womn".*choices/, request: () => post({ ...validBody(), answers: { gender: 'womn' } }) },
      { name: 'an answer to a question skip logic hid', status: 422, code: 'invalid_answers', message: /pushed_12m.*hidden/, request: () => post({ ...validBody(), answers: { pushed_ever: 'no', pushed_12m: 'once' } }) },
    ]
    function validBody () { return { id: randomUUID(), waveId: study.wave.id, answers: VALID_ANSWERS } }

    for (const testCase of cases) {
      it(testCase.name, async () => {
        const before = await responseTableCounts(database.db)
        const reply = await testCase.request()
        expect(reply.statusCode, reply.body).toBe(testCase.status)
        const body = reply.json<{ code: string, message: string }>()
        expect(body.code).toBe(testCase.code)
        expect(body.message).toMatch(testCase.message)
        expect(await responseTableCounts(database.db)).toEqual(before)
      })
    }

    it('a revoked tablet, at once', async () => {
      const { device, token } = await enrolDevice(database.db, study.site.id, 'Tablet to revoke')
      expect((await post(validBody(), token)).statusCode).toBe(201)
      await revokeDevice(database.db, device.id)
      const before = await responseTableCounts(database.db)
      const reply = await post(validBody(), token)
      expect(reply.statusCode).toBe(401)
      expect(reply.json()).toMatchObject({ code: 'device_revoked' })
      expect(await responseTableCounts(database.db)).toEqual(before)
    })

    it('a wave that does not include the tablet\'s site', async () => {
      const wave = await createWave(database.db, { ...waveDates(-5, 20), name: 'Elsewhere', survey_version_id: study.wave.survey_version_id, status: 'open' }, [{ siteId: study.otherSite.id }])
      await expectRefused({ ...validBody(), waveId: wave.id }, 403, 'wave_not_at_site', /does not include/)
    })

    it('a wave that is planned but not opened, or not open yet', async () => {
      const planned = await createWave(database.db, { ...waveDates(-5, 20), name: 'Planned', survey_version_id: study.wave.survey_version_id, status: 'planned' }, [{ siteId: study.site.id }])
      await expectRefused({ ...validBody(), waveId: planned.id }, 409, 'wave_not_open', /not open yet/)
      const future = await createWave(database.db, { ...waveDates(3, 20), name: 'Future', survey_version_id: study.wave.survey_version_id, status: 'open' }, [{ siteId: study.site.id }])
      await expectRefused({ ...validBody(), waveId: future.id }, 409, 'wave_not_open', /opens on/)
    })

    it('a closed wave past its grace days, while one within them still takes late uploads', async () => {
      const late = await createWave(database.db, { ...waveDates(-40, -10), grace_days: 9, name: 'Past grace', survey_version_id: study.wave.survey_version_id, status: 'closed' }, [{ siteId: study.site.id }])
      await expectRefused({ ...validBody(), waveId: late.id }, 409, 'wave_not_open', /took late uploads until/)
      const grace = await createWave(database.db, { ...waveDates(-40, -10), grace_days: 10, name: 'In grace', survey_version_id: study.wave.survey_version_id, status: 'closed' }, [{ siteId: study.site.id }])
      expect((await post({ ...validBody(), waveId: grace.id })).statusCode).toBe(201)
    })

    async function expectRefused (body: unknown, status: number, code: string, message: RegExp) {
      const before = await responseTableCounts(database.db)
      const reply = await post(body)
      expect(reply.statusCode, reply.body).toBe(status)
      expect(reply.json()).toMatchObject({ code })
      expect(reply.json<{ message: string }>().message).toMatch(message)
      expect(await responseTableCounts(database.db)).toEqual(before)
    }
  })

  describe('anonymity', () => {
    it('keeps the client\'s address, user agent and time of day out of the database and the log', async () => {
      const ip = '203.0.113.77'
      const agent = 'Mozilla/5.0 (Linux; Android 14; SM-X200) TabletFingerprint/9.9'
      const linesBefore = test.logLines().length
      const id = randomUUID()
      const reply = await app.inject({
        method: 'POST',
        url: '/api/responses',
        remoteAddress: ip,
        headers: { authorization: `Bearer ${study.token}`, 'user-agent': agent, 'x-forwarded-for': '198.51.100.23' },
        payload: { id, waveId: study.wave.id, answers: VALID_ANSWERS },
      })
      expect(reply.statusCode).toBe(201)

      const newLines = test.logLines().slice(linesBefore)
      // The intake route logs nothing on success: no line at all can put a time next to this response.
      expect(newLines).toEqual([])
      const allLog = test.logLines().join('\n')
      for (const secret of [ip, '198.51.100.23', agent, id]) expect(allLog).not.toContain(secret)

      await mixAllHeld(database.db)
      const stored = await database.db.selectFrom('responses').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
      const facts = await database.db.selectFrom('response_facts').selectAll().where('response_id', '=', id).executeTakeFirstOrThrow()
      const storedText = JSON.stringify([stored, facts])
      for (const secret of [ip, '198.51.100.23', agent, study.deviceId]) expect(storedText).not.toContain(secret)
      // Only the ISO week: no calendar date, no time of day anywhere in the row.
      expect(storedText).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}/)
      expect(stored.iso_week).toMatch(/^\d{4}-W\d{2}$/)
    })

    it('logs neither address nor user agent for any other request either', async () => {
      const linesBefore = test.logLines().length
      await app.inject({ method: 'GET', url: '/api/health', remoteAddress: '203.0.113.78', headers: { 'user-agent': 'AgentSmith/1.0' } })
      const newLines = test.logLines().slice(linesBefore).join('\n')
      expect(newLines).toContain('/api/health')
      expect(newLines).not.toContain('203.0.113.78')
      expect(newLines).not.toContain('AgentSmith')
    })
  })
})

function waveDates (opensInDays: number, closesInDays: number) {
  const today = studyToday('Europe/Oslo')
  return { opens_on: addDays(today, opensInDays), closes_on: addDays(today, closesInDays) }
}
