import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { PublicLinkReply, ReleaseDetail } from '../../api/schemas/releases.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { createTestAccount, loginAs } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { logInToConsole } from '../helpers/console-page.js'
import { ARTIFACTS, launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { FIVE_SITES, createWave, siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const

/**
 * The screens attendance weights and repeat participation touch, on a hverdag v2 wave: the console's progress
 * (how many said they had already answered), its release form (weights, repeats), and the results app's notes
 * under a weighted release, in both languages.
 */
describe('attendance weights and repeats on screen', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let page: Page
  let waveId = ''
  let repeats = 0
  let release: ReleaseDetail
  let link: PublicLinkReply

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db)
    const sites: SiteRow[] = []
    for (const site of FIVE_SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const version = await findSurveyVersion(database.db, 'hverdag', 2)
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Attendance wave', survey_version_id: version?.id as number, opens_on: addDays(today, -5), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id, target: 100 })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId, responses: 400, seed: 3 })
    repeats = (await database.db.selectFrom('response_facts').select('response_id').where('wave_id', '=', waveId).where('answered_before', '=', true).execute()).length
    const api = await loginAs(app, database.db, 'researcher')
    const made = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: api.headers, payload: { weights: 'attendance', unreliable: 'mark' } })
    if (made.statusCode !== 201) throw new Error(`release failed: ${made.statusCode} ${made.body}`)
    release = made.json<ReleaseDetail>()
    link = (await app.inject({ method: 'POST', url: `/api/releases/${release.release.id}/public-link`, headers: api.headers })).json<PublicLinkReply>()

    const account = await createTestAccount(database.db, 'researcher')
    browser = await launchChromium()
    page = await (await browser.newContext({ viewport: VIEWPORTS[1] })).newPage()
    await logInToConsole(page, origin, account)
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  it('the progress view says how many of the mixed responses said they had already answered', async () => {
    expect(repeats).toBeGreaterThan(0)
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await page.goto(`${origin}/console/#/progress/${waveId}`)
      const line = page.getByTestId('progress-answered-before')
      await line.waitFor()
      expect(await line.innerText()).toBe(`${repeats} of the 400 responses mixed so far said they had already answered in this round; releases leave them out unless told to count them.`)
      expect(await seriousAxeViolations(page)).toEqual([])
      await screenshot(page, `attendance-progress-${viewport.width}x${viewport.height}`)
      await page.goto(`${origin}/console/#/`)
    }
  })

  it('the release form offers weights and what to do with repeats, and the list says a release is weighted', async () => {
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await page.goto(`${origin}/console/#/releases/${waveId}`)
      await page.getByRole('heading', { level: 1, name: 'Results releases' }).waitFor()
      const weights = page.getByLabel('Weights')
      // The list and the form are drawn after the heading, once the wave's releases have loaded.
      await weights.waitFor()
      expect(await weights.locator('option').allInnerTexts()).toEqual(['Unweighted: every respondent counts alike', 'Weighted by attendance: 1 / visits in the last 7 days (design-based methods only)'])
      expect(await page.getByLabel('Respondents who said they had already answered in this round').inputValue()).toBe('exclude')
      expect(await page.locator('main').innerText()).toContain('Korn–Graubard, sites as clusters (design-based), weighted by attendance')
      expect(await seriousAxeViolations(page)).toEqual([])
      await screenshot(page, `attendance-release-form-${viewport.width}x${viewport.height}`)
      await page.goto(`${origin}/console/#/`)
    }
  })

  for (const lang of ['nb', 'en'] as const) {
    it(`the results app prints the release's notes under the source line, in ${lang === 'nb' ? 'bokmål' : 'English'}`, async () => {
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport)
        await page.goto(`${origin}${link.page}&lang=${lang}&view=overview`)
        await page.locator('#app[data-ready="release"]').waitFor({ timeout: 20_000 })
        const notes = await page.getByTestId('release-note').allInnerTexts()
        expect(notes).toEqual(release.notes.map((note) => note[lang]))
        expect(notes[1]).toContain(String(repeats))
        expect(await seriousAxeViolations(page)).toEqual([])
        await screenshot(page, `attendance-results-notes-${lang}-${viewport.width}x${viewport.height}`)
        // The whole report is long: the footer alone, where the notes are, to look at.
        await page.locator('footer.report-source').screenshot({ path: new URL(`attendance-results-footer-${lang}-${viewport.width}x${viewport.height}.png`, ARTIFACTS).pathname })
      }
    }, 60_000)
  }
})
