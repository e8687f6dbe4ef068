import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolDevice, hashDeviceToken } from '../../api/db/queries/devices.js'
import { holdResponsesIfPermitted } from '../../api/db/queries/responses.js'
import type { PermittedUpload } from '../../api/db/queries/responses.js'
import { randomAnswers } from '../../api/synthetic/random-answers.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import type { CompiledVersion } from '../../api/services/compiled-surveys.js'
import { IntakeBatcher } from '../../api/services/intake-batcher.js'
import { heldUpload, responseToStore } from '../../api/services/intake.js'
import { studyToday } from '../../api/study-calendar.js'
import { awaitFreshMinute } from '../helpers/clock.js'
import { createStudy, responseTableCounts } from '../helpers/fixtures.js'
import { testHoldingKeys } from '../helpers/holding.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

// The batch statement counts each device's uploads as "its count so far plus one": it relies on a batch holding
// a device (and a response id) once, which the batcher guarantees and holdResponsesIfPermitted checks.
describe('intake batches', () => {
  let database: TestDatabase
  let study: StudyFixture
  let compiled: CompiledVersion
  const rng = mulberry32(11)
  const today = studyToday('Europe/Oslo')
  const keys = testHoldingKeys()

  beforeAll(async () => {
    database = await openTestDatabase()
    study = await createStudy(database.db)
    compiled = await new CompiledSurveyCache(database.db).get(study.wave.survey_version_id)
  })
  afterAll(async () => { await database.close() })

  function upload (token: string): PermittedUpload {
    const submission = { id: randomUUID(), waveId: study.wave.id, answers: randomAnswers(compiled.survey, rng) }
    return { permit: { tokenHash: hashDeviceToken(token), today, uploadsPerMinute: 1000, uploadsPerDay: 100_000 }, held: heldUpload(keys, responseToStore(compiled, submission, today)) }
  }

  async function counters (deviceId: string) {
    return await database.db.selectFrom('devices').select(['upload_count', 'rate_window_uploads']).where('id', '=', deviceId).executeTakeFirstOrThrow()
  }

  it('the statement refuses a batch that names one device twice, and writes nothing', async () => {
    const { device, token } = await enrolDevice(database.db, study.site.id, 'Twice')
    const before = await responseTableCounts(database.db)
    await expect(holdResponsesIfPermitted(database.db, [upload(token), upload(token)])).rejects.toThrow(/each device token once/)
    expect(await responseTableCounts(database.db)).toEqual(before)
    expect(await counters(device.id)).toEqual({ upload_count: 0, rate_window_uploads: 0 })
  })

  it('the batcher stores every upload of a tablet that sends many at once, counting each exactly once', async () => {
    const flooding = await enrolDevice(database.db, study.site.id, 'Flooding')
    const others = await Promise.all([1, 2, 3].map(async (n) => await enrolDevice(database.db, study.site.id, `Other ${n}`)))
    const batcher = new IntakeBatcher(database.db)
    await awaitFreshMinute()
    const before = await responseTableCounts(database.db)
    const uploads = [
      ...Array.from({ length: 12 }, () => upload(flooding.token)),
      ...others.map((other) => upload(other.token)),
    ]
    const results = await Promise.all(uploads.map(async (item) => await batcher.store(item)))
    expect(results.every((result) => result.kind === 'stored')).toBe(true)
    expect(await responseTableCounts(database.db)).toEqual({ ...before, held: before.held + 15 })
    expect(await counters(flooding.device.id)).toEqual({ upload_count: 12, rate_window_uploads: 12 })
    for (const other of others) expect(await counters(other.device.id)).toEqual({ upload_count: 1, rate_window_uploads: 1 })
  })
})
