import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { studyToday } from '../../api/study-calendar.js'
import { sourceTexts } from '../../survey-definitions/languages.js'
import { toXliff } from '../../survey-definitions/xliff.js'
import { createTestAccount } from '../helpers/accounts.js'
import { logInToConsole } from '../helpers/console-page.js'
import { ARTIFACTS, launchChromium, seriousAxeViolations } from '../helpers/browser.js'
import { buildTestApp } from '../helpers/build-app.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const
const ZONE = 'Europe/Oslo'

/**
 * A researcher adds a language to a published version in the console: downloads the texts for translation,
 * uploads the translated file (refused with its problems by key when incomplete, stored as a draft when
 * complete), and marks the draft reviewed after a fluent speaker checked it. The translation is made up here
 * (Persian, written right to left: "[fa]" before each English text), not a shipped draft.
 */
describe('console: a survey version\'s languages', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let page: Page
  let study: StudyFixture
  let dir: string
  let complete: string
  let incomplete: string

  /** The languages section at the top of the window (the version's questions follow it, thousands of pixels long). */
  const shoot = async (name: string, at: 'languages' | 'upload' = 'languages'): Promise<void> => {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await page.getByTestId(at === 'languages' ? 'languages' : 'xliff-upload').evaluate((element) => { (element.closest('section') ?? element).scrollIntoView({ block: 'start' }) })
      mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: new URL(`${name}-${viewport.width}x${viewport.height}.png`, ARTIFACTS).pathname })
    }
    await page.setViewportSize(VIEWPORTS[1])
  }
  const languageRow = (code: string) => page.getByTestId('languages').locator('tbody tr').filter({ has: page.locator('code', { hasText: new RegExp(`^${code}$`) }) })

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn', STUDY_TIME_ZONE: ZONE })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    study = await createStudy(database.db)
    const version = await database.db.selectFrom('survey_versions').selectAll().where('id', '=', study.wave.survey_version_id).executeTakeFirstOrThrow()
    const strings = Object.fromEntries(sourceTexts(version.definition, 'fa').map((text) => [text.key, `[fa] ${text.en}`]))
    const file = (existing: Record<string, string>) => toXliff({ slug: version.slug, version: version.version, survey: version.definition, code: 'fa', source: 'en', existing, direction: 'rtl' })
    dir = mkdtempSync(join(tmpdir(), 'prevalens-xliff-'))
    complete = join(dir, 'hverdag-v1.en-fa.xlf')
    writeFileSync(complete, file(strings))
    incomplete = join(dir, 'hverdag-v1.en-fa-incomplete.xlf')
    writeFileSync(incomplete, file({ ...strings, 'survey.title': '' }))

    const account = await createTestAccount(database.db, 'researcher')
    browser = await launchChromium()
    page = await (await browser.newContext({ viewport: VIEWPORTS[1], locale: 'en-GB' })).newPage()
    await logInToConsole(page, origin, account)
    await page.goto(`${origin}/console/#/survey-versions/${study.wave.survey_version_id}`)
    await page.getByTestId('languages').waitFor()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('lists bokmål and English as the survey\'s own, and downloads a new language\'s texts as XLIFF', async () => {
    expect(await page.getByTestId('languages').locator('tbody tr').allInnerTexts()).toEqual([
      expect.stringMatching(/^Norsk \(bokmål\)\tnb\tleft to right\treviewed \(in the survey\)\t\t\tyes/),
      expect.stringMatching(/^English\ten\tleft to right\treviewed \(in the survey\)\t\t\tyes/),
    ])
    const form = page.getByTestId('xliff-download')
    await form.getByLabel('Language code').fill('pl')
    const [download] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Download XLIFF' }).click()])
    expect(download.suggestedFilename()).toBe('hverdag-v1.en-pl.xlf')
    const xliff = readFileSync(await download.path(), 'utf8')
    expect(xliff).toContain('srcLang="en" trgLang="pl"')
    expect(xliff).toContain('<unit id="survey.title">')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  it('refuses an incomplete file, listing the problem by key, and stores nothing', async () => {
    const form = page.getByTestId('xliff-upload')
    await form.getByLabel('Language code').fill('fa')
    await form.getByLabel('The language\'s name in its own script').fill('فارسی')
    await form.getByLabel('Translated file (XLIFF)').setInputFiles(incomplete)
    await form.getByRole('button', { name: 'Check and upload' }).click()
    const problems = form.getByTestId('translation-problems')
    await problems.waitFor()
    expect(await problems.locator('li').allInnerTexts()).toEqual(['survey.title is untranslated (empty target)'])
    expect(await form.locator('.outcome').innerText()).toContain('The translation has problems (see the list).')
    await shoot('console-languages-refused', 'upload')
    expect(await seriousAxeViolations(page)).toEqual([])
    expect(await page.getByTestId('languages').locator('tbody tr').count()).toBe(2)
  })

  it('stores a complete translation as a draft, shown right to left in the list', async () => {
    const form = page.getByTestId('xliff-upload')
    await form.getByLabel('Translated file (XLIFF)').setInputFiles(complete)
    await form.getByRole('button', { name: 'Check and upload' }).click()
    await form.getByText('Stored فارسی (fa) as a draft.').waitFor()
    const row = languageRow('fa')
    expect(await row.innerText()).toMatch(/^فارسی\tfa\tright to left\tdraft\t\t\tyes\tMark فارسی reviewed$/)
    expect(await row.locator('span[lang="fa"]').getAttribute('dir')).toBe('rtl')
    await shoot('console-languages-draft')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  it('marks the draft reviewed once the reviewer is named and the fluent check confirmed, and shows the change', async () => {
    await languageRow('fa').getByRole('button', { name: 'Mark فارسی reviewed' }).click()
    const dialog = page.getByTestId('review-dialog')
    await dialog.waitFor()
    // Both are required: the browser refuses the form without them.
    await dialog.getByRole('button', { name: 'Mark reviewed' }).click()
    expect(await dialog.isVisible()).toBe(true)
    await dialog.getByLabel('Who reviewed it').fill('Dariush Example')
    await dialog.getByRole('button', { name: 'Mark reviewed' }).click()
    expect(await dialog.isVisible()).toBe(true)
    await dialog.getByLabel(/A fluent speaker of فارسی has checked every text/).check()
    await shoot('console-languages-review-dialog')
    expect(await seriousAxeViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Mark reviewed' }).click()
    await page.getByTestId('announce').getByText('فارسی is marked reviewed and is now offered in open waves.').waitFor()
    const today = studyToday(ZONE)
    const shown = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(`${today}T00:00:00Z`))
    expect(await languageRow('fa').innerText()).toBe(`فارسی\tfa\tright to left\treviewed\tDariush Example\t${shown}\tyes\t`)
    expect(await languageRow('fa').locator('time').getAttribute('datetime')).toBe(today)
    const stored = await database.db.selectFrom('survey_version_languages').select(['status', 'reviewed_by', 'reviewed_on']).where('code', '=', 'fa').executeTakeFirstOrThrow()
    expect(stored).toEqual({ status: 'reviewed', reviewed_by: 'Dariush Example', reviewed_on: today })
    await shoot('console-languages-reviewed')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  it('says the same in bokmål', async () => {
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 2, name: 'Språk' }).waitFor()
    expect(await languageRow('fa').innerText()).toMatch(/^فارسی\tfa\thøyre til venstre\tgjennomgått\tDariush Example\t/)
    expect(await page.getByTestId('xliff-upload').getByRole('button', { name: 'Sjekk og last opp' }).isVisible()).toBe(true)
    await shoot('console-languages-nb')
    expect(await seriousAxeViolations(page)).toEqual([])
  })
})
