import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { ReleaseAuditReply, ReleaseList, ReleasePreview } from '../../api/schemas/releases.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { createTestAccount, loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { logInToConsole } from '../helpers/console-page.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { FIVE_SITES, siteFixture, createWave } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const
/** The fine crossing a researcher adds: raped in the last 12 months by gender × age group × county. */
const FINE = { tables: [{ indicators: ['raped_12m'], by: ['gender', 'age_group', 'county'] }] }

/**
 * A researcher previews a release in the console before making it: the audit's verdict, the counts of hidden
 * cells, the attacker's intervals and the tables with hidden cells marked, in bokmål and English; then releases,
 * and reads the stored audit of the release made.
 */
describe('the console shows the disclosure audit before a release', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let page: Page
  let waveId: string
  let api: TestSession
  const account = { email: '', totpSecret: '' }

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db)
    const sites: SiteRow[] = []
    for (const site of FIVE_SITES) sites.push(await createSite(database.db, siteFixture(site)))
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    const today = studyToday('Europe/Oslo')
    const wave = await createWave(database.db, {
      name: 'Preview wave', survey_version_id: version?.id as number, opens_on: addDays(today, -5), closes_on: addDays(today, 30), status: 'open',
    }, sites.map((site) => ({ siteId: site.id })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: 'Europe/Oslo' }, { waveId, responses: 300, seed: 11 })
    const created = await createTestAccount(database.db, 'researcher')
    account.email = created.email
    account.totpSecret = created.totpSecret ?? ''
    api = await loginAs(app, database.db, 'researcher')
    browser = await launchChromium()
    page = await (await browser.newContext({ viewport: VIEWPORTS[1] })).newPage()
    await logInToConsole(page, origin, account)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  it('names the cells of a release the audit refuses and offers no release button', async () => {
    // Served by a stand-in answer, since a wave whose audit fails cannot be made on demand: the page is the subject.
    await page.route('**/releases/preview', async (route) => {
      const real = await route.fetch({ timeout: 120_000 })
      const body = await real.json() as ReleasePreview
      const [first] = body.audit.suppressed
      const failing = first === undefined ? [] : [{ ...first, problem: 'yes is pinned to 3' }]
      await route.fulfill({ response: real, json: { ...body, audit: { ...body.audit, safe: false, suppressed: [...failing, ...body.audit.suppressed.slice(1)] } } })
    })
    await page.setViewportSize(VIEWPORTS[1])
    await page.goto(`${origin}/console/#/releases/${waveId}`)
    await page.getByRole('heading', { level: 1, name: 'Results releases' }).waitFor()
    await page.getByRole('button', { name: 'Preview the release of Preview wave' }).click()
    // Before any release of the wave: a superseding preview with the fine crossing is the slow case (see bench:disclosure).
    const preview = page.getByTestId('release-preview')
    await preview.getByTestId('audit-problems').waitFor({ timeout: 60_000 })
    expect(await preview.getByTestId('audit-verdict').innerText()).toContain('Refused: 1 hidden cell')
    expect(await preview.getByTestId('audit-problems').innerText()).toContain('yes is pinned to 3')
    expect(await page.getByRole('button', { name: 'Release Preview wave' }).isVisible()).toBe(false)
    await page.unroute('**/releases/preview')
    // Leave the screen, so the next test draws it afresh.
    await page.goto(`${origin}/console/#/`)
  }, 120_000)

  it('previews the audit (nothing stored), shows hidden cells by why and the attacker\'s intervals, then releases', async () => {
    await page.goto(`${origin}/console/#/releases/${waveId}`)
    await page.getByRole('heading', { level: 1, name: 'Results releases' }).waitFor()
    await page.getByRole('button', { name: 'Add a table' }).click()
    await page.getByRole('checkbox', { name: 'Raped, last 12 months', exact: true }).check()
    for (const name of ['Gender', 'Age group', 'County']) await page.getByRole('checkbox', { name, exact: true }).check()
    await page.getByRole('button', { name: 'Preview the release of Preview wave' }).click()
    const verdict = page.getByTestId('audit-verdict')
    await verdict.waitFor({ timeout: 60_000 })
    // The audit opens in the console's language (English here); its toggle shows it in bokmål.
    expect(await verdict.innerText()).toContain('Safe: no hidden cell can be worked out')
    await page.getByTestId('audit-language').first().click()
    expect(await database.db.selectFrom('results_releases').select('id').where('wave_id', '=', waveId).execute()).toEqual([])

    // The same release previewed through the API: the page says what its audit says.
    const reply = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases/preview`, headers: api.headers, payload: FINE })
    const preview = reply.json<ReleasePreview>()
    expect(preview.audit.safe).toBe(true)
    expect(await verdict.innerText()).toContain('Trygg')
    expect(await page.getByTestId('audit-counts').innerText()).toBe(
      `${preview.audit.cells} celler i alt: ${preview.audit.primary} skjult fordi de selv er for små (primær), ${preview.audit.secondary} skjult for å beskytte dem (sekundær).`)
    // The narrowest width shown is what the points found reach (never wider than the attacker's), so two runs
    // may show different widths: the page's is checked against the strict rule, the stored one exactly below.
    expect(preview.audit.minWidth).toBeGreaterThanOrEqual(1)
    expect(Number(/er (\d+) bred/.exec(await page.getByTestId('audit-width').innerText())?.[1])).toBeGreaterThanOrEqual(1)
    // The narrowest intervals first, each an interval of at least width 1 (or a published n).
    const intervals = page.getByTestId('audit-intervals').locator('tbody tr')
    expect(await intervals.count()).toBe(Math.min(12, preview.audit.suppressed.length))
    expect(await intervals.first().innerText()).toMatch(/\d+–\d+/)

    // The fine table, opened: its hidden cells are marked primary or secondary, as the preview's rows say.
    const fine = page.getByTestId('audit-tables').locator('details', { hasText: 'etter kjønn × aldersgruppe × fylke' })
    await fine.locator('summary').click()
    const rows = preview.rows.filter((row) => row.indicator === 'raped_12m' && Object.keys(row.group).length === 3)
    const primary = rows.filter((row) => row.suppressed && row.rule !== 'complementary').length
    expect(primary).toBeGreaterThan(0)
    expect(await fine.locator('.cell-primary').count()).toBe(primary)
    expect(await fine.locator('.cell-secondary').count()).toBe(rows.filter((row) => row.rule === 'complementary').length)
    expect(await seriousAxeViolations(page)).toEqual([])
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await screenshot(page, `console-release-preview-nb-${viewport.width}x${viewport.height}`)
    }

    await page.getByTestId('audit-language').first().click()
    expect(await verdict.innerText()).toContain('Safe: no hidden cell can be worked out')
    expect(await page.getByTestId('audit-counts').innerText()).toContain(`${preview.audit.primary} hidden because they are too small themselves (primary)`)
    await screenshot(page, 'console-release-preview-en-1440x900')

    await page.getByRole('button', { name: 'Release Preview wave' }).click()
    await page.getByTestId('releases').getByRole('cell', { name: 'current' }).waitFor({ timeout: 60_000 })
    const made = (await app.inject({ method: 'GET', url: `/api/waves/${waveId}/releases`, headers: api.headers })).json<ReleaseList>().releases
    expect(made).toHaveLength(1)
    const stored = (await app.inject({ method: 'GET', url: `/api/releases/${made[0]?.id ?? ''}/audit`, headers: api.headers })).json<ReleaseAuditReply>()
    expect(stored.audit).toMatchObject({ safe: true, primary: preview.audit.primary, secondary: preview.audit.secondary })

    // The release made shows its stored audit too.
    await page.getByRole('button', { name: /^Disclosure audit of the release of / }).click()
    await page.getByTestId('audit-verdict').waitFor()
    expect(await page.getByTestId('audit-counts').innerText()).toContain(`${stored.audit?.cells ?? -1} cells in all`)
    expect(await page.getByTestId('audit-width').innerText()).toContain(`is ${stored.audit?.minWidth ?? -1} wide`)
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await screenshot(page, `console-release-stored-${viewport.width}x${viewport.height}`)
    }
  }, 180_000)
})
