import { readFileSync } from 'node:fs'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { PublicLinkReply, ReleaseDetail } from '../../api/schemas/releases.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loginAs } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { ARTIFACTS, launchChromium, screenshot } from '../helpers/browser.js'
import { FIVE_SITES, siteFixture, createWave } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

type Lang = 'nb' | 'en'
const MARK = { nb: { withheld: 'Ikke vist: for usikkert', flag: 'Les med forsiktighet' }, en: { withheld: 'Withheld: too uncertain', flag: 'Read with caution' } } as const
const keyOf = (group: Readonly<Record<string, string>>) => JSON.stringify(Object.fromEntries(Object.keys(group).sort().map((d) => [d, group[d]])))

interface ShownRow { indicator: string, group: string, reliability: string | null, withheld: string | null, estimate: string, mark: string, explanation: string }

async function shownRows (page: Page): Promise<ShownRow[]> {
  return await page.locator('.headline table.results:not(.differences) tbody tr[data-indicator]').evaluateAll((rows) => rows.map((row) => ({
    indicator: row.getAttribute('data-indicator') ?? '',
    group: row.getAttribute('data-group') ?? '',
    reliability: row.getAttribute('data-reliability'),
    withheld: row.getAttribute('data-withheld'),
    estimate: row.querySelector('[data-field="estimate"]')?.textContent ?? '',
    mark: row.querySelector('.reliability-mark')?.textContent ?? '',
    explanation: row.querySelector('.reliability-text')?.textContent ?? '',
  })))
}

describe('reliability marks in the results app (a wave of 5 sites)', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let release: ReleaseDetail
  let link: PublicLinkReply

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db)
    const sites: SiteRow[] = []
    for (const site of FIVE_SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    if (version === undefined) throw new Error('hverdag v1 was not published')
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Vår 2027', survey_version_id: version.id, opens_on: addDays(today, -10), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId: wave.id, responses: 700, seed: 21 })
    const researcher = await loginAs(app, database.db, 'researcher')
    // No method named: Korn–Graubard with sites as clusters, unreliable estimates withheld.
    const made = await app.inject({ method: 'POST', url: `/api/waves/${wave.id}/releases`, headers: researcher.headers, payload: {} })
    if (made.statusCode !== 201) throw new Error(`release failed: ${made.statusCode} ${made.body}`)
    release = made.json<ReleaseDetail>()
    const linked = await app.inject({ method: 'POST', url: `/api/releases/${release.release.id}/public-link`, headers: researcher.headers })
    link = linked.json<PublicLinkReply>()
    browser = await launchChromium()
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true })
    page = await context.newPage()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  async function open (lang: Lang): Promise<void> {
    await page.goto(`${origin}${link.page}&lang=${lang}&view=overview`)
    await page.locator('#app[data-ready="release"]').waitFor({ timeout: 20_000 })
  }

  for (const lang of ['nb', 'en'] as const) {
    it(`marks every flagged estimate and withholds the failing ones, with the reason in ${lang === 'nb' ? 'bokmål' : 'English'}`, async () => {
      expect(release.release.method).toBe('korn-graubard')
      await open(lang)
      const shown = await shownRows(page)
      const api = release.rows.filter((row) => !row.suppressed && Object.keys(row.group).every((d) => d === 'gender'))
      let withheld = 0
      let flagged = 0
      for (const row of api) {
        const on = shown.find((candidate) => candidate.indicator === row.indicator && candidate.group === keyOf(row.group))
        expect(on, `${row.indicator} ${keyOf(row.group)} is shown`).toBeDefined()
        if (on === undefined || row.reliability === undefined) continue
        expect(on.reliability).toBe(row.reliability.publish)
        if (row.reliability.withheld === true) {
          withheld++
          expect(on).toMatchObject({ withheld: 'true', estimate: '–' })
          expect(on.mark).toContain(MARK[lang].withheld)
        } else if (row.reliability.flags.length > 0) {
          flagged++
          expect(on.estimate).not.toBe('–')
          expect(on.mark).toContain(MARK[lang].flag)
        }
        expect(on.explanation).toBe(row.reliability.explanation?.[lang] ?? '')
      }
      expect(withheld, 'the 5-site wave has estimates that fail a rule').toBeGreaterThan(0)
      expect(flagged, 'and estimates that are only flagged (4 degrees of freedom)').toBeGreaterThan(0)
      expect(await page.locator('.headline .reliability-note').first().textContent()).toMatch(lang === 'nb' ? /NCHS-standarden/ : /NCHS standard/)
      if (lang === 'en') {
        // The figure's CSV carries the verdict too.
        const block = page.locator('.headline .figure-block').first()
        const [file] = await Promise.all([page.waitForEvent('download'), block.locator('button[data-download="csv"]').click()])
        const text = readFileSync(await file.path(), 'utf8')
        const [header = '', ...lines] = text.trim().split('\r\n')
        expect(header.split(',').slice(-3)).toEqual(['reliability', 'reliability_flags', 'withheld'])
        const withheldInBlock = await block.locator('tr[data-withheld="true"]').count()
        expect(lines.filter((line) => line.endsWith(',true'))).toHaveLength(withheldInBlock)
      }
    })
  }

  it('explains a mark on hover and on tap, and prints every reason', async () => {
    await open('nb')
    const mark = page.locator('.headline tr[data-withheld="true"] .reliability-mark').first()
    const text = page.locator('.headline tr[data-withheld="true"] .reliability-text').first()
    expect(await text.isVisible()).toBe(false)
    await mark.hover()
    await expect.poll(async () => await text.isVisible()).toBe(true)
    await page.mouse.move(0, 0)
    await expect.poll(async () => await text.isVisible()).toBe(false)
    await mark.click()
    expect(await mark.getAttribute('aria-expanded')).toBe('true')
    await page.mouse.move(0, 0)
    expect(await text.isVisible()).toBe(true)
    await mark.evaluate((element) => { element.scrollIntoView({ block: 'center' }) })
    // The screen as the reader sees it with the reason open, and the whole page.
    await page.screenshot({ path: new URL('results-reliability-open-1440x900.png', ARTIFACTS).pathname })
    await screenshot(page, 'results-reliability-1440x900')

    await page.setViewportSize({ width: 800, height: 1280 })
    await open('en')
    const flagged = page.locator('.headline tr[data-reliability="flag"] .reliability-mark').first()
    await flagged.click()
    await flagged.evaluate((element) => { element.scrollIntoView({ block: 'center' }) })
    await page.screenshot({ path: new URL('results-reliability-open-800x1280.png', ARTIFACTS).pathname })
    await screenshot(page, 'results-reliability-800x1280')

    await page.emulateMedia({ media: 'print' })
    const texts = page.locator('.headline .reliability-text')
    const visible = await texts.evaluateAll((elements) => elements.map((element) => getComputedStyle(element).display !== 'none'))
    expect(visible.length).toBeGreaterThan(0)
    expect(visible.every(Boolean)).toBe(true)
    await page.emulateMedia({ media: 'screen' })
  })
})
