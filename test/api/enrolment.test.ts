import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { revokeDevice } from '../../api/db/queries/devices.js'
import { ENROLMENT_ALPHABET, createEnrolmentCode, hashEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import { createSite } from '../../api/db/queries/sites.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { buildTestApp } from '../helpers/build-app.js'
import { createStudy, siteFixture, createWave } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'
import { BASE_LANGUAGE_INFO } from '../../survey-definitions/languages.js'

describe('tablet enrolment and the kiosk wave', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let logLines: () => string[]
  let study: StudyFixture

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app, logLines } = await buildTestApp(database))
    study = await createStudy(database.db)
  })
  afterAll(async () => {
    await app.close()
    await database.close()
  })

  const enrol = (code: string, label = 'Front desk') =>
    app.inject({ method: 'POST', url: '/api/devices/enrol', payload: { code, label } })
  const wave = (token: string | null) =>
    app.inject({ method: 'GET', url: '/api/kiosk/wave', headers: token === null ? {} : { authorization: `Bearer ${token}` } })
  const clearFailures = async () => { await database.db.deleteFrom('enrolment_failures').execute() }

  it('makes short codes from an unambiguous alphabet and stores only their hash', async () => {
    const { code, row } = await createEnrolmentCode(database.db, study.site.id, 'Desk')
    expect(code).toMatch(new RegExp(`^[${ENROLMENT_ALPHABET}]{8}$`))
    expect(row.code_hash).toBe(hashEnrolmentCode(code))
    expect(JSON.stringify(await database.db.selectFrom('enrolment_codes').selectAll().execute())).not.toContain(code)
    const hours = (row.expires_at.getTime() - row.created_at.getTime()) / 3600_000
    expect(hours).toBeCloseTo(24, 3)
  })

  it('enrols a tablet once with a code typed in lower case with a dash, then refuses the code', async () => {
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase()
    const first = await enrol(typed)
    expect(first.statusCode, first.body).toBe(201)
    const { token, siteName } = first.json<{ token: string, siteName: string }>()
    expect(siteName).toBe(study.site.name)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const device = await database.db.selectFrom('devices').selectAll().where('label', '=', 'Front desk').executeTakeFirstOrThrow()
    expect(device.site_id).toBe(study.site.id)
    const used = await database.db.selectFrom('enrolment_codes').selectAll().where('code_hash', '=', hashEnrolmentCode(code)).executeTakeFirstOrThrow()
    expect(used.device_id).toBe(device.id)
    expect(used.used_at).not.toBeNull()

    const again = await enrol(code)
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'enrolment_code_used', message: expect.stringMatching(/already been used/) })
  })

  it('lets only one of two tablets sending the same code at once enrol', async () => {
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    const replies = await Promise.all([enrol(code, 'Race A'), enrol(code, 'Race B')])
    expect(replies.map((reply) => reply.statusCode).sort()).toEqual([201, 409])
    const devices = await database.db.selectFrom('devices').select('label').where('label', 'in', ['Race A', 'Race B']).execute()
    expect(devices).toHaveLength(1)
  })

  it('refuses an unknown and an expired code, naming which', async () => {
    const unknown = await enrol('AAAAAAAA')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json()).toMatchObject({ code: 'enrolment_code_unknown', message: expect.stringMatching(/not known/) })
    const { code } = await createEnrolmentCode(database.db, study.site.id, null, new Date(Date.now() - 25 * 3600_000))
    const expired = await enrol(code)
    expect(expired.statusCode).toBe(410)
    expect(expired.json()).toMatchObject({ code: 'enrolment_code_expired', message: expect.stringMatching(/expired/) })
    await clearFailures()
  })

  it('refuses malformed requests with a 400', async () => {
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    for (const payload of [{ code: '' }, { code, label: 'Desk\u0000' }, { code, label: 'x'.repeat(101) }, { code, label: 'Desk', extra: 1 }]) {
      const reply = await app.inject({ method: 'POST', url: '/api/devices/enrol', payload })
      expect(reply.statusCode, JSON.stringify(payload)).toBe(400)
      expect(reply.json()).toMatchObject({ code: 'bad_request' })
    }
    // None of them used the code.
    expect((await enrol(code)).statusCode).toBe(201)
  })

  // Throttling wrong codes per address and per prefix: test/api/throttles.test.ts.

  it('gives an enrolled tablet its site\'s open wave and survey version', async () => {
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    const { token } = (await enrol(code)).json<{ token: string }>()
    const reply = await wave(token)
    expect(reply.statusCode, reply.body).toBe(200)
    const version = await database.db.selectFrom('survey_versions').select(['id', 'slug', 'version']).where('id', '=', study.wave.survey_version_id).executeTakeFirstOrThrow()
    // The wave's version has no translations: bokmål and English only (kiosk-languages.test.ts has the rest).
    const languages = BASE_LANGUAGE_INFO.map(({ code, name, direction, status }) => ({ code, name, direction, status }))
    expect(reply.json()).toEqual({
      mode: 'live', waveId: study.wave.id, siteName: study.site.name, surveyVersionId: version.id, slug: version.slug, version: version.version, privacyCheckBefore: 'page_violence_intro', languages,
    })
  })

  it('writes no log line when a kiosk asks for its wave (a respondent is starting: no time may be put on it)', async () => {
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    const { token } = (await enrol(code)).json<{ token: string }>()
    const before = logLines().length
    expect((await wave(token)).statusCode).toBe(200)
    expect(logLines().slice(before)).toEqual([])
  })

  it('says plainly when the site has no open wave, and when the tablet is unknown or revoked', async () => {
    const quiet = await createSite(database.db, siteFixture({ name: 'Quiet site' }))
    const today = studyToday('Europe/Oslo')
    // A planned wave and one that closed yesterday do not count.
    await createWave(database.db, { name: 'Planned', survey_version_id: study.wave.survey_version_id, opens_on: addDays(today, -1), closes_on: addDays(today, 9), status: 'planned' }, [{ siteId: quiet.id }])
    await createWave(database.db, { name: 'Over', survey_version_id: study.wave.survey_version_id, opens_on: addDays(today, -9), closes_on: addDays(today, -1), status: 'open' }, [{ siteId: quiet.id }])
    const { code } = await createEnrolmentCode(database.db, quiet.id)
    const { token } = (await enrol(code)).json<{ token: string }>()
    const none = await wave(token)
    expect(none.statusCode).toBe(404)
    expect(none.json()).toEqual({ code: 'no_open_wave', message: 'there is no open survey at Quiet site today' })

    expect((await wave(null)).json()).toMatchObject({ code: 'unauthorized' })
    expect((await wave('x'.repeat(43))).json()).toMatchObject({ code: 'device_unknown' })
    await revokeDevice(database.db, study.deviceId)
    const revoked = await wave(study.token)
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json()).toMatchObject({ code: 'device_revoked', message: expect.stringMatching(/revoked/) })
  })
})
