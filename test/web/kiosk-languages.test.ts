import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeLanguage } from '../../api/services/survey-version-languages.js'
import type { AudioManifest } from '../../survey-definitions/audio-keys.js'
import { findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { createStudy, responseTableCounts } from '../helpers/fixtures.js'
import { completeSurvey, enrolTabletInBrowser, playingClip } from '../helpers/kiosk-page.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'
import { translationFixture } from '../helpers/translation-fixture.js'
import type { TranslationFixture } from '../helpers/translation-fixture.js'

const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const
const sizeName = (viewport: { width: number, height: number }): string => `${viewport.width}x${viewport.height}`

/** The version the study's wave serves (hverdag v1), as its files have it: what the test translations translate. */
const survey = readDefinition(findDefinitions().find((location) => location.slug === 'hverdag' && location.version === 1)!).survey

/**
 * A respondent picks a language beyond bokmål and English: on a test tablet an Arabic draft, laid out right to
 * left, and Polish with read-aloud; a live tablet is not offered the draft and may not fetch it.
 */
describe('the kiosk in the wave\'s languages', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let study: StudyFixture
  let browser: Browser
  const arabic = translationFixture(survey, 'ar')
  const polish = translationFixture(survey, 'pl')

  /** Stores a translation of the study's version as an import does (the service, in one transaction). */
  async function storeTranslation (translation: TranslationFixture, status: 'draft' | 'reviewed'): Promise<void> {
    const version = { id: study.wave.survey_version_id, slug: 'hverdag', version: 1 }
    const file = { ...translation, status, source: 'en' as const, ...(status === 'reviewed' ? { review: { by: 'Test Reviewer', on: '2026-12-01' } } : {}) }
    await database.db.transaction().execute(async (trx) => { await storeLanguage(trx, version, file, null, 'import') })
  }

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    study = await createStudy(database.db)
    await storeTranslation(arabic, 'draft')
    await storeTranslation(polish, 'reviewed')
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  const enrolledTablet = async (context: BrowserContext, testVersion?: number): Promise<Page> =>
    await enrolTabletInBrowser(context, origin, database.db, study.site.id, testVersion)

  const boxOf = async (page: Page, selector: string): Promise<{ left: number, right: number, top: number }> =>
    await page.locator(selector).first().evaluate((element) => {
      const box = element.getBoundingClientRect()
      return { left: box.left, right: box.right, top: box.top }
    })

  it('on a test tablet: the Arabic draft, marked as one, laid out right to left, completed into the test responses', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] })
    // Every translation the wave offers is fetched with the wave (from the cover on), never at a respondent's
    // pick: no request (nor a cache write) tells when someone chose which language.
    const packs: string[] = []
    context.on('request', (request) => { if (request.url().includes('/api/kiosk/languages/')) packs.push(new URL(request.url()).pathname) })
    const page = await enrolledTablet(context, study.wave.survey_version_id)
    await page.getByTestId('start').click()
    await expect.poll(() => [...new Set(packs)].sort()).toEqual(['/api/kiosk/languages/ar', '/api/kiosk/languages/pl'])

    // The picker: every language of the version, each named in its own script; the draft says so.
    const arabicButton = page.getByTestId('language-ar')
    await arabicButton.waitFor()
    expect(await page.locator('.language-choice').evaluateAll((buttons) => buttons.map((button) => [button.getAttribute('lang'), button.getAttribute('dir')]))).toEqual([
      ['nb', 'ltr'], ['en', 'ltr'], ['ar', 'rtl'], ['pl', 'ltr'],
    ])
    expect(await arabicButton.getByTestId('draft-mark').innerText()).toBe('Utkast / Draft')
    expect(await page.getByTestId('language-pl').getByTestId('draft-mark').count()).toBe(0)
    expect(await seriousAxeViolations(page)).toEqual([])
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await screenshot(page, `languages-picker-${sizeName(viewport)}`)
    }
    await page.setViewportSize(VIEWPORTS[0])

    const fetchedBeforePick = packs.length
    await arabicButton.click()
    await page.getByTestId('page').waitFor()
    expect(packs).toHaveLength(fetchedBeforePick)
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['ar', 'rtl'])
    expect(await page.title()).toBe(arabic.strings['kiosk.studyName'])
    expect(await page.getByTestId('quick-exit').innerText()).toBe(arabic.strings['kiosk.quickExit'])

    const before = await responseTableCounts(database.db)
    const shots = new Set(['page_consent', 'page_gender', 'privacy-check'])
    await completeSurvey(page, async (name) => {
      if (name === 'page_gender') {
        expect(await page.locator('legend').first().innerText()).toBe(arabic.strings['q.gender.title'])
        // Mirrored: quick exit at the top on the right, where a reader of Arabic looks first; "next" on the
        // left and "back" on the right; the progress bar fills from the right; play buttons at the line's end.
        const width = page.viewportSize()!.width
        const exit = await boxOf(page, '[data-testid="quick-exit"]')
        expect(exit.right).toBeGreaterThan(width - 40)
        expect(exit.top).toBeLessThan((await boxOf(page, '.bar')).top + 20)
        expect((await boxOf(page, '[data-testid="next"]')).right).toBeLessThan((await boxOf(page, '.nav .secondary')).left)
        expect(await page.locator('.progress progress').evaluate((element) => getComputedStyle(element).direction)).toBe('rtl')
        expect(await seriousAxeViolations(page)).toEqual([])
      }
      if (!shots.has(name)) return
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport)
        await screenshot(page, `languages-arabic-${name}-${sizeName(viewport)}`)
      }
      await page.setViewportSize(VIEWPORTS[0])
      if (name === 'page_gender') {
        // Help in Arabic: the kiosk's words in Arabic, the helplines (written in bokmål and English) in English.
        await page.getByTestId('open-help').click()
        const dialog = page.getByTestId('help-dialog')
        expect(await dialog.getAttribute('dir')).toBe('rtl')
        expect(await dialog.locator('.help-lines li').first().getAttribute('lang')).toBe('en')
        expect(await dialog.getByTestId('close-help').innerText()).toContain(arabic.strings['kiosk.closeHelp'])
        expect(await seriousAxeViolations(page)).toEqual([])
        for (const viewport of VIEWPORTS) {
          await page.setViewportSize(viewport)
          await screenshot(page, `languages-arabic-help-${sizeName(viewport)}`)
        }
        await page.setViewportSize(VIEWPORTS[0])
        await page.keyboard.press('Escape')
      }
    })
    expect(await page.locator('h1').first().innerText()).toBe(arabic.strings['kiosk.thanks'])
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await screenshot(page, `languages-arabic-thanks-${sizeName(viewport)}`)
    }

    await expect.poll(async () => (await database.db.selectFrom('test_responses').selectAll().execute()).length, { timeout: 10_000 }).toBe(1)
    const [stored] = await database.db.selectFrom('test_responses').selectAll().execute()
    expect(stored?.survey_version_id).toBe(study.wave.survey_version_id)
    expect(JSON.stringify(stored)).toContain('"gender"')
    expect(await responseTableCounts(database.db)).toEqual(before)
    // "Done" puts the next respondent's cover back in bokmål, left to right.
    await page.getByTestId('done').click()
    await page.getByTestId('start').waitFor()
    expect(await page.evaluate(() => [document.documentElement.lang, getComputedStyle(document.documentElement).direction])).toEqual(['nb', 'ltr'])

    // The idle prompt speaks the respondent's language too, its countdown in the language's plural forms.
    await page.goto(`${origin}/kiosk/?idle=1&prompt=30`)
    await page.getByTestId('start').click({ timeout: 10_000 })
    await page.getByTestId('language-ar').click()
    await page.getByTestId('idle-prompt').waitFor({ timeout: 10_000 })
    expect(await page.locator('#idle-title').innerText()).toBe(arabic.strings['kiosk.stillThere'])
    expect(await page.getByTestId('idle-countdown').innerText()).toMatch(/^عربي: The answers will be deleted in \d+ seconds?\.$/)
    expect(await seriousAxeViolations(page)).toEqual([])
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await screenshot(page, `languages-arabic-idle-${sizeName(viewport)}`)
    }
    await context.close()
  })

  it('in Polish with read-aloud on: each new page\'s first question starts at once; the language button keeps the answers', async () => {
    // A test-made manifest: the version's clips, with Polish ones (the bokmål files) added, so read-aloud has
    // something to play in Polish. Service workers off, so the route serves it.
    const context = await browser.newContext({ viewport: VIEWPORTS[1], serviceWorkers: 'block' })
    await context.route('**/kiosk/audio/hverdag/v1/manifest.json', async (route) => {
      const response = await route.fetch()
      const manifest = await response.json() as AudioManifest
      const clips = Object.fromEntries(Object.entries(manifest.clips).map(([key, byLang]) => [key, { ...byLang, pl: byLang.nb }]))
      await route.fulfill({ response, json: { ...manifest, clips } })
    })
    const page = await enrolledTablet(context, study.wave.survey_version_id)
    const manifest = await (await fetch(`${origin}/kiosk/audio/hverdag/v1/manifest.json`)).json() as AudioManifest
    const clip = (key: string): string => `/kiosk/audio/hverdag/v1/${manifest.clips[key]!.nb!.file}`
    const audioSrc = async (): Promise<string | null> => await playingClip(page)

    await page.getByTestId('start').click()
    await page.getByTestId('language-pl').click()
    await page.getByTestId('page').waitFor()
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['pl', 'ltr'])
    const toggle = page.getByTestId('read-aloud')
    expect(await toggle.innerText()).toContain(polish.strings['kiosk.readAloud'])
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    expect(await audioSrc()).toBeNull()

    // Turned on, it reads the page on screen (the consent text), then every new page's first question at once.
    await toggle.click()
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    await expect.poll(audioSrc).toBe(clip('question:consent_info'))
    await page.getByTestId('next').click()
    expect(await page.getByTestId('page').getAttribute('data-page')).toBe('page_gender')
    await expect.poll(audioSrc).toBe(clip('question:gender'))
    expect(await page.getByTestId('read-aloud').getAttribute('aria-pressed')).toBe('true')
    expect(await page.getByTestId('play-question').first().getAttribute('aria-pressed')).toBe('true')
    await screenshot(page, 'languages-polish-read-aloud-1440x900')

    // An answer redraws the page: that stops the clip, and the same page is not read again.
    await page.locator('label:has(input[name="gender"][value="woman"])').click()
    expect(await audioSrc()).toBeNull()

    // The bar's language button opens the picker; back in Polish the answer is still there.
    await page.getByTestId('language').click()
    expect(await page.getByTestId('language-pl').getAttribute('aria-current')).toBe('true')
    await page.getByTestId('language-en').click()
    expect(await page.locator('legend').first().innerText()).toBe('What is your gender?')
    await page.getByTestId('language').click()
    await page.getByTestId('language-pl').click()
    expect(await page.locator('legend').first().innerText()).toBe(polish.strings['q.gender.title'])
    expect(await page.locator('input[name="gender"][value="woman"]').isChecked()).toBe(true)

    // Off, it stops and the next page stays quiet.
    await page.getByTestId('read-aloud').click()
    expect(await page.getByTestId('read-aloud').getAttribute('aria-pressed')).toBe('false')
    await page.getByTestId('next').click()
    await page.waitForTimeout(300)
    expect(await audioSrc()).toBeNull()
    await context.close()
  })

  it('on a live tablet: only reviewed languages are offered, and the draft is refused (409)', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] })
    const page = await enrolledTablet(context)
    await page.getByTestId('start').click()
    await page.getByTestId('language-pl').waitFor()
    expect(await page.locator('.language-choice').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('lang')))).toEqual(['nb', 'en', 'pl'])
    expect(await page.getByTestId('draft-mark').count()).toBe(0)
    const token = await page.evaluate(() => localStorage.getItem('kiosk.device'))
    const asked = await fetch(`${origin}/api/kiosk/languages/ar`, { headers: { authorization: `Bearer ${token}` } })
    expect(asked.status).toBe(409)
    expect(((await asked.json()) as { code: string }).code).toBe('language_not_reviewed')
    const polishPack = await fetch(`${origin}/api/kiosk/languages/pl`, { headers: { authorization: `Bearer ${token}` } })
    expect(polishPack.status).toBe(200)
    await context.close()
  })

  it('on a live tablet: a translation kept from before (a draft, or another version\'s) is never shown', async () => {
    for (const stale of [{ status: 'draft' }, { surveyVersionId: -1 }]) {
      const context = await browser.newContext({ viewport: VIEWPORTS[0], serviceWorkers: 'block' })
      // What a cache could still hold: the Polish words as a draft, or as the words of another version.
      await context.route('**/api/kiosk/languages/pl', async (route) => {
        const response = await route.fetch()
        await route.fulfill({ response, json: { ...await response.json() as Record<string, unknown>, ...stale } })
      })
      const page = await enrolledTablet(context)
      await page.getByTestId('start').click()
      await page.getByTestId('language-pl').click()
      await page.getByTestId('problem').waitFor()
      expect(await page.evaluate(() => document.documentElement.lang)).not.toBe('pl')
      expect(await page.locator('body').innerText()).not.toContain(polish.strings['kiosk.next'])
      await context.close()
    }
  })

  it('offline: a tablet that fetched a translation once starts the next respondent in it without a connection', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[1] })
    const page = await enrolledTablet(context)
    await page.evaluate(async () => { await navigator.serviceWorker.ready })
    await expect.poll(async () => await page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true)
    const cached = async (): Promise<string[]> => await page.evaluate(async () => {
      const urls: string[] = []
      for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname)
      return urls
    })
    await expect.poll(cached, { timeout: 15_000 }).toEqual(expect.arrayContaining(['/api/kiosk/wave', '/api/surveys/hverdag/versions/1']))

    await page.getByTestId('start').click()
    await page.getByTestId('language-pl').click()
    await page.getByTestId('page').waitFor()
    await expect.poll(cached).toContain('/api/kiosk/languages/pl')

    // The next respondent: a fresh page (nothing in memory), no connection.
    await page.getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
    await context.setOffline(true)
    try {
      await page.reload()
      await page.getByTestId('start').click({ timeout: 15_000 })
      await page.getByTestId('language-pl').click()
      await page.getByTestId('page').waitFor()
      expect(await page.getByTestId('next').innerText()).toBe(polish.strings['kiosk.next'])
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('pl')
    } finally {
      await context.setOffline(false)
      await context.close()
    }
  })
})
