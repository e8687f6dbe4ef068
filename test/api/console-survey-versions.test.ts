import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AvailableDefinitionsReply, InvalidDefinitionReply, PublishReply, SurveyVersionDetail, SurveyVersionListReply } from '../../api/schemas/survey-versions.js'
import { checkDefinitionsDir } from '../../survey-definitions/check.js'
import { loadDefinitions } from '../../survey-definitions/index.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { createStudy } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const BROKEN = fileURLToPath(new URL('../fixtures/definitions-broken', import.meta.url))
const shipped = loadDefinitions().find((def) => def.slug === 'hverdag' && def.version === 1)
if (shipped === undefined) throw new Error('hverdag v1 is not in survey-definitions/')
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

describe('console: survey versions', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let nextVersion = 10

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    const study = await createStudy(database.db)
    sessions = await sessionsByRole(app, database.db, study.site.id)
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions) => sessions[role].headers
  const upload = (version: number, survey: unknown = shipped.survey, indicatorMap: unknown = shipped.indicatorMap, slug = 'hverdag') =>
    app.inject({ method: 'POST', url: '/api/survey-versions', headers: as('researcher'), payload: { slug, version, survey, indicatorMap } })
  const versionCount = async () => Number((await database.db.selectFrom('survey_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('each role gets exactly what it may', async () => {
    const listed = (await app.inject({ method: 'GET', url: '/api/survey-versions', headers: as('admin') })).json<SurveyVersionListReply>()
    const id = listed.versions[0]?.id ?? 0
    await expectRoleTable(app, sessions, [
      { method: 'GET', url: '/api/survey-versions', allowed: ['researcher', 'admin'] },
      { method: 'GET', url: '/api/survey-versions/available', allowed: ['researcher', 'admin'] },
      { method: 'GET', url: `/api/survey-versions/${id}`, allowed: ['researcher', 'admin'] },
      { method: 'POST', url: '/api/survey-versions/from-definitions', payload: () => ({ slug: 'hverdag', version: 1 }), allowed: ['researcher', 'admin'] },
      { method: 'POST', url: '/api/survey-versions', payload: () => ({ slug: 'hverdag', version: nextVersion++, survey: shipped.survey, indicatorMap: shipped.indicatorMap }), allowed: ['researcher', 'admin'] },
    ])
  })

  it('lists the published versions and shows one with its definition for read-only rendering', async () => {
    const { versions } = (await app.inject({ method: 'GET', url: '/api/survey-versions', headers: as('researcher') })).json<SurveyVersionListReply>()
    const v1 = versions.find((v) => v.slug === 'hverdag' && v.version === 1)
    expect(v1).toMatchObject({ checksum: shipped.checksum, waveCount: 1, indicatorCount: Object.keys(shipped.indicatorMap.indicators).length })
    expect(v1?.questionCount).toBeGreaterThan(40)
    expect(v1?.title.nb).not.toBe(v1?.title.en)
    const detail = (await app.inject({ method: 'GET', url: `/api/survey-versions/${v1?.id ?? 0}`, headers: as('researcher') })).json<SurveyVersionDetail>()
    expect(detail.definition).toEqual(shipped.survey)
    expect(detail.indicatorMap).toEqual(shipped.indicatorMap)
    expect((await app.inject({ method: 'GET', url: '/api/survey-versions/999999', headers: as('researcher') })).statusCode).toBe(404)
  })

  it('publishes an uploaded version once (201, audited), the same again is a no-op (200), other content under its number is 409', async () => {
    const first = await upload(2)
    expect(first.statusCode, first.body).toBe(201)
    const published = first.json<PublishReply>()
    expect(published).toMatchObject({ outcome: 'published', version: { slug: 'hverdag', version: 2, waveCount: 0 } })
    const entries = await auditEntries(database.db, 'survey_version.publish', String(published.version.id))
    expect(entries.map((entry) => entry.detail)).toEqual([{ slug: 'hverdag', version: 2, checksum: shipped.checksum, source: 'upload' }])

    const again = await upload(2)
    expect(again.statusCode).toBe(200)
    expect(again.json<PublishReply>().outcome).toBe('unchanged')
    expect(await auditEntries(database.db, 'survey_version.publish', String(published.version.id))).toHaveLength(1)

    const changed = copy(shipped.survey)
    changed.title = { nb: 'Endret', en: 'Changed' }
    const clash = await upload(2, changed)
    expect(clash.statusCode).toBe(409)
    expect(clash.json().code).toBe('survey_version_changed')
    expect(clash.json().message).toContain('hverdag v2')
  })

  it('refuses an upload that fails definitions:check with the same problems the command reports, naming file and question', async () => {
    const before = await versionCount()
    const report = checkDefinitionsDir(BROKEN)
    expect(report.reports.length).toBeGreaterThan(3)
    // The upload brings the fixture's instrument file; the two whose fault is the folder (no instrument
    // file, rules for a version that has no files) have no counterpart in one upload.
    const uploadable = report.reports.filter((r) => r.slug !== 'instrument-missing' && r.slug !== 'version-rules-unknown')
    for (const expected of uploadable) {
      const read = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'))
      const reply = await app.inject({
        method: 'POST',
        url: '/api/survey-versions',
        headers: as('researcher'),
        payload: { slug: expected.slug, version: 1, survey: read(expected.files.survey), indicatorMap: read(expected.files.indicators), instrument: read(expected.files.instrument) },
      })
      expect(reply.statusCode, expected.slug).toBe(400)
      const body = reply.json<InvalidDefinitionReply>()
      expect(body.code).toBe('invalid_definition')
      const strip = (problems: ReadonlyArray<{ file: string, question?: string, problem: string }>) =>
        problems.map(({ file, question, problem }) => ({ file: basename(file), question, problem }))
      expect(strip(body.problems ?? []), expected.slug).toEqual(strip(expected.problems))
      for (const problem of body.problems ?? []) expect(problem.file).toMatch(new RegExp(`^${expected.slug}/(v1\\.(survey|indicators)|instrument)\\.json$`))
      const first = expected.problems[0]
      expect(body.message).toContain(first?.problem ?? '')
      if (first?.question !== undefined) expect(body.question).toBe(first.question)
    }
    expect(await versionCount()).toBe(before)
  })

  it('names a broken indicator map, a question without "prefer not to say", and a bad slug', async () => {
    const noPreferNot = copy(shipped.survey)
    const pages = noPreferNot.pages as Array<{ elements: Array<{ name: string, choices?: Array<{ value: string }> }> }>
    const question = pages.flatMap((page) => page.elements).find((element) => element.choices !== undefined)
    if (question?.choices === undefined) throw new Error('no question with choices')
    question.choices = question.choices.filter((choice) => choice.value !== 'prefer_not')
    const reply = await upload(3, noPreferNot)
    expect(reply.statusCode).toBe(400)
    expect(reply.json<InvalidDefinitionReply>().problems ?? []).toContainEqual(expect.objectContaining({ file: 'hverdag/v3.survey.json', question: question.name, problem: expect.stringContaining('prefer_not') }))

    const badMap = await upload(3, shipped.survey, { ...copy(shipped.indicatorMap), dimensions: 'none' })
    expect(badMap.statusCode).toBe(400)
    expect(badMap.json<InvalidDefinitionReply>().problems?.[0]).toMatchObject({ file: 'hverdag/v3.indicators.json', problem: expect.stringContaining('/dimensions') })

    const badSlug = await upload(3, shipped.survey, shipped.indicatorMap, 'Hverdag')
    expect(badSlug.statusCode).toBe(400)
    expect(badSlug.json().message).toContain('slug')

    // A new instrument's rules come with the upload; without them there is nothing to say where its privacy check goes.
    const noRules = await upload(1, shipped.survey, shipped.indicatorMap, 'unheard-of')
    expect(noRules.statusCode).toBe(400)
    expect(noRules.json<InvalidDefinitionReply>().problems).toEqual([{
      file: 'survey-definitions/unheard-of/instrument.json',
      problem: expect.stringMatching(/^file is missing .*; an upload of a new instrument brings its rules as "instrument"$/),
    }])
  })

  it('publishes from survey-definitions/ and tells which shipped definitions are new, published or changed', async () => {
    const available = (await app.inject({ method: 'GET', url: '/api/survey-versions/available', headers: as('researcher') })).json<AvailableDefinitionsReply>()
    expect(available.definitions).toContainEqual({ slug: 'hverdag', version: 1, status: 'published', checksum: shipped.checksum, problems: [] })
    const reply = await app.inject({ method: 'POST', url: '/api/survey-versions/from-definitions', headers: as('researcher'), payload: { slug: 'hverdag', version: 1 } })
    expect(reply.statusCode).toBe(200)
    expect(reply.json<PublishReply>().outcome).toBe('unchanged')
    const missing = await app.inject({ method: 'POST', url: '/api/survey-versions/from-definitions', headers: as('researcher'), payload: { slug: 'hverdag', version: 99 } })
    expect(missing.statusCode).toBe(404)
    expect(missing.json().message).toContain('hverdag v99')
    // Problems name files as the repository does, never by a path on the server.
    expect(JSON.stringify(available)).not.toContain(process.cwd())
  })
})
