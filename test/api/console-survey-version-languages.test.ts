import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KioskWaveReply } from '../../api/schemas/kiosk.js'
import type { InvalidTranslationReply, VersionLanguage, VersionLanguageListReply, XliffImportReply } from '../../api/schemas/survey-version-languages.js'
import { loadConfig } from '../../api/config.js'
import { studyToday } from '../../api/study-calendar.js'
import { sourceTexts } from '../../survey-definitions/languages.js'
import { translationChecksum } from '../../survey-definitions/translation-files.js'
import { fromXliff } from '../../survey-definitions/xliff.js'
import { buildTestApp } from '../helpers/build-app.js'
import { auditEntries, expectRoleTable, sessionsByRole } from '../helpers/console-roles.js'
import type { Sessions } from '../helpers/console-roles.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/**
 * A researcher adds a language to a published version through the console (README, "Languages"):
 * export the texts as XLIFF, translate them (here: made up, "[sv] " before each English text, as a
 * translation tool would write the targets), import the file as a draft, review it.
 */
describe('console: a survey version\'s languages, XLIFF out and in, review', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let sessions: Sessions
  let study: StudyFixture
  let id: number

  beforeAll(async () => {
    database = await openTestDatabase()
    ;({ app } = await buildTestApp(database))
    study = await createStudy(database.db)
    id = study.wave.survey_version_id
    sessions = await sessionsByRole(app, database.db, study.site.id)
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  const as = (role: keyof Sessions = 'researcher') => sessions[role].headers
  const languages = async () => {
    const reply = await app.inject({ method: 'GET', url: `/api/survey-versions/${id}/languages`, headers: as() })
    expect(reply.statusCode, reply.body).toBe(200)
    return reply.json<VersionLanguageListReply>().languages
  }
  const exported = async (code: string, query = '') => await app.inject({ method: 'GET', url: `/api/survey-versions/${id}/languages/${code}/xliff${query}`, headers: as() })
  const upload = async (code: string, xliff: string, name: string) =>
    await app.inject({ method: 'POST', url: `/api/survey-versions/${id}/languages/${code}/xliff`, headers: as(), payload: { xliff, name } })
  /** A review as the console sends it: with the checksum of the words the list showed (a made-up one for none). */
  const review = async (code: string, reviewer: string, versionId = id, checksum?: string) => {
    const listed = versionId === id ? (await languages()).find((language) => language.code === code)?.checksum : undefined
    return await app.inject({ method: 'POST', url: `/api/survey-versions/${versionId}/languages/${code}/review`, headers: as(), payload: { reviewer, checksum: checksum ?? listed ?? '0'.repeat(64) } })
  }
  /** What a translator sends back: every target filled with the tag and the source's (escaped) text. */
  const translate = (xliff: string, tag: string) => xliff.replace(/<source>([^<]*)<\/source>(\s*)<target><\/target>/g, `<source>$1</source>$2<target>${tag} $1</target>`)
  const survey = async () => (await database.db.selectFrom('survey_versions').select('definition').where('id', '=', id).executeTakeFirstOrThrow()).definition
  let swedishXliff: string

  it('lets researchers and admins list, export, import and review, and nobody else', async () => {
    const danish = translate((await exported('da')).body, '[da]')
    const icelandic = translate((await exported('is')).body, '[is]')
    expect((await upload('is', icelandic, 'Íslenska')).statusCode).toBe(201)
    // What each allowed role reviews, by the checksum of the words it was shown.
    const checksumOf = async (code: string, xliff: string, name: string): Promise<string> =>
      translationChecksum({ code, name, direction: 'ltr', strings: fromXliff(xliff, await survey(), { slug: 'hverdag', version: 1 }).strings })
    const reviewed = { is: await checksumOf('is', icelandic, 'Íslenska'), da: await checksumOf('da', danish, 'Dansk') }
    await expectRoleTable(app, sessions, [
      { method: 'GET', url: `/api/survey-versions/${id}/languages`, allowed: ['researcher', 'admin'] },
      { method: 'GET', url: `/api/survey-versions/${id}/languages/da/xliff`, allowed: ['researcher', 'admin'] },
      { method: 'POST', url: `/api/survey-versions/${id}/languages/da/xliff`, payload: () => ({ xliff: danish, name: 'Dansk' }), allowed: ['researcher', 'admin'] },
      // A language is reviewed once: the researcher reviews Danish, the admin Icelandic.
      { method: 'POST', url: (role) => `/api/survey-versions/${id}/languages/${role === 'admin' ? 'is' : 'da'}/review`, payload: (role) => ({ reviewer: 'Someone', checksum: role === 'admin' ? reviewed.is : reviewed.da }), allowed: ['researcher', 'admin'] },
    ])
  })

  it('lists bokmål and English first, as the survey\'s own reviewed languages, complete', async () => {
    const [nb, en] = await languages()
    expect(nb).toMatchObject({ code: 'nb', base: true, status: 'reviewed', complete: true, missing: 0, checksum: null, source: null })
    expect(en).toMatchObject({ code: 'en', base: true, status: 'reviewed', complete: true, missing: 0 })
  })

  it('exports a new language as XLIFF 2.0 with every text to translate and empty targets', async () => {
    const reply = await exported('sv')
    expect(reply.statusCode, reply.body).toBe(200)
    expect(reply.headers['content-type']).toBe('application/xliff+xml; charset=utf-8')
    expect(reply.headers['content-disposition']).toBe('attachment; filename="hverdag-v1.en-sv.xlf"')
    swedishXliff = reply.body
    const read = fromXliff(swedishXliff, await survey(), { slug: 'hverdag', version: 1 })
    expect(read).toMatchObject({ code: 'sv', source: 'en', direction: 'ltr', strings: {} })
    expect(read.problems.map((problem) => problem.key)).toEqual(sourceTexts(await survey(), 'sv').map((text) => text.key))
    const fromNb = await exported('sv', '?source=nb')
    expect(fromNb.body).toContain('srcLang="nb"')
    expect((await exported('nb')).statusCode).toBe(400)
    expect((await exported('sv', '?source=pl')).statusCode).toBe(400)
    expect((await app.inject({ method: 'GET', url: '/api/survey-versions/999999/languages/sv/xliff', headers: as() })).statusCode).toBe(404)
  })

  it('refuses a file with problems (422), listing each by key, and stores nothing', async () => {
    const texts = sourceTexts(await survey(), 'sv')
    const withPlaceholder = texts.find((text) => text.placeholders.length > 0)!
    let broken = translate(swedishXliff, '[sv]')
    // One text left untranslated, one placeholder lost.
    broken = broken.replace(/(<unit id="survey\.title">[\s\S]*?<target>)[^<]*(<\/target>)/, '$1$2')
    broken = broken.replace(new RegExp(`(<unit id="${withPlaceholder.key.replaceAll('.', '\\.')}">[\\s\\S]*?<target>)[^<]*(</target>)`), '$1[sv] no placeholder here$2')
    const reply = await upload('sv', broken, 'Svenska')
    expect(reply.statusCode, reply.body).toBe(422)
    const refusal = reply.json<InvalidTranslationReply>()
    expect(refusal.code).toBe('invalid_translation')
    expect(refusal.problems).toEqual([
      { key: 'survey.title', problem: 'is untranslated (empty target)' },
      { key: withPlaceholder.key, problem: expect.stringContaining(`lacks the placeholder {${withPlaceholder.placeholders[0]!}}`) },
    ])
    expect((await languages()).map((language) => language.code)).not.toContain('sv')

    const wrongLanguage = await upload('fi', translate(swedishXliff, '[sv]'), 'Suomi')
    expect(wrongLanguage.statusCode).toBe(422)
    expect(wrongLanguage.json<InvalidTranslationReply>().problems[0]).toEqual({ problem: 'the file is a translation into "sv" (trgLang), not "fi"' })
    expect((await languages()).map((language) => language.code)).not.toContain('fi')
  })

  it('stores a complete file as a draft, audited, with its warnings; a live tablet is not offered it', async () => {
    const longKey = 'q.gender.choice.woman'
    const translated = translate(swedishXliff, '[sv]').replace(new RegExp(`(<unit id="${longKey.replaceAll('.', '\\.')}">[\\s\\S]*?<target>)[^<]*(</target>)`), `$1${'kvinna '.repeat(20)}$2`)
    const reply = await upload('sv', translated, 'Svenska')
    expect(reply.statusCode, reply.body).toBe(201)
    const imported = reply.json<XliffImportReply>()
    expect(imported.outcome).toBe('added')
    expect(imported.language).toMatchObject({ code: 'sv', name: 'Svenska', direction: 'ltr', status: 'draft', base: false, source: 'en', complete: true, missing: 0, reviewedBy: null, reviewedOn: null })
    expect(imported.warnings.map((warning) => warning.key)).toEqual([longKey])
    const stored = await database.db.selectFrom('survey_version_languages').selectAll().where('survey_version_id', '=', id).where('code', '=', 'sv').executeTakeFirstOrThrow()
    expect(stored.checksum).toBe(translationChecksum(stored))
    expect(imported.language.checksum).toBe(stored.checksum)
    const [entry] = await auditEntries(database.db, 'survey_version.language_add', String(id)).then((entries) => entries.filter((e) => e.detail.code === 'sv'))
    expect(entry).toMatchObject({ actor_role: 'researcher', detail: { code: 'sv', status: 'draft', source: 'import', checksum: stored.checksum } })
    expect((await languages()).map((language) => `${language.code}:${language.status}`)).toEqual(['nb:reviewed', 'en:reviewed', 'da:reviewed', 'is:reviewed', 'sv:draft'])

    const wave = await app.inject({ method: 'GET', url: '/api/kiosk/wave', headers: { authorization: `Bearer ${study.token}` } })
    expect(wave.json<KioskWaveReply>().languages.map((language) => language.code)).toEqual(['nb', 'en', 'da', 'is'])
  })

  it('lets a new import replace a draft no one has reviewed yet, audited', async () => {
    const reply = await upload('sv', translate(swedishXliff, '[sv2]'), 'Svenska')
    expect(reply.statusCode, reply.body).toBe(200)
    expect(reply.json<XliffImportReply>().outcome).toBe('replaced')
    const [replaced] = await auditEntries(database.db, 'survey_version.language_replace', String(id))
    expect(replaced?.detail).toMatchObject({ code: 'sv', source: 'import' })
    // The same words again change nothing.
    expect((await upload('sv', translate(swedishXliff, '[sv2]'), 'Svenska')).json<XliffImportReply>().outcome).toBe('unchanged')
  })

  it('marks a draft reviewed with the reviewer and today\'s date in the study calendar, audited; once only', async () => {
    // Words other than those the reviewer was shown (a new import came between): refused, still a draft.
    const stale = await review('sv', 'A Fluent Speaker', id, 'f'.repeat(64))
    expect(stale.statusCode).toBe(409)
    expect(stale.json()).toMatchObject({ code: 'translation_outdated' })
    expect((await languages()).find((language) => language.code === 'sv')?.status).toBe('draft')

    const reply = await review('sv', '  A Fluent Speaker ')
    expect(reply.statusCode, reply.body).toBe(200)
    const today = studyToday(loadConfig({}).STUDY_TIME_ZONE)
    expect(reply.json<VersionLanguage>()).toMatchObject({ code: 'sv', status: 'reviewed', reviewedBy: 'A Fluent Speaker', reviewedOn: today })
    const entries = (await auditEntries(database.db, 'survey_version.language_review', String(id))).filter((entry) => entry.detail.code === 'sv')
    expect(entries).toEqual([expect.objectContaining({ actor_role: 'researcher', detail: expect.objectContaining({ reviewedBy: 'A Fluent Speaker', reviewedOn: today, source: 'console' }) })])

    const again = await review('sv', 'Someone Else')
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({ code: 'language_already_reviewed', message: expect.stringContaining(`A Fluent Speaker on ${today}`) })
    expect((await review('de', 'Someone')).json()).toMatchObject({ code: 'language_unknown' })
    expect((await review('nb', 'Someone')).statusCode).toBe(404)
    expect((await review('sv', 'Someone', 999999)).statusCode).toBe(404)
    expect((await review('sv', '   ')).statusCode).toBe(400)

    const wave = await app.inject({ method: 'GET', url: '/api/kiosk/wave', headers: { authorization: `Bearer ${study.token}` } })
    expect(wave.json<KioskWaveReply>().languages.map((language) => language.code)).toEqual(['nb', 'en', 'da', 'is', 'sv'])
  })

  it('refuses other words for a reviewed language (409: a new version), and exports its words as targets to revise', async () => {
    const reply = await upload('sv', translate(swedishXliff, '[sv3]'), 'Svenska')
    expect(reply.statusCode).toBe(409)
    expect(reply.json()).toMatchObject({ code: 'translation_changed', message: expect.stringMatching(/Svenska \(sv\) is already stored with other words.*new version/) })
    const revised = await exported('sv')
    const read = fromXliff(revised.body, await survey(), { slug: 'hverdag', version: 1 })
    expect(read.problems).toEqual([])
    expect(read.name).toBe('Svenska')
    expect(read.strings['survey.title']).toMatch(/^\[sv2\] /)
  })
})
