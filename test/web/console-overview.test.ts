import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { createSite } from '../../api/db/queries/sites.js'
import type { ReleaseCreateBody } from '../../api/schemas/releases.js'
import { importHelpResourcesIfNeeded } from '../../api/services/help-resources.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { TEST_PASSWORD, createTestAccount } from '../helpers/accounts.js'
import { logInToConsole } from '../helpers/console-page.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { buildTestApp } from '../helpers/build-app.js'
import { createStudy, createWave, siteFixture } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const
const AGES = ['18_24', '25_34', '35_44', '45_54', '55_plus']
const ANSWERS = { gender: 'woman', age_group: '25_34', pushed_ever: 'several', pushed_12m: 'once', pushed_1m: 'no', strangled_ever: 'no' }

/**
 * A researcher's first screens: the overview (open waves against target, tablets today, what needs attention),
 * test mode for a survey version (a test tablet enrolled from the console, its response counted apart and
 * deleted), and the release form's indicator picker (groups, search, choose all, count, keyboard).
 */
describe('the console overview, test mode and indicator picker', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let page: Page
  let study: StudyFixture
  let pastWaveId: string
  const today = studyToday('Europe/Oslo')

  const upload = async (token: string, waveId: string, answers: object = ANSWERS): Promise<void> => {
    const reply = await app.inject({ method: 'POST', url: '/api/responses', headers: { authorization: `Bearer ${token}` }, payload: { id: randomUUID(), waveId, answers } })
    expect(reply.statusCode, reply.body).toBe(201)
  }
  const shoot = async (name: string, on: Page = page): Promise<void> => {
    for (const viewport of VIEWPORTS) {
      await on.setViewportSize(viewport)
      await screenshot(on, `${name}-${viewport.width}x${viewport.height}`)
    }
  }

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    study = await createStudy(database.db, { name: 'Autumn wave', closes_on: addDays(today, 6) })
    await database.db.updateTable('wave_sites').set({ target_responses: 40 }).where('wave_id', '=', study.wave.id).execute()
    await database.db.insertInto('wave_sites').values({ wave_id: study.wave.id, site_id: study.otherSite.id, target_responses: 25 }).execute()
    const pastSite = await createSite(database.db, siteFixture({ name: 'Harbour drop-in' }))
    pastWaveId = (await createWave(database.db, {
      name: 'Summer wave', survey_version_id: study.wave.survey_version_id, opens_on: addDays(today, -60), closes_on: addDays(today, -3), grace_days: 7, status: 'open',
    }, [{ siteId: pastSite.id, target: 30 }])).id
    await importHelpResourcesIfNeeded(database.db)
    for (let i = 0; i < 12; i += 1) await upload(study.token, study.wave.id, { ...ANSWERS, age_group: AGES[i % AGES.length] })
    const other = await enrolDevice(database.db, study.otherSite.id, 'Reception')
    for (let i = 0; i < 4; i += 1) await upload(other.token, study.wave.id, { gender: 'prefer_not', age_group: 'prefer_not', pushed_ever: 'prefer_not' })

    const account = await createTestAccount(database.db, 'researcher')
    browser = await launchChromium()
    page = await (await browser.newContext({ viewport: VIEWPORTS[1] })).newPage()
    await logInToConsole(page, origin, account)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  it('lands on an overview of the open waves against target, the tablets seen today and what needs attention', async () => {
    await page.goto(`${origin}/console/#/`)
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
    const attention = page.getByTestId('attention')
    await attention.waitFor()
    const items = await attention.locator('li').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-kind')))
    expect(items).toEqual(['wave_past_close', 'tablet_warning', 'wave_behind_target'])
    expect(await attention.locator('li[data-kind="wave_past_close"]').innerText()).toContain('Summer wave is still open but ended on')
    expect(await attention.locator('li[data-kind="tablet_warning"]').innerText()).toContain('Tablet Reception (Other site): many responses answer everything with "prefer not to say"')
    expect(await attention.locator('li[data-kind="wave_behind_target"]').innerText()).toContain('Autumn wave ends in 6 days, and these sites are below target: Other site: 4 of 25, ')

    const autumn = page.locator(`[data-wave="${study.wave.id}"]`)
    expect(await autumn.locator('caption').innerText()).toMatch(/^Autumn wave: open until \d+ \w+ \d{4}$/)
    expect(await autumn.locator(`tr[data-site="${study.site.id}"]`).innerText()).toMatch(/12\s+40\s+30\s?%/)
    expect(await autumn.getByTestId('wave-total').innerText()).toBe('16')
    expect(await autumn.locator('tfoot').innerText()).toMatch(/All sites\s+16\s+65\s+25\s?%/)
    expect(await page.locator(`[data-wave="${pastWaveId}"] tfoot`).innerText()).toMatch(/All sites\s+0\s+30\s+0\s?%/)
    expect(await page.locator(`[data-wave="${pastWaveId}"] caption`).innerText()).toMatch(/^Summer wave: ended \d+ \w+ \d{4}, still open$/)
    const tablets = page.getByTestId('tablets-today')
    expect(await tablets.locator(`tr[data-site="${study.site.id}"]`).innerText()).toMatch(/1\s+1\s+12$/)
    expect(await tablets.locator(`tr[data-site="${study.otherSite.id}"]`).innerText()).toMatch(/1\s+1\s+4$/)

    // The attention item leads where the problem is solved.
    await attention.getByRole('link', { name: 'See tablet Reception' }).click()
    await page.getByRole('heading', { level: 1, name: 'Tablets' }).waitFor()
    expect(page.url()).toContain(`#/tablets/${study.otherSite.id}`)
    await page.goto(`${origin}/console/#/`)
    await page.getByTestId('attention').waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    await shoot('console-overview')
  }, 60_000)

  it('shows site staff the overview of their own site only', async () => {
    const staff = await createTestAccount(database.db, 'site_staff', { siteId: study.otherSite.id })
    const own = await (await browser.newContext({ viewport: VIEWPORTS[0] })).newPage()
    await own.goto(`${origin}/console/`)
    await own.getByLabel('E-mail address').fill(staff.email)
    await own.getByLabel('Password').fill(TEST_PASSWORD)
    await own.getByRole('button', { name: 'Log in' }).click()
    await own.getByRole('heading', { level: 1, name: 'Overview' }).waitFor()
    await own.getByTestId('attention').waitFor()
    // Their tablet's warning and their wave, with their site alone; nothing of the other sites or waves.
    expect(await own.getByTestId('attention').locator('li').evaluateAll((elements) => elements.map((element) => element.getAttribute('data-kind'))))
      .toEqual(['tablet_warning', 'wave_behind_target'])
    expect(await own.locator(`[data-wave="${study.wave.id}"] tbody tr`).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-site')))).toEqual([study.otherSite.id])
    expect(await own.locator('[data-wave]').count()).toBe(1)
    expect(await own.getByTestId('tablets-today').locator('tbody tr').count()).toBe(1)
    expect(await own.locator('main').innerText()).not.toMatch(/Summer wave|Harbour|Test site 1/)
    expect(await seriousAxeViolations(own)).toEqual([])
    await shoot('console-overview-site-staff', own)
    await own.context().close()
  }, 60_000)

  it('enrols a test tablet from the console, counts its response apart and deletes it on demand', async () => {
    await page.setViewportSize(VIEWPORTS[1])
    await page.goto(`${origin}/console/#/survey-versions`)
    await page.getByRole('heading', { level: 2, name: 'Test mode' }).waitFor()
    const versionId = String(study.wave.survey_version_id)
    const count = page.locator(`[data-testid="test-count"][data-version="${versionId}"]`)
    expect(await count.innerText()).toBe('0')
    await page.getByTestId('test-version').selectOption(versionId)
    await page.getByTestId('test-site').selectOption(study.otherSite.id)
    await page.getByLabel('Tablet label (optional)').fill('Office trial')
    await page.getByRole('button', { name: 'Make test enrolment code' }).click()
    const code = await page.getByTestId('test-enrolment-code').innerText()
    expect(code).toMatch(/^\S{8}$/)
    expect(await seriousAxeViolations(page)).toEqual([])
    await shoot('console-test-mode-code')

    // The kiosk, enrolled with that code, is a test tablet: a response goes apart, never into the live tables.
    const kiosk = await (await browser.newContext({ viewport: VIEWPORTS[0] })).newPage()
    await kiosk.goto(`${origin}/kiosk/`)
    await kiosk.getByLabel(/Kode/).fill(code)
    await kiosk.getByRole('button', { name: /Registrer/ }).click()
    await kiosk.getByRole('button', { name: 'OK' }).click()
    await kiosk.getByTestId('test-band').waitFor({ timeout: 10_000 })
    await kiosk.getByTestId('start').click()
    await kiosk.getByRole('button', { name: 'English' }).click()
    await kiosk.getByTestId('page').waitFor()
    for (let step = 0; step < 80 && await kiosk.getByTestId('send').count() === 0; step += 1) {
      if (await kiosk.locator('[data-testid="page"] input[type="radio"]').count() > 0) await kiosk.locator('[data-testid="page"] label:has(input[type="radio"])').first().click()
      await kiosk.getByTestId('next').click()
      if (await kiosk.getByTestId('privacy-check').count() > 0) await kiosk.getByTestId('privacy-continue').click()
    }
    await kiosk.getByTestId('send').click()
    await kiosk.getByTestId('done').waitFor()
    await kiosk.close()
    await expect.poll(async () => (await database.db.selectFrom('test_responses').select('id').execute()).length, { timeout: 10_000 }).toBe(1)

    // The tablets list marks it; the versions screen counts its response; deleting asks first, then the count is 0.
    await page.goto(`${origin}/console/#/tablets`)
    const row = page.getByTestId('tablets').locator('tr', { hasText: 'Office trial' })
    expect(await row.getByTestId('test-tablet').innerText()).toBe('test tablet: hverdag v1')
    expect(await page.getByTestId('tablets').locator('tr', { hasText: 'Reception' }).getByTestId('test-tablet').count()).toBe(0)
    await page.goto(`${origin}/console/#/survey-versions`)
    await page.getByRole('heading', { level: 2, name: 'Test mode' }).waitFor()
    expect(await count.innerText()).toBe('1')
    await page.getByRole('button', { name: 'Delete test responses of hverdag v1' }).click()
    const dialog = page.getByRole('dialog')
    expect(await dialog.innerText()).toContain('Delete 1 test response of hverdag v1? This cannot be undone.')
    await shoot('console-test-mode-confirm')
    await dialog.getByRole('button', { name: 'Delete test responses' }).click()
    await page.getByTestId('announce').getByText('Deleted 1 test response of hverdag v1.').waitFor()
    await expect.poll(async () => await count.innerText()).toBe('0')
    expect(await database.db.selectFrom('test_responses').select('id').execute()).toEqual([])
  }, 120_000)

  it('groups the indicators by violence type and period, filters them by a search, chooses a group at once and counts the choice', async () => {
    await page.setViewportSize(VIEWPORTS[1])
    await page.goto(`${origin}/console/#/releases/${study.wave.id}`)
    await page.getByRole('heading', { level: 1, name: 'Results releases' }).waitFor()
    // The wave has two sites: the default method is the design-based one (the API's default from two sites).
    expect(await page.getByLabel('Interval method').locator('option:checked').innerText()).toContain('Default: Korn–Graubard with sites as clusters')
    await page.getByRole('button', { name: 'Add a table' }).click()
    const picker = page.getByTestId('indicator-picker')
    const groups = await picker.locator('.indicator-group h3').allInnerTexts()
    expect(groups.slice(0, 4)).toEqual(['Any violence', 'Any physical violence', 'Any sexual violence', 'Threatened, humiliated or controlled'])
    expect(await picker.locator('.indicator-group').first().locator('thead th').allInnerTexts()).toEqual(['Indicator', 'Ever', 'Last 12 months', 'Last month'])
    const countText = picker.getByTestId('indicator-count')
    expect(await countText.innerText()).toBe('No indicators chosen')

    // Keyboard: Tab from the search box to the first group's "choose all", on to the first indicator; Space ticks it.
    await picker.getByTestId('indicator-search').focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('group-all')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Any violence, ever')
    await page.keyboard.press('Space')
    expect(await countText.innerText()).toBe('1 indicator chosen')

    // A search keeps only the rows that match; "choose all" then takes the shown rows of the group only.
    await picker.getByTestId('indicator-search').fill('strangled')
    expect(await picker.locator('tbody tr:visible th').allInnerTexts()).toEqual(['Strangled or choked'])
    await picker.locator('.indicator-group:visible').getByTestId('group-all').check()
    expect(await countText.innerText()).toBe('4 indicators chosen')
    await picker.getByTestId('indicator-search').fill('no such violence')
    await picker.getByText('No indicator matches the search.').waitFor()
    await picker.getByTestId('indicator-search').fill('')
    expect(await picker.getByRole('checkbox', { name: 'Strangled or choked, last month', exact: true }).isChecked()).toBe(true)
    expect(await picker.getByRole('checkbox', { name: 'Pushed or shoved, ever', exact: true }).isChecked()).toBe(false)
    // The physical group's "choose all" is partly ticked now.
    expect(await picker.locator('[data-group="any_physical"]').getByTestId('group-all').evaluate((box) => (box as HTMLInputElement).indeterminate)).toBe(true)
    expect(await seriousAxeViolations(page)).toEqual([])
    await shoot('console-indicator-picker')

    // The preview asks for exactly the chosen indicators, in the order shown.
    await page.setViewportSize(VIEWPORTS[1])
    const sent = page.waitForRequest((request) => request.url().endsWith('/releases/preview'))
    await page.getByRole('button', { name: 'Preview the release of Autumn wave' }).click()
    const body = (await sent).postDataJSON() as ReleaseCreateBody
    expect(body.tables).toEqual([{ indicators: ['any_violence_ever', 'strangled_ever', 'strangled_12m', 'strangled_1m'], by: [] }])
    expect(body.method).toBeUndefined()
  }, 120_000)
})
