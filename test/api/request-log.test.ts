import { randomUUID } from 'node:crypto'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import type { IntakeKeyReply } from '../../api/schemas/kiosk.js'
import { importIntakeKey, sealResponse } from '../../web/kiosk/src/seal.js'
import { buildTestApp } from '../helpers/build-app.js'
import type { TestApp } from '../helpers/build-app.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const ANSWERS = { gender: 'man', age_group: '35_44', pushed_ever: 'once', pushed_12m: 'no', strangled_ever: 'no' }

/** Every path a tablet asks for (the kiosk's pages, assets, worker, audio, its API and its uploads). */
const RESPONDENT_PATH = /^\/(kiosk(\/|$)|api\/(responses|kiosk|devices|surveys)(\/|$))/
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

interface LogLine { level: number, reqId?: unknown, req?: { url?: string }, msg?: string }

describe('the request log: random request ids, and nothing about a tablet\'s requests below error', () => {
  let database: TestDatabase
  let test: TestApp
  let app: FastifyInstance
  let study: StudyFixture

  beforeAll(async () => {
    database = await openTestDatabase()
    // Trace, the most verbose level: what is silent here is silent at the default info too.
    test = await buildTestApp(database, { LOG_LEVEL: 'trace' })
    app = test.app
    study = await createStudy(database.db)
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const parsed = (lines: string[]): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine)
  const urlsIn = (lines: LogLine[]): string[] => lines.flatMap((line) => line.req?.url === undefined ? [] : [line.req.url])

  /** Everything a tablet does in a day, each kind of answer its routes give (success, refusal, not found). */
  async function aTabletsRequests (): Promise<void> {
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    const device = { authorization: `Bearer ${study.token}` }
    const key = (await app.inject({ method: 'GET', url: '/api/kiosk/intake-key' })).json<IntakeKeyReply>()
    const id = randomUUID()
    const sealed = await sealResponse(await importIntakeKey(key), { id: randomUUID(), waveId: study.wave.id, answers: ANSWERS })
    const requests: Array<[InjectOptions, number[]]> = [
      [{ method: 'POST', url: '/api/devices/enrol', payload: { code, label: 'Log tablet' } }, [201]],
      [{ method: 'POST', url: '/api/devices/enrol', payload: { code: 'WRONGCOD', label: 'x' } }, [404, 409]],
      [{ method: 'GET', url: '/kiosk' }, [301]],
      // 200 with the built kiosk (npm run build:web), 503 "not built" without: the same route either way.
      [{ method: 'GET', url: '/kiosk/' }, [200, 503]],
      [{ method: 'GET', url: '/kiosk/sw.js' }, [200, 503]],
      [{ method: 'GET', url: '/kiosk/assets/index-00000000.js' }, [404, 503]],
      [{ method: 'GET', url: '/kiosk/audio/hverdag/v1/manifest.json' }, [200, 404]],
      [{ method: 'GET', url: '/kiosk/audio/hverdag/v1/0000000000000000.opus' }, [404]],
      [{ method: 'GET', url: '/api/kiosk/wave', headers: device }, [200]],
      [{ method: 'GET', url: '/api/kiosk/help', headers: device }, [200]],
      // A respondent picking a language (this wave's version has no translation stored here: 404).
      [{ method: 'GET', url: '/api/kiosk/languages/pl', headers: device }, [404]],
      [{ method: 'GET', url: '/api/kiosk/wave' }, [401]],
      [{ method: 'GET', url: '/api/surveys/hverdag/versions/1' }, [200]],
      [{ method: 'POST', url: '/api/responses', headers: device, payload: { id, waveId: study.wave.id, answers: ANSWERS } }, [201]],
      [{ method: 'POST', url: '/api/responses', headers: device, payload: { id, waveId: study.wave.id, answers: ANSWERS } }, [201]],
      [{ method: 'POST', url: '/api/responses', headers: device, payload: { id, waveId: study.wave.id, answers: { ...ANSWERS, gender: 'woman' } } }, [409]],
      [{ method: 'POST', url: '/api/responses', headers: device, payload: { id: randomUUID(), waveId: study.wave.id, answers: { gender: 'robot' } } }, [400, 422]],
      [{ method: 'POST', url: '/api/responses', payload: { id: randomUUID(), waveId: study.wave.id, answers: ANSWERS } }, [401]],
      [{ method: 'POST', url: '/api/responses', headers: device, payload: { sealed } }, [201]],
    ]
    for (const [request, statuses] of requests) {
      const reply = await app.inject(request)
      expect(statuses, `${request.method ?? 'GET'} ${String(request.url)}: ${reply.statusCode} ${reply.body.slice(0, 200)}`).toContain(reply.statusCode)
    }
  }

  it('writes no line for the kiosk\'s pages, assets, audio, worker, enrolment, API or uploads, whatever they answer', async () => {
    const before = test.logLines().length
    const health = await app.inject({ method: 'GET', url: '/api/health' })
    expect(health.statusCode).toBe(200)
    await aTabletsRequests()
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
    const lines = parsed(test.logLines().slice(before))
    // The control: the same app, at the same level, logs a staff route's requests.
    expect(urlsIn(lines).filter((url) => url === '/api/health')).toHaveLength(2)
    expect(urlsIn(lines).filter((url) => RESPONDENT_PATH.test(url))).toEqual([])
    // Only the two health checks, each an "incoming request" and a "request completed" line: nothing else.
    expect(lines).toHaveLength(4)
  })

  it('gives each request a random id, so logged ids do not count the requests that were not logged', async () => {
    const ids: string[] = []
    for (let round = 0; round < 20; round += 1) {
      const before = test.logLines().length
      expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200)
      // Three silent requests between two logged ones: a counter would jump by four.
      for (let silent = 0; silent < 3; silent += 1) expect((await app.inject({ method: 'GET', url: '/api/kiosk/intake-key' })).statusCode).toBe(200)
      const lines = parsed(test.logLines().slice(before))
      const roundIds = [...new Set(lines.map((line) => line.reqId))]
      expect(roundIds).toHaveLength(1)
      ids.push(String(roundIds[0]))
    }
    for (const id of ids) expect(id).toMatch(UUID_V4)
    expect(new Set(ids).size).toBe(ids.length)
    // Neither a number inside the id nor its order follows the order of the requests.
    const numbers = ids.map((id) => Number.parseInt(id.slice(0, 8), 16))
    const rising = numbers.slice(1).filter((value, index) => value > numbers[index]!).length
    expect(rising).toBeLessThan(numbers.length - 1)
    expect(rising).toBeGreaterThan(0)
  })

  it('takes no request id from the client', async () => {
    const before = test.logLines().length
    expect((await app.inject({ method: 'GET', url: '/api/health', headers: { 'request-id': 'tablet-7-upload-42', 'x-request-id': 'tablet-7-upload-42' } })).statusCode).toBe(200)
    const lines = test.logLines().slice(before)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.join('\n')).not.toContain('tablet-7-upload-42')
  })
})
