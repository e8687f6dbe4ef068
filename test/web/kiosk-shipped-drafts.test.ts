import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import type { AudioManifest } from '../../survey-definitions/audio-keys.js'
import { findDefinitions } from '../../survey-definitions/index.js'
import type { TranslationFile } from '../../survey-definitions/languages.js'
import { findTranslationFiles, readTranslationFile } from '../../survey-definitions/translation-files.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { createStudy, responseTableCounts } from '../helpers/fixtures.js'
import { completeSurvey, enrolTabletInBrowser, playingClip } from '../helpers/kiosk-page.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

/** The drafts shipped with hverdag v2, as their files have them: what the tablet must show, word for word. */
const v2 = findDefinitions().find((location) => location.slug === 'hverdag' && location.version === 2)!
const shipped = new Map(findTranslationFiles(v2.files.survey, 2).map(({ code, file }) => [code, readTranslationFile(file).translation!]))
const draft = (code: string): TranslationFile => {
  const translation = shipped.get(code)
  if (translation === undefined) throw new Error(`hverdag v2 ships no ${code} translation`)
  return translation
}

/**
 * The Polish, Ukrainian and Arabic drafts that come with hverdag v2, published as the demo publishes them: a test
 * tablet offers them, marked as drafts (Arabic right to left, Polish read aloud from the committed clips); a live
 * tablet in a v2 wave is not told of them and may not fetch them.
 */
describe('the shipped drafts of hverdag v2 on the tablet', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let study: StudyFixture
  let versionId: number
  let browser: Browser

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db)
    versionId = (await findSurveyVersion(database.db, 'hverdag', 2))!.id
    study = await createStudy(database.db, { survey_version_id: versionId })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  const enrolledTablet = async (context: BrowserContext, testVersion?: number): Promise<Page> =>
    await enrolTabletInBrowser(context, origin, database.db, study.site.id, testVersion)

  it('ships complete drafts in Polish, Ukrainian and Arabic, none of them reviewed', () => {
    expect([...shipped.keys()]).toEqual(['ar', 'pl', 'uk'])
    expect([...shipped.values()].map((translation) => [translation.code, translation.direction, translation.status])).toEqual([['ar', 'rtl', 'draft'], ['pl', 'ltr', 'draft'], ['uk', 'ltr', 'draft']])
  })

  it('a test tablet offers every draft, marked; in Arabic the survey runs right to left, word for word the draft, into the test responses', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 1280 } })
    const page = await enrolledTablet(context, versionId)
    await page.getByTestId('start').click()
    await page.getByTestId('language-ar').waitFor()
    expect(await page.locator('.language-choice').evaluateAll((buttons) => buttons.map((button) => [button.getAttribute('lang'), button.querySelector('span')?.textContent ?? null]))).toEqual([
      ['nb', 'Norsk (bokmål)'], ['en', 'English'], ['ar', draft('ar').name], ['pl', draft('pl').name], ['uk', draft('uk').name],
    ])
    expect(await page.getByTestId('draft-mark').count()).toBe(3)

    await page.getByTestId('language-ar').click()
    await page.getByTestId('page').waitFor()
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl'])
    const before = await responseTableCounts(database.db)
    await completeSurvey(page, async (name) => {
      if (name === 'privacy-check') expect(await page.locator('h1, h2').first().innerText()).toBe(draft('ar').strings['kiosk.privacyTitle'])
      if (name !== 'page_gender') return
      expect(await page.locator('legend').first().innerText()).toBe(draft('ar').strings['q.gender.title'])
      const exit = await page.getByTestId('quick-exit').boundingBox()
      expect(exit!.x + exit!.width).toBeGreaterThan(800 - 40)
      expect(await seriousAxeViolations(page)).toEqual([])
      await screenshot(page, 'shipped-arabic-gender-800x1280')
    })
    expect(await page.locator('h1').first().innerText()).toBe(draft('ar').strings['kiosk.thanks'])
    await expect.poll(async () => (await database.db.selectFrom('test_responses').select('survey_version_id').execute()).map((row) => row.survey_version_id), { timeout: 10_000 }).toEqual([versionId])
    expect(await responseTableCounts(database.db)).toEqual(before)
    await context.close()
  })

  it('in Polish with read-aloud on, the committed Polish clip of each new page\'s first question plays at once', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' })
    const page = await enrolledTablet(context, versionId)
    const manifest = await (await fetch(`${origin}/kiosk/audio/hverdag/v2/manifest.json`)).json() as AudioManifest
    const polishClip = (key: string): string => `/kiosk/audio/hverdag/v2/${manifest.clips[key]!.pl!.file}`
    const audioSrc = async (): Promise<string | null> => await playingClip(page)
    await page.getByTestId('start').click()
    await page.getByTestId('language-pl').click()
    await page.getByTestId('page').waitFor()
    const toggle = page.getByTestId('read-aloud')
    expect(await toggle.innerText()).toContain(draft('pl').strings['kiosk.readAloud'])
    await toggle.click()
    await expect.poll(audioSrc).toBe(polishClip('question:consent_info'))
    await page.getByTestId('next').click()
    const name = await page.getByTestId('page').getAttribute('data-page')
    const first = await page.locator('[data-testid="page"] fieldset, [data-testid="page"] .question').first().locator('input').first().getAttribute('name')
    expect(name).not.toBe('page_consent')
    await expect.poll(audioSrc).toBe(polishClip(`question:${first!}`))
    const clip = await fetch(`${origin}${polishClip(`question:${first!}`)}`)
    expect(clip.status).toBe(200)
    expect(clip.headers.get('content-type')).toContain('ogg')
    await context.close()
  })

  it('a live tablet in a v2 wave is offered bokmål and English only, and each draft is refused (409)', async () => {
    const context = await browser.newContext({ viewport: { width: 800, height: 1280 } })
    const page = await enrolledTablet(context)
    await page.getByTestId('start').click()
    await page.getByTestId('language-en').waitFor()
    expect(await page.locator('.language-choice').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('lang')))).toEqual(['nb', 'en'])
    const token = await page.evaluate(() => localStorage.getItem('kiosk.device'))
    for (const code of shipped.keys()) {
      const asked = await fetch(`${origin}/api/kiosk/languages/${code}`, { headers: { authorization: `Bearer ${token}` } })
      expect([code, asked.status, ((await asked.json()) as { code: string }).code]).toEqual([code, 409, 'language_not_reviewed'])
    }
    await context.close()
  })

  it('a live tablet\'s service worker keeps the clips of bokmål and English, and none of a draft\'s', async () => {
    const manifest = await (await fetch(`${origin}/kiosk/audio/hverdag/v2/manifest.json`)).json() as AudioManifest
    const filesOf = (codes: readonly string[]): Set<string> => new Set(Object.values(manifest.clips).flatMap((byLanguage) =>
      codes.flatMap((code) => { const file = (byLanguage as Record<string, { file: string } | undefined>)[code]?.file; return file === undefined ? [] : [`/kiosk/audio/hverdag/v2/${file}`] })))
    const offered = filesOf(['nb', 'en'])
    const drafts = [...filesOf([...shipped.keys()])].filter((file) => !offered.has(file))
    expect(drafts.length).toBeGreaterThan(0)

    const context = await browser.newContext({ viewport: { width: 800, height: 1280 } })
    const page = await enrolledTablet(context)
    // The worker precaches when it sees the wave: once it controls the page, "Start" asks for the wave again.
    await page.evaluate(async () => { await navigator.serviceWorker.ready })
    await expect.poll(async () => await page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 60_000 }).toBe(true)
    await page.getByTestId('start').click()
    const cachedAudio = async (): Promise<string[]> => await page.evaluate(async () => {
      const urls: string[] = []
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname)
      return urls.filter((url) => url.includes('/kiosk/audio/'))
    })
    await expect.poll(async () => (await cachedAudio()).filter((url) => offered.has(url)).length, { timeout: 60_000 }).toBe(offered.size)
    expect((await cachedAudio()).filter((url) => drafts.includes(url))).toEqual([])
    await context.close()
  })
})
