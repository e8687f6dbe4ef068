import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runAnalyze } from '../../api/cli/analyze-command.js'
import { currentTotp } from '../../api/auth/totp.js'
import { mulberry32 } from '../../api/synthetic/rng.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { ResultRowReply } from '../../api/schemas/results.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { syntheticAnswers } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { TEST_PASSWORD, createTestAccount, loginAs } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { mixAllHeld } from '../helpers/holding.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'
import { SITE_KIND_LABELS } from '../../api/services/site-reference.js'

/** Responses sent with the enrolled tablet's token: enough that some cells by gender pass k = 5. */
const RESPONSES = 60

interface Posted { id: string, answers: Record<string, unknown> }

/**
 * A researcher runs a small study through the console in Chromium, against the real app and database:
 * log in with the second factor, a site, a wave, open it, an enrolment code that a kiosk uses, responses,
 * progress, the CSV export, whose analysis equals the results API; then the audit log, read as an auditor.
 */
describe('the researcher console in a browser', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let office: BrowserContext
  let page: Page
  let dir: string
  const cspViolations: string[] = []
  const axe: Record<string, unknown[]> = {}
  const researcher = { email: '', totpSecret: '' }
  const study = { siteId: '', waveId: '', code: '', token: '', csv: '' }
  const posted: Posted[] = []

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db)
    const created = await createTestAccount(database.db, 'researcher')
    researcher.email = created.email
    researcher.totpSecret = created.totpSecret ?? ''
    dir = mkdtempSync(join(tmpdir(), 'prevalens-console-'))
    browser = await launchChromium()
    office = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true })
    await office.exposeFunction('reportCspViolation', (text: string) => { cspViolations.push(text) })
    await office.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`)
      })
    })
    page = await office.newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  /** Goes to a screen and waits for its own heading (a hash change redraws after the previous screen's is gone). */
  const go = async (hash: string, heading: string): Promise<void> => {
    await page.goto(`${origin}/console/#/${hash}`)
    await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor()
  }
  /** Scans the screen as it is now with axe-core and keeps a screenshot of it. */
  const check = async (name: string): Promise<void> => {
    axe[name] = await seriousAxeViolations(page)
    await screenshot(page, `console-${name}`)
  }

  it('logs a researcher in with password and then the 6-digit code the API asks for, and shows the role', async () => {
    await page.goto(`${origin}/console/`)
    expect(await page.title()).toContain('Prevalens console')
    await page.getByLabel('E-mail address').fill(researcher.email)
    await page.getByLabel('Password').fill(TEST_PASSWORD)
    await check('login')
    await page.getByRole('button', { name: 'Log in' }).click()
    const code = page.getByLabel(/6-digit code/)
    await code.waitFor()
    await code.fill(currentTotp(researcher.totpSecret, researcher.email))
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByTestId('role').waitFor()
    expect(await page.getByTestId('role').textContent()).toBe('researcher')
    expect(await page.getByTestId('who').textContent()).toContain(researcher.email)
    // What a researcher may not do is not offered.
    const menu = await page.getByRole('navigation', { name: 'Console' }).innerText()
    expect(menu).toContain('Waves')
    expect(menu).not.toContain('Accounts')
    expect(menu).not.toContain('Audit log')
    await check('overview')
  })

  it('creates a site with a municipality from the reference list', async () => {
    await go('sites', 'Sites')
    const form = page.getByTestId('site-form')
    await form.getByLabel('Name').fill('Console test site')
    await form.getByLabel('Kind of service').selectOption('street_outreach')
    await form.getByLabel('Municipality').selectOption('4601')
    await form.getByLabel('Centrality class').selectOption('2')
    await form.getByRole('button', { name: 'Create site' }).click()
    await page.getByTestId('sites').getByRole('cell', { name: 'Console test site', exact: true }).waitFor()
    const row = await database.db.selectFrom('sites').selectAll().where('name', '=', 'Console test site').executeTakeFirstOrThrow()
    expect([row.kind, row.municipality_number, row.county_number, row.centrality]).toEqual(['street_outreach', '4601', '46', 2])
    study.siteId = row.id
    await check('sites')
  })

  it('plans a wave with a target at that site and opens it', async () => {
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    const today = studyToday('Europe/Oslo')
    await go('waves', 'Waves')
    const form = page.getByTestId('wave-form')
    await form.getByLabel('Name').fill('Console wave')
    await form.getByLabel('Survey version').selectOption(String(version?.id))
    await form.getByLabel('Opens on').fill(today)
    await form.getByLabel('Closes on').fill(addDays(today, 30))
    await form.getByLabel('Grace days').fill('7')
    await form.getByRole('checkbox', { name: 'Console test site' }).check()
    await form.getByLabel('Target for Console test site').fill('80')
    await check('waves')
    await form.getByRole('button', { name: 'Plan wave' }).click()
    await page.getByTestId('open-wave').waitFor()
    await page.getByTestId('announce').getByText('Planned Console wave. Open it when the sites are ready.').waitFor()
    study.waveId = page.url().split('/').at(-1) ?? ''
    expect(await page.getByTestId('wave-status').textContent()).toBe('planned')
    await page.getByTestId('open-wave').click()
    await page.getByTestId('close-wave').waitFor()
    expect(await page.getByTestId('wave-status').textContent()).toBe('open')
    expect(await page.getByTestId('announce').textContent()).toBe('Console wave is now open.')
    const wave = await database.db.selectFrom('waves').select(['status', 'grace_days']).where('id', '=', study.waveId).executeTakeFirstOrThrow()
    expect(wave).toEqual({ status: 'open', grace_days: 7 })
    await check('wave')
  })

  it('makes a one-time enrolment code that a kiosk in another page enrols with', async () => {
    await go('tablets', 'Tablets')
    const form = page.getByTestId('code-form')
    await form.getByLabel('Site').selectOption(study.siteId)
    await form.getByLabel(/Tablet label/).fill('Front desk')
    await form.getByRole('button', { name: 'Make enrolment code' }).click()
    study.code = (await page.getByTestId('enrolment-code').textContent()) ?? ''
    expect(study.code).toMatch(/^[A-Z0-9]{8}$/)
    expect(Date.parse((await page.getByTestId('code-expiry').getAttribute('datetime')) ?? '')).toBeGreaterThan(Date.now())
    await check('tablets')

    const tablet = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const kiosk = await tablet.newPage()
    await kiosk.goto(`${origin}/kiosk/`)
    await kiosk.getByLabel(/Kode/).fill(study.code)
    await kiosk.getByRole('button', { name: /Registrer/ }).click()
    await kiosk.getByText('Registrert ved Console test site').waitFor()
    study.token = (await kiosk.evaluate(() => localStorage.getItem('kiosk.device'))) ?? ''
    await kiosk.getByRole('button', { name: 'OK' }).click()
    await kiosk.getByTestId('start').waitFor()
    await tablet.close()
    expect(study.token).not.toBe('')

    await page.reload()
    await page.getByTestId('tablets').getByRole('cell', { name: 'Front desk', exact: true }).waitFor()
  })

  it('takes responses from the enrolled tablet, and progress shows them per site and week against the target', async () => {
    const version = await new CompiledSurveyCache(database.db).forWave(study.waveId)
    if (version === undefined) throw new Error('the wave has no survey version')
    const rng = mulberry32(20261126)
    for (let i = 0; i < RESPONSES; i += 1) {
      const body = { id: randomUUID(), waveId: study.waveId, answers: syntheticAnswers(version.survey, rng, 1) }
      const reply = await fetch(`${origin}/api/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${study.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(reply.status, await reply.clone().text()).toBe(201)
      posted.push(body)
    }
    await go(`progress/${study.waveId}`, 'Progress')
    const row = page.getByTestId('progress').locator(`tr[data-site="${study.siteId}"]`)
    await row.waitFor()
    expect(await row.getByTestId('site-total').textContent()).toBe(String(RESPONSES))
    // All arrived this week: that week's cell holds them, and the share of the target follows.
    expect(await row.innerText()).toContain(`${Math.round(100 * RESPONSES / 80)}%`)
    expect(await page.getByTestId('progress-chart').getAttribute('aria-label')).toContain(`Console test site: ${RESPONSES} of 80`)
    // Counts only: no answer code of any response is on the page.
    const text = await page.locator('main').innerText()
    for (const word of ['woman', 'several', 'heroin', 'prefer_not']) expect(text).not.toContain(word)
    await check('progress')

    await page.goto(`${origin}/console/#/tablets/${study.siteId}`)
    const tabletRow = page.getByTestId('tablets').locator('tr', { hasText: 'Front desk' })
    await tabletRow.waitFor()
    expect(await tabletRow.innerText()).toContain(String(RESPONSES))
    await screenshot(page, 'console-tablets-uploads')

    // Revoking asks first; Escape keeps the tablet, confirming revokes it and its token stops working.
    await tabletRow.getByRole('button', { name: 'Revoke Front desk' }).click()
    await page.keyboard.press('Escape')
    expect(await tabletRow.innerText()).toContain('active')
    await tabletRow.getByRole('button', { name: 'Revoke Front desk' }).click()
    // What the dialog promises is what the kiosk does (web/kiosk/src/upload-queue.ts): sealed answers wait, not lost.
    expect(await page.getByRole('dialog').innerText()).toContain('Answers waiting on it stay sealed on the tablet and are sent once it is enrolled again')
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke tablet' }).click()
    await page.getByTestId('announce').getByText('Front desk is revoked.').waitFor()
    expect(await page.getByTestId('tablets').locator('tr', { hasText: 'Front desk' }).innerText()).toContain('revoked')
    const refused = await fetch(`${origin}/api/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${study.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: randomUUID(), waveId: study.waveId, answers: {} }),
    })
    expect(refused.status).toBe(401)
  })

  it('exports the wave as CSV, and the analyze command on that file gives the same figures as the results API', async () => {
    await mixAllHeld(database.db) // the end of the week: the held responses enter the analysis tables
    await go(`exports/${study.waveId}`, 'Exports')
    await check('exports')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-microdata.csv').click()])
    const file = join(dir, 'microdata.csv')
    await download.saveAs(file)
    study.csv = readFileSync(file, 'utf8')
    const lines = study.csv.trimEnd().split('\n')
    expect(lines).toHaveLength(RESPONSES + 1)
    expect(lines[0]?.split(',').slice(0, 9)).toEqual(['wave', 'site', 'site_kind', 'county', 'municipality', 'centrality', 'gender', 'age_group', 'iso_week'])

    const fromApi = await page.evaluate(async (waveId) => {
      const reply = await fetch(`/api/results?waves=${waveId}&by=gender`)
      return await reply.json() as { rows: ResultRowReply[] }
    }, study.waveId)
    const indicators = [...new Set(fromApi.rows.map((row) => row.indicator))]
    expect(indicators.length).toBeGreaterThan(10)
    let stdout = ''
    const status = runAnalyze(['--input', file, '--by', 'gender', '--indicators', indicators.join(',')], {
      readFile: (path) => readFileSync(path, 'utf8'),
      stdout: (text) => { stdout += text },
      stderr: (text) => { throw new Error(text) },
    })
    expect(status).toBe(0)
    const fromCli = JSON.parse(stdout) as ResultRowReply[]
    const key = (row: ResultRowReply): string => `${row.indicator} ${JSON.stringify(row.group)}`
    const sorted = (rows: ResultRowReply[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)))
    const apiRows = sorted(fromApi.rows)
    const cliRows = sorted(fromCli)
    expect(cliRows.map(key)).toEqual(apiRows.map(key))
    apiRows.forEach((row, index) => {
      const other = cliRows[index] as ResultRowReply
      expect([other.n, other.count, other.suppressed, other.rule]).toEqual([row.n, row.count, row.suppressed, row.rule])
      for (const field of ['estimate', 'ci_low', 'ci_high'] as const) {
        expect(other[field] === undefined).toBe(row[field] === undefined)
        if (row[field] !== undefined) expect(Math.abs((other[field] ?? Number.NaN) - row[field])).toBeLessThan(1e-9)
      }
    })
    // Not every cell is hidden: the comparison covers real estimates.
    expect(apiRows.filter((row) => !row.suppressed && row.estimate !== undefined).length).toBeGreaterThan(5)
  })

  it('downloads the SPSS file with labels in the language picked', async () => {
    await page.getByLabel('Labels in SPSS and Stata files').selectOption('en')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-microdata.sav').click()])
    const file = join(dir, 'microdata.sav')
    await download.saveAs(file)
    const sav = readFileSync(file)
    expect(sav.subarray(0, 4).toString('latin1')).toBe('$FL2')
    expect(sav.includes(Buffer.from('Prefer not to say'))).toBe(true)
    expect(sav.includes(Buffer.from('Vil ikke svare'))).toBe(false)
    expect(await page.getByTestId('export-read-microdata.do').getAttribute('href')).toMatch(/read-microdata\.do\?language=en$/)
    await page.getByLabel(/Include free-text answers/).check()
    expect(await page.getByTestId('export-microdata.csv').getAttribute('href')).toMatch(/\?freeText=true$/)
    expect(await page.getByTestId('export-microdata.dta').getAttribute('href')).toMatch(/\?language=en$/)
    await page.getByLabel(/Include free-text answers/).uncheck()
    for (const viewport of [{ width: 800, height: 1280 }, { width: 1440, height: 900 }]) {
      await page.setViewportSize(viewport)
      await screenshot(page, `console-exports-${viewport.width}x${viewport.height}`)
    }
    await page.setViewportSize({ width: 1280, height: 900 })
  })

  it('the audit log, read by an auditor, has an entry for each step and no answer in any of them', async () => {
    const auditor = await loginAs(app, database.db, 'auditor')
    const reply = await app.inject({ method: 'GET', url: '/api/audit-log?limit=1000', headers: auditor.headers })
    expect(reply.statusCode, reply.body).toBe(200)
    const entries = (reply.json() as { entries: Array<{ action: string, actorEmail: string | null, objectId: string | null, detail: Record<string, unknown> }> }).entries
    const byResearcher = entries.filter((entry) => entry.actorEmail === researcher.email)
    const did = (action: string, objectId?: string): boolean =>
      byResearcher.some((entry) => entry.action === action && (objectId === undefined || entry.objectId === objectId))
    expect(did('session.login')).toBe(true)
    expect(did('site.create', study.siteId)).toBe(true)
    expect(did('wave.create', study.waveId)).toBe(true)
    expect(did('wave.open', study.waveId)).toBe(true)
    expect(did('tablet.enrolment_code')).toBe(true)
    expect(did('export.csv', study.waveId)).toBe(true)
    expect(did('export.sav', study.waveId)).toBe(true)
    expect(did('tablet.revoke')).toBe(true)

    const logged = JSON.stringify(entries)
    for (const response of posted) {
      expect(logged).not.toContain(response.id)
      for (const question of Object.keys(response.answers)) expect(logged).not.toContain(`"${question}"`)
    }
    expect(logged).not.toContain('"answers"')
  })

  it('the audit log has the tablet\'s enrolment itself (no staff session: the code\'s maker is on the code\'s entry)', async () => {
    const auditor = await loginAs(app, database.db, 'auditor')
    const reply = await app.inject({ method: 'GET', url: '/api/audit-log?limit=1000', headers: auditor.headers })
    const actions = [...new Set((reply.json() as { entries: Array<{ action: string }> }).entries.map((entry) => entry.action))]
    expect(actions.filter((action) => /^(tablet|device)\.enrol/.test(action) && action !== 'tablet.enrolment_code'), `no tablet enrolment among ${actions.join(', ')}`).toHaveLength(1)
  })

  it('shows the audit log, filtered, and its chain check to an auditor in the console', async () => {
    const auditor = await createTestAccount(database.db, 'auditor')
    const other = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const auditorPage = await other.newPage()
    await auditorPage.goto(`${origin}/console/`)
    await auditorPage.getByLabel('E-mail address').fill(auditor.email)
    await auditorPage.getByLabel('Password').fill(TEST_PASSWORD)
    await auditorPage.getByRole('button', { name: 'Log in' }).click()
    expect(await auditorPage.getByTestId('role').textContent()).toBe('auditor')
    await auditorPage.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).click()
    await auditorPage.getByTestId('chain-check').getByText(/^Intact: all \d+ entries/).waitFor()
    await auditorPage.getByLabel('Action').selectOption({ label: 'Wave opened' })
    await auditorPage.getByRole('button', { name: 'Filter' }).click()
    // The unfiltered list names the wave too: wait for the filtered answer itself.
    await auditorPage.getByTestId('audit-count').getByText('1 entry, newest first.').waitFor()
    const rows = auditorPage.getByTestId('audit-entries').locator('tbody tr')
    expect(await rows.count()).toBe(1)
    expect(await rows.first().innerText()).toContain(study.waveId)
    axe['audit-log'] = await seriousAxeViolations(auditorPage)
    await screenshot(auditorPage, 'console-audit-log')
    await other.close()
  })

  it('shows site staff only their own site\'s screens, with no way to change sites or waves', async () => {
    const staff = await createTestAccount(database.db, 'site_staff', { siteId: study.siteId })
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const staffPage = await context.newPage()
    await staffPage.goto(`${origin}/console/`)
    await staffPage.getByLabel('E-mail address').fill(staff.email)
    await staffPage.getByLabel('Password').fill(TEST_PASSWORD)
    await staffPage.getByRole('button', { name: 'Log in' }).click()
    expect(await staffPage.getByTestId('role').textContent()).toBe('site staff')
    const menu = staffPage.getByRole('navigation', { name: 'Console' }).getByRole('link')
    expect(await menu.allTextContents()).toEqual(['Overview', 'Sites', 'Waves', 'Tablets', 'Progress'])
    await staffPage.goto(`${origin}/console/#/sites`)
    await staffPage.getByTestId('sites').waitFor()
    expect(await staffPage.getByTestId('sites').locator('tbody tr').allInnerTexts()).toEqual([expect.stringContaining('Console test site')])
    // The kind by its name, never its code; and no form to change the site.
    const staffRow = await staffPage.getByTestId('sites').locator('tbody tr').innerText()
    expect(staffRow).toContain(SITE_KIND_LABELS.street_outreach.en)
    expect(staffRow).not.toContain('street_outreach')
    expect(await staffPage.getByRole('button', { name: /^Edit / }).count()).toBe(0)
    expect(await staffPage.getByTestId('site-form').count()).toBe(0)
    await staffPage.goto(`${origin}/console/#/waves/${study.waveId}`)
    await staffPage.getByTestId('wave-status').waitFor()
    expect(await staffPage.getByTestId('close-wave').count()).toBe(0)
    await staffPage.goto(`${origin}/console/#/accounts`)
    expect(await staffPage.getByRole('alert').textContent()).toBe('A site staff account may not use this page.')
    await context.close()
  })

  it('lets an admin publish (showing the API\'s problems), read a version, keep help data, see a refusal, release results and manage accounts', async () => {
    const admin = await createTestAccount(database.db, 'admin')
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const adminPage = await context.newPage()
    const visit = async (hash: string, heading: string): Promise<void> => {
      await adminPage.goto(`${origin}/console/#/${hash}`)
      await adminPage.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor()
    }
    const scan = async (name: string): Promise<void> => {
      axe[name] = await seriousAxeViolations(adminPage)
      await screenshot(adminPage, `console-${name}`)
    }
    await adminPage.goto(`${origin}/console/`)
    await adminPage.getByLabel('E-mail address').fill(admin.email)
    await adminPage.getByLabel('Password').fill(TEST_PASSWORD)
    await adminPage.getByRole('button', { name: 'Log in' }).click()
    await adminPage.getByLabel(/6-digit code/).fill(currentTotp(admin.totpSecret ?? '', admin.email))
    await adminPage.getByRole('button', { name: 'Log in' }).click()
    expect(await adminPage.getByTestId('role').textContent()).toBe('admin')

    // An upload that fails definitions:check: every problem the API names is listed, nothing is published.
    await visit('survey-versions', 'Survey versions')
    await adminPage.getByTestId('versions').getByRole('cell', { name: 'hverdag', exact: true }).first().waitFor()
    // Versions 1 and 2 are shipped and published; the broken upload would be version 3.
    await adminPage.getByLabel('Version number').fill('3')
    await adminPage.getByLabel(/Survey definition/).setInputFiles(new URL('../fixtures/definitions-broken/unknown-choice/v1.survey.json', import.meta.url).pathname)
    await adminPage.getByLabel(/Indicator map/).setInputFiles(new URL('../fixtures/definitions-broken/unknown-choice/v1.indicators.json', import.meta.url).pathname)
    await adminPage.getByRole('button', { name: 'Check and publish' }).click()
    await adminPage.getByTestId('problems').waitFor()
    // The refusal in words, by its code (kept out of sight), with the server's own message as the detail.
    expect(await adminPage.locator('[role="alert"][data-code="invalid_definition"]').innerText()).toContain('The survey definition has problems')
    expect(await database.db.selectFrom('survey_versions').select('id').where('slug', '=', 'hverdag').where('version', '=', 3).executeTakeFirst()).toBeUndefined()
    await scan('survey-versions')

    await adminPage.getByRole('link', { name: 'View hverdag v1' }).click()
    await adminPage.getByTestId('definition').getByText('What is your gender?').waitFor()
    await adminPage.getByRole('button', { name: 'Vis på bokmål' }).click()
    await adminPage.getByTestId('definition').getByText('Hva er kjønnet ditt?').waitFor()
    await scan('survey-version')

    // Help data older than the limit: the console says so, and opening a wave is refused in plain words.
    await visit('help-resources', 'Help resources')
    await adminPage.getByRole('button', { name: /^Edit / }).first().click()
    const checked = adminPage.getByLabel('Checked on')
    const wasChecked = await checked.inputValue()
    await checked.fill('2000-01-01')
    await adminPage.getByRole('button', { name: 'Save helpline' }).click()
    await adminPage.getByTestId('help-freshness').getByText(/no wave can be opened/).waitFor()
    await scan('help-resources')
    await visit('waves', 'Waves')
    const form = adminPage.getByTestId('wave-form')
    const today = studyToday('Europe/Oslo')
    await form.getByLabel('Name').fill('Stale help wave')
    await form.getByLabel('Opens on').fill(today)
    await form.getByLabel('Closes on').fill(addDays(today, 10))
    await form.getByRole('checkbox', { name: 'Console test site' }).check()
    await form.getByRole('button', { name: 'Plan wave' }).click()
    await adminPage.getByTestId('open-wave').click()
    const stale = adminPage.locator('[role="alert"][data-code="help_data_stale"]')
    expect(await stale.innerText()).toContain('The help resources were checked too long ago')
    expect(await stale.getByTestId('error-detail').innerText()).toMatch(/help/)
    expect(await adminPage.getByTestId('wave-status').textContent()).toBe('planned')
    // Still planned, so the plan can change.
    await form.getByLabel('Grace days').fill('3')
    await form.getByRole('button', { name: 'Save plan' }).click()
    await adminPage.getByTestId('announce').getByText('Saved the plan of Stale help wave.').waitFor()
    await adminPage.getByText('then 3 grace days for late uploads').waitFor()
    await visit('help-resources', 'Help resources')
    await adminPage.getByRole('button', { name: /^Edit / }).first().click()
    await adminPage.getByLabel('Checked on').fill(wasChecked)
    await adminPage.getByRole('button', { name: 'Save helpline' }).click()
    await adminPage.getByTestId('help-freshness').getByText(/must be checked at least every/).waitFor()

    // A release of the console wave with one added table, and a public link that works without an account.
    await visit(`releases/${study.waveId}`, 'Results releases')
    await adminPage.getByRole('button', { name: 'Add a table' }).click()
    await adminPage.getByRole('checkbox', { name: 'Pushed or shoved, ever', exact: true }).check()
    await adminPage.getByRole('checkbox', { name: 'Gender' }).check()
    await adminPage.getByRole('button', { name: 'Preview the release of Console wave' }).click()
    await adminPage.getByTestId('audit-verdict').waitFor({ timeout: 60_000 })
    await adminPage.getByRole('button', { name: 'Release Console wave' }).click()
    await adminPage.getByTestId('releases').getByRole('cell', { name: 'current' }).waitFor()
    await adminPage.getByRole('button', { name: 'Make public link' }).click()
    const link = new URL((await adminPage.getByTestId('public-link').textContent()) ?? '')
    expect(link.pathname).toBe('/results/')
    const shared = await fetch(new URL(`/api/public/releases/${link.searchParams.get('link') ?? ''}`, link))
    expect(shared.status).toBe(200)
    expect(((await shared.json()) as { release: { waveId: string } }).release.waveId).toBe(study.waveId)
    await scan('releases')

    // Accounts: created with a generated password shown once, role changed, then disabled (with a confirmation).
    await visit('accounts', 'Accounts')
    const email = `staff-${randomUUID().slice(0, 8)}@example.org`
    const accountForm = adminPage.getByTestId('account-form')
    await accountForm.getByLabel('E-mail address').fill(email)
    await accountForm.getByLabel('Role').selectOption('site_staff')
    await accountForm.getByLabel(/^Site/).selectOption(study.siteId)
    await accountForm.getByRole('button', { name: 'Create account' }).click()
    expect((await adminPage.getByTestId('generated-password').textContent())?.length).toBeGreaterThan(11)
    await scan('accounts')
    await adminPage.getByRole('button', { name: 'Done: I have passed them on' }).click()
    await adminPage.getByLabel(`Role of ${email}`).selectOption('funder')
    await adminPage.getByRole('button', { name: `Change role of ${email}` }).click()
    await adminPage.getByTestId('announce').getByText(`${email}: role is now funder.`).waitFor()
    await adminPage.getByRole('button', { name: `Disable ${email}` }).click()
    await adminPage.getByRole('button', { name: 'Disable account' }).click()
    await adminPage.getByRole('button', { name: `Enable ${email}` }).waitFor()
    const account = await database.db.selectFrom('accounts').select(['role', 'site_id', 'disabled_at']).where('email', '=', email).executeTakeFirstOrThrow()
    expect([account.role, account.site_id, account.disabled_at === null]).toEqual(['funder', null, false])
    await context.close()
  })

  it('no main screen has a serious or critical axe violation, and nothing broke the Content-Security-Policy', () => {
    expect(Object.keys(axe).sort()).toEqual(['accounts', 'audit-log', 'exports', 'help-resources', 'login', 'overview', 'progress', 'releases', 'sites', 'survey-version', 'survey-versions', 'tablets', 'wave', 'waves'])
    for (const [screen, violations] of Object.entries(axe)) expect({ screen, violations }).toEqual({ screen, violations: [] })
    expect(cspViolations).toEqual([])
  })

  it('logs out and then shows the login screen again', async () => {
    await go('', 'Overview')
    await page.getByTestId('logout').click()
    await page.getByText('You are logged out.').waitFor()
    const after = await page.evaluate(async () => (await fetch('/api/session')).status)
    expect(after).toBe(401)
  })
})
