import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { IntakeKeyReply, KioskWaveReply } from '../../api/schemas/kiosk.js'
import type { EnrolmentCodeReply, Tablet } from '../../api/schemas/tablets.js'
import type { TestResponseListReply } from '../../api/schemas/test-responses.js'
import { importIntakeKey, sealResponse } from '../../web/kiosk/src/seal.js'
import { BASE_LANGUAGE_INFO } from '../../survey-definitions/languages.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { createStudy, responseTableCounts } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const ANSWERS = { gender: 'woman', age_group: '25_34', pushed_ever: 'several', pushed_12m: 'once', pushed_1m: 'no', strangled_ever: 'no' }

describe('test tablets: trying a survey version without a live response', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let study: StudyFixture
  let testToken: string

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    study = await createStudy(database.db)
    sessions = await sessionsByRole(app, database.db, study.site.id)
    testToken = await enrolTestTablet('Trial tablet')
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions) => sessions[role].headers
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const postTest = (token: string, payload: object) => app.inject({ method: 'POST', url: '/api/test-responses', headers: bearer(token), payload })
  const testCounts = async () => {
    const reply = await app.inject({ method: 'GET', url: '/api/test-responses', headers: as('researcher') })
    expect(reply.statusCode, reply.body).toBe(200)
    return reply.json<TestResponseListReply>().versions
  }
  const countFor = async (surveyVersionId: number) => (await testCounts()).find((entry) => entry.surveyVersionId === surveyVersionId)?.count

  async function issueTestCode (label: string, role: keyof Sessions = 'researcher') {
    return await app.inject({
      method: 'POST',
      url: '/api/tablets/enrolment-codes',
      headers: as(role),
      payload: { siteId: study.site.id, label, testSurveyVersionId: study.wave.survey_version_id },
    })
  }

  async function enrolTestTablet (label: string): Promise<string> {
    const issued = await issueTestCode(label)
    expect(issued.statusCode, issued.body).toBe(201)
    const enrolled = await app.inject({ method: 'POST', url: '/api/devices/enrol', payload: { code: issued.json<EnrolmentCodeReply>().code, label } })
    expect(enrolled.statusCode, enrolled.body).toBe(201)
    return enrolled.json<{ token: string }>().token
  }

  it('lets researchers and admins count and delete test responses, and nobody else', async () => {
    await expectRoleTable(app, sessions, [
      { method: 'GET', url: '/api/test-responses', allowed: ['researcher', 'admin'] },
      { method: 'DELETE', url: `/api/test-responses/${study.wave.survey_version_id}`, allowed: ['researcher', 'admin'] },
    ])
  })

  it('issues a test tablet\'s code to a researcher, naming the version, and refuses one to site staff', async () => {
    const issued = await issueTestCode('Another trial')
    expect(issued.statusCode, issued.body).toBe(201)
    expect(issued.json<EnrolmentCodeReply>().testSurveyVersion).toEqual({ id: study.wave.survey_version_id, slug: 'hverdag', version: 1 })
    const [entry] = (await auditEntries(database.db, 'tablet.enrolment_code', study.site.id)).slice(-1)
    expect(entry?.detail).toMatchObject({ testSurveyVersionId: study.wave.survey_version_id })

    const staff = await issueTestCode('Not mine to test', 'site_staff')
    expect(staff.statusCode).toBe(403)
    expect(staff.json()).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/test tablet/) })

    const unknown = await app.inject({
      method: 'POST', url: '/api/tablets/enrolment-codes', headers: as('researcher'), payload: { siteId: study.site.id, testSurveyVersionId: 999_999 },
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json()).toMatchObject({ code: 'unknown_survey_version', message: expect.stringContaining('999999') })
  })

  it('shows a test tablet its survey version, not the wave its site has open, and lists it as a test tablet', async () => {
    // v1 has no translations: bokmål and English, from its SurveyJS JSON (kiosk-languages.test.ts has the rest).
    const baseLanguages = BASE_LANGUAGE_INFO.map(({ code, name, direction, status }) => ({ code, name, direction, status }))
    const reply = await app.inject({ method: 'GET', url: '/api/kiosk/wave', headers: bearer(testToken) })
    expect(reply.statusCode, reply.body).toBe(200)
    expect(reply.json<KioskWaveReply>()).toEqual({
      mode: 'test', waveId: null, siteName: study.site.name, surveyVersionId: study.wave.survey_version_id, slug: 'hverdag', version: 1, privacyCheckBefore: 'page_violence_intro', languages: baseLanguages,
    })
    const live = await app.inject({ method: 'GET', url: '/api/kiosk/wave', headers: bearer(study.token) })
    expect(live.json<KioskWaveReply>()).toMatchObject({ mode: 'live', waveId: study.wave.id })

    const listed = await app.inject({ method: 'GET', url: `/api/tablets?siteId=${study.site.id}`, headers: as('researcher') })
    const tablets = listed.json<{ tablets: Tablet[] }>().tablets
    expect(tablets.find((tablet) => tablet.label === 'Trial tablet')?.testSurveyVersion).toEqual({ id: study.wave.survey_version_id, slug: 'hverdag', version: 1 })
    expect(tablets.find((tablet) => tablet.label === 'Tablet 1')?.testSurveyVersion).toBeNull()
  })

  it('keeps a test response apart, plain or sealed, and never as a live response', async () => {
    const before = await responseTableCounts(database.db)
    const kept = await countFor(study.wave.survey_version_id) ?? 0
    const plain = { id: randomUUID(), answers: ANSWERS }
    expect((await postTest(testToken, plain)).statusCode).toBe(201)
    // A resent upload (its acknowledgement lost) is acknowledged again; the same id with other answers is refused.
    expect((await postTest(testToken, plain)).statusCode).toBe(201)
    const changed = await postTest(testToken, { id: plain.id, answers: { ...ANSWERS, gender: 'man' } })
    expect(changed.statusCode).toBe(409)
    expect(changed.json().code).toBe('response_conflict')

    const intakeKey = (await app.inject({ method: 'GET', url: '/api/kiosk/intake-key' })).json<IntakeKeyReply>()
    const sealed = await sealResponse(await importIntakeKey(intakeKey), { id: randomUUID(), answers: ANSWERS })
    const viaSeal = await postTest(testToken, { sealed })
    expect(viaSeal.statusCode, viaSeal.body).toBe(201)

    expect(await countFor(study.wave.survey_version_id)).toBe(kept + 2)
    expect(await responseTableCounts(database.db)).toEqual(before)
    const stored = await database.db.selectFrom('test_responses').selectAll().where('id', '=', plain.id).executeTakeFirstOrThrow()
    expect(stored.answers).toEqual(ANSWERS)
  })

  it('checks a test response against its version as intake does', async () => {
    const reply = await postTest(testToken, { id: randomUUID(), answers: { ...ANSWERS, gender: 'not a choice' } })
    expect(reply.statusCode).toBe(422)
    expect(reply.json()).toMatchObject({ code: 'invalid_answers', question: 'gender' })
  })

  it('refuses a test tablet\'s live upload and a live tablet\'s test upload, storing neither', async () => {
    const before = await responseTableCounts(database.db)
    const kept = await countFor(study.wave.survey_version_id)
    const live = await app.inject({
      method: 'POST', url: '/api/responses', headers: bearer(testToken), payload: { id: randomUUID(), waveId: study.wave.id, answers: ANSWERS },
    })
    expect(live.statusCode).toBe(409)
    expect(live.json()).toMatchObject({ code: 'test_tablet', message: expect.stringMatching(/test tablet.*nothing was stored/) })
    const test = await postTest(study.token, { id: randomUUID(), answers: ANSWERS })
    expect(test.statusCode).toBe(409)
    expect(test.json()).toMatchObject({ code: 'live_tablet' })
    expect(await responseTableCounts(database.db)).toEqual(before)
    expect(await countFor(study.wave.survey_version_id)).toBe(kept)
  })

  it('leaves results and the microdata export as they were', async () => {
    const results = async () => (await app.inject({ method: 'GET', url: `/api/results?waves=${study.wave.id}`, headers: as('researcher') })).body
    const microdata = async () => (await app.inject({ method: 'GET', url: `/api/exports/waves/${study.wave.id}/microdata.csv`, headers: as('researcher') })).body
    const [resultsBefore, microdataBefore] = [await results(), await microdata()]
    const id = randomUUID()
    expect((await postTest(testToken, { id, answers: ANSWERS })).statusCode).toBe(201)
    expect(await results()).toBe(resultsBefore)
    const after = await microdata()
    expect(after).not.toContain(id)
    expect(after.split('\n').length).toBe(microdataBefore.split('\n').length)
  })

  it('keeps nothing but the id, the survey version and the answers with a test response', async () => {
    const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'test_responses' order by column_name`.execute(database.db)
    expect(columns.rows.map((row) => row.column_name)).toEqual(['answers', 'id', 'survey_version_id'])
  })

  it('deletes a version\'s test responses on demand, with an audit entry saying how many', async () => {
    const kept = await countFor(study.wave.survey_version_id) ?? 0
    expect(kept).toBeGreaterThan(0)
    const reply = await app.inject({ method: 'DELETE', url: `/api/test-responses/${study.wave.survey_version_id}`, headers: as('researcher') })
    expect(reply.statusCode, reply.body).toBe(200)
    expect(reply.json()).toEqual({ surveyVersionId: study.wave.survey_version_id, deleted: kept })
    expect(await countFor(study.wave.survey_version_id)).toBe(0)
    const [entry] = (await auditEntries(database.db, 'test_responses.delete', String(study.wave.survey_version_id))).slice(-1)
    expect(entry?.detail).toMatchObject({ slug: 'hverdag', version: 1, deleted: kept })
    const missing = await app.inject({ method: 'DELETE', url: '/api/test-responses/999999', headers: as('researcher') })
    expect(missing.statusCode).toBe(404)
  })
})
