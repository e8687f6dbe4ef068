import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../api/errors.js'
import { enrolDevice } from '../../api/db/queries/devices.js'
import type { KioskLanguageReply, KioskWaveReply } from '../../api/schemas/kiosk.js'
import { storeLanguage } from '../../api/services/survey-version-languages.js'
import { DefinitionInvalidError, availableDefinitions, publishChecked, publishDefinitions, shippedDefinition } from '../../api/services/survey-versions.js'
import { definitionsDir, loadDefinitions } from '../../survey-definitions/index.js'
import { BASE_LANGUAGE_INFO, sourceTexts, translationFileName } from '../../survey-definitions/languages.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { translationChecksum } from '../../survey-definitions/translation-files.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries } from '../helpers/console-roles.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/**
 * Languages as data on the tablet's side (README, "Languages"): translations published with a version,
 * offered to a live tablet only once reviewed, to a test tablet as drafts too. The translations are made up
 * here from the version's own keys, so the test does not depend on any shipped draft.
 */
describe('kiosk languages: a live wave offers reviewed languages only, a test tablet drafts too', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let study: StudyFixture
  let testToken: string
  let dir: string
  let versionId: number

  // A copy of survey-definitions/ that gains translation files of hverdag v1 (the wave's version).
  const surveyOf = () => loadDefinitions(dir).find((def) => def.slug === 'hverdag' && def.version === 1)!.survey
  const madeUp = (code: string, name: string, direction: 'ltr' | 'rtl', tag: string, status: TranslationFile['status'] = 'draft', review?: TranslationFile['review']): TranslationFile => {
    const strings = Object.fromEntries(sourceTexts(surveyOf(), code).map((text) => [text.key, `${tag} ${text.en}`]))
    return { code, name, direction, status, ...(review === undefined ? {} : { review }), source: 'en', strings }
  }
  const writeTranslation = (translation: TranslationFile) => {
    writeFileSync(join(dir, 'hverdag', translationFileName(1, translation.code)), JSON.stringify(translation, null, 2))
  }
  const publishCopy = async () => await publishDefinitions(database.db, loadDefinitions(dir))
  const stored = async (code: string) => await database.db.selectFrom('survey_version_languages').selectAll()
    .where('survey_version_id', '=', versionId).where('code', '=', code).executeTakeFirst()

  const SWEDISH = () => madeUp('sv', 'Svenska', 'ltr', '[sv]', 'reviewed', { by: 'Test Reviewer', on: '2026-11-30' })
  const PERSIAN = () => madeUp('fa', 'فارسی', 'rtl', '[fa]')

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    study = await createStudy(database.db)
    versionId = study.wave.survey_version_id
    testToken = (await enrolDevice(database.db, study.site.id, 'Trial tablet', undefined, versionId)).token
    dir = mkdtempSync(join(tmpdir(), 'prevalens-langs-'))
    cpSync(definitionsDir, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') && !src.includes('/audio') })
    writeTranslation(SWEDISH())
    writeTranslation(PERSIAN())
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const wave = async (token: string) => {
    const reply = await app.inject({ method: 'GET', url: '/api/kiosk/wave', headers: bearer(token) })
    expect(reply.statusCode, reply.body).toBe(200)
    return reply.json<KioskWaveReply>()
  }
  const pack = async (token: string, code: string) => await app.inject({ method: 'GET', url: `/api/kiosk/languages/${code}`, headers: bearer(token) })

  const v1Available = async () => (await availableDefinitions(database.db, dir)).find((definition) => definition.version === 1)

  it('publishing an already published version adds its new languages, each audited, and leaves the version as it was', async () => {
    // The console's list of definitions offers them first.
    expect(await v1Available()).toMatchObject({ status: 'published', problems: [], languagesToPublish: ['fa', 'sv'] })
    const before = await database.db.selectFrom('survey_versions').selectAll().execute()
    const results = await publishCopy()
    expect(results.find((result) => result.version === 1)).toEqual({
      slug: 'hverdag', version: 1, outcome: 'unchanged', languages: [{ code: 'fa', outcome: 'added' }, { code: 'sv', outcome: 'added' }],
    })
    expect(await database.db.selectFrom('survey_versions').selectAll().execute()).toEqual(before)
    expect(await stored('sv')).toMatchObject({ status: 'reviewed', reviewed_by: 'Test Reviewer', reviewed_on: '2026-11-30', source: 'en', checksum: translationChecksum(SWEDISH()), strings: SWEDISH().strings })
    expect(await stored('fa')).toMatchObject({ status: 'draft', reviewed_by: null, reviewed_on: null, direction: 'rtl', checksum: translationChecksum(PERSIAN()) })
    const added = await auditEntries(database.db, 'survey_version.language_add', String(versionId))
    expect(added.map((entry) => entry.detail)).toEqual([
      expect.objectContaining({ code: 'fa', status: 'draft', checksum: translationChecksum(PERSIAN()) }),
      expect.objectContaining({ code: 'sv', status: 'reviewed', reviewedBy: 'Test Reviewer', reviewedOn: '2026-11-30' }),
    ])
    expect(await v1Available()).not.toHaveProperty('languagesToPublish')
    // Again: nothing to do, nothing recorded.
    expect((await publishCopy()).find((result) => result.version === 1)?.languages).toEqual([{ code: 'fa', outcome: 'unchanged' }, { code: 'sv', outcome: 'unchanged' }])
    expect(await auditEntries(database.db, 'survey_version.language_add', String(versionId))).toHaveLength(2)
  })

  it('a live tablet is offered bokmål, English and the reviewed languages; a test tablet the drafts too, marked', async () => {
    const base = BASE_LANGUAGE_INFO.map(({ code, name, direction, status }) => ({ code, name, direction, status }))
    expect((await wave(study.token)).languages).toEqual([...base, { code: 'sv', name: 'Svenska', direction: 'ltr', status: 'reviewed' }])
    expect((await wave(testToken)).languages).toEqual([
      ...base, { code: 'fa', name: 'فارسی', direction: 'rtl', status: 'draft' }, { code: 'sv', name: 'Svenska', direction: 'ltr', status: 'reviewed' },
    ])
  })

  it('a live tablet gets a reviewed language\'s texts and is refused a draft (409); a test tablet gets the draft', async () => {
    const swedish = await pack(study.token, 'sv')
    expect(swedish.statusCode, swedish.body).toBe(200)
    expect(swedish.json<KioskLanguageReply>()).toEqual({ code: 'sv', name: 'Svenska', direction: 'ltr', status: 'reviewed', surveyVersionId: versionId, strings: SWEDISH().strings })

    const refused = await pack(study.token, 'fa')
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'language_not_reviewed', message: expect.stringMatching(/draft.*reviewed languages only/) })

    const draft = await pack(testToken, 'fa')
    expect(draft.statusCode, draft.body).toBe(200)
    expect(draft.json<KioskLanguageReply>()).toEqual({ code: 'fa', name: 'فارسی', direction: 'rtl', status: 'draft', surveyVersionId: versionId, strings: PERSIAN().strings })
  })

  it('an unknown language is 404 language_unknown, bokmål and English too (they are in the survey JSON); a malformed code 400; no token 401', async () => {
    for (const code of ['de', 'nb', 'en']) {
      for (const token of [study.token, testToken]) {
        const reply = await pack(token, code)
        expect([code, reply.statusCode, reply.json().code]).toEqual([code, 404, 'language_unknown'])
      }
    }
    expect((await pack(study.token, 'SV1')).statusCode).toBe(400)
    expect((await app.inject({ method: 'GET', url: '/api/kiosk/languages/sv' })).statusCode).toBe(401)
  })

  it('refuses a published language whose words changed, naming it and saying to publish them as a new version; nothing changes', async () => {
    const changed = PERSIAN()
    changed.strings['survey.title'] = `${changed.strings['survey.title']!} (corrected)`
    writeTranslation(changed)
    const before = await database.db.selectFrom('survey_version_languages').selectAll().orderBy('code').execute()
    expect((await v1Available())?.problems).toEqual([{ file: expect.stringMatching(/v1\.lang\.fa\.json$/), problem: 'its words differ from those published for hverdag v1; publish them as a new version' }])
    const refusal = await publishCopy().catch((error: unknown) => error)
    expect(refusal).toBeInstanceOf(AppError)
    expect(refusal).toMatchObject({ statusCode: 409, code: 'translation_changed' })
    expect((refusal as AppError).message).toMatch(/hverdag v1: فارسی \(fa\) is already stored with other words.*new version/)
    // The console's path (a definition from survey-definitions/) refuses alike.
    const console = await publishChecked(database.db, shippedDefinition('hverdag', 1, dir), null, 'survey-definitions').catch((error: unknown) => error)
    expect(console).toMatchObject({ statusCode: 409, code: 'translation_changed' })
    expect(await database.db.selectFrom('survey_version_languages').selectAll().orderBy('code').execute()).toEqual(before)
    writeTranslation(PERSIAN())
  })

  it('refuses an incomplete translation file before anything is written, naming the file and the key', async () => {
    const incomplete = madeUp('fi', 'Suomi', 'ltr', '[fi]')
    delete incomplete.strings['survey.title']
    writeTranslation(incomplete)
    try {
      const refusal = await publishCopy().catch((error: unknown) => error)
      expect(refusal).toBeInstanceOf(Error)
      expect((refusal as Error).message).toMatch(/v1\.lang\.fi\.json: survey\.title is not translated \(missing\)/)
      const shipped = (() => { try { return shippedDefinition('hverdag', 1, dir) } catch (error) { return error } })()
      expect(shipped).toBeInstanceOf(DefinitionInvalidError)
      expect((shipped as DefinitionInvalidError).problems).toContainEqual({ file: expect.stringMatching(/v1\.lang\.fi\.json$/), problem: 'survey.title is not translated (missing)' })
      expect(await stored('fi')).toBeUndefined()
    } finally {
      rmSync(join(dir, 'hverdag', translationFileName(1, 'fi')))
    }
  })

  it('moves a draft to reviewed when its file says so with the same words, audited with the file\'s reviewer and date; never back', async () => {
    writeTranslation({ ...PERSIAN(), status: 'reviewed', review: { by: 'Fluent Speaker', on: '2026-12-01' } })
    expect((await v1Available())?.languagesToPublish).toEqual(['fa'])
    const results = await publishCopy()
    expect(results.find((result) => result.version === 1)?.languages).toEqual([{ code: 'fa', outcome: 'reviewed' }, { code: 'sv', outcome: 'unchanged' }])
    expect(await stored('fa')).toMatchObject({ status: 'reviewed', reviewed_by: 'Fluent Speaker', reviewed_on: '2026-12-01', checksum: translationChecksum(PERSIAN()) })
    const [review] = await auditEntries(database.db, 'survey_version.language_review', String(versionId))
    expect(review?.detail).toMatchObject({ code: 'fa', reviewedBy: 'Fluent Speaker', reviewedOn: '2026-12-01', source: 'survey-definitions' })
    expect((await wave(study.token)).languages.map((language) => language.code)).toEqual(['nb', 'en', 'fa', 'sv'])
    expect((await pack(study.token, 'fa')).statusCode).toBe(200)

    // The file said "draft" again (a review made in the console has not reached it): the review stays.
    writeTranslation(PERSIAN())
    const again = await publishCopy()
    expect(again.find((result) => result.version === 1)?.languages).toEqual([{ code: 'fa', outcome: 'review-kept' }, { code: 'sv', outcome: 'unchanged' }])
    expect(await stored('fa')).toMatchObject({ status: 'reviewed' })
  })

  it('two first imports of one language at once: one adds it, the other is judged against the row it finds', async () => {
    const version = { id: versionId, slug: 'hverdag', version: 1 }
    const imports = [madeUp('tr', 'Türkçe', 'ltr', '[tr-a]'), madeUp('tr', 'Türkçe', 'ltr', '[tr-b]')]
    const outcomes = await Promise.all(imports.map(async (translation) =>
      await database.db.transaction().execute(async (trx) => await storeLanguage(trx, version, translation, null, 'import'))))
    expect([...outcomes].sort()).toEqual(['added', 'replaced'])
    expect(await stored('tr')).toMatchObject({ status: 'draft' })
  })
})
