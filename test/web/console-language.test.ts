import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { currentTotp } from '../../api/auth/totp.js'
import type { SiteRow } from '../../api/db/database.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import type { ReleaseList } from '../../api/schemas/releases.js'
import { CompiledSurveyCache } from '../../api/services/compiled-surveys.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { seedSyntheticResponses } from '../../api/services/synthetic-responses.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { TEST_PASSWORD, createTestAccount, loginAs } from '../helpers/accounts.js'
import type { TestSession } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { FIVE_SITES, createWave, siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const
/** A code as the API sends it (municipal_low_threshold, site_staff, many_today, account.role_change …). */
const SNAKE = /\b[a-z]+_[a-z_]+\b/g
const ZONE = 'Europe/Oslo'

/**
 * The console in bokmål and English (README, "Console"): the login screen follows the browser or a remembered
 * choice, the header's switch is kept with the account, every screen in either language shows words and no
 * code, times are in the study's time zone whatever the browser's, the progress table fits, a public link
 * shows at once with a copy button, and the revoke dialog says what the README says.
 */
describe('the console in the account\'s language', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser
  let waveId: string
  let siteId: string
  let versionId: number
  let api: TestSession
  const admin = { email: '', totpSecret: '', id: '' }
  const staff = { email: '' }
  const tabletLabel = 'Night desk'
  const enrolledAt = new Date('2026-07-01T22:30:00Z')

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn', STUDY_TIME_ZONE: ZONE })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db)
    const sites: SiteRow[] = []
    for (const site of FIVE_SITES) sites.push(await createSite(database.db, siteFixture(site)))
    siteId = sites[0]!.id
    const version = await findSurveyVersion(database.db, 'hverdag', 1)
    versionId = version?.id as number
    const today = studyToday(ZONE)
    // A long wave: fifteen ISO weeks or so, the case that used to push Total/Target/Reached out of sight.
    const wave = await createWave(database.db, {
      name: 'Språkbølge', survey_version_id: versionId, opens_on: addDays(today, -40), closes_on: addDays(today, 50), status: 'open',
    }, sites.map((site) => ({ siteId: site.id, target: 120 })))
    waveId = wave.id
    await seedSyntheticResponses({ db: database.db, surveys: new CompiledSurveyCache(database.db), timeZone: ZONE }, { waveId, responses: 250, seed: 5 })
    // A tablet enrolled late on 1 July UTC: in Oslo it is already 2 July, 00:30.
    await database.db.insertInto('devices').values({ site_id: siteId, token_hash: 'a'.repeat(64), label: tabletLabel, revoked_at: null, last_upload_on: null }).execute()
    // The enrolment time is the database's own (never written by the app): set here, as the clock would have.
    await sql`update devices set enrolled_at = ${enrolledAt} where label = ${tabletLabel}`.execute(database.db)
    const created = await createTestAccount(database.db, 'admin')
    admin.email = created.email
    admin.totpSecret = created.totpSecret ?? ''
    admin.id = created.account.id
    staff.email = (await createTestAccount(database.db, 'site_staff', { siteId })).email
    api = await loginAs(app, database.db, 'researcher')
    const release = await app.inject({ method: 'POST', url: `/api/waves/${waveId}/releases`, headers: api.headers, payload: {} })
    expect(release.statusCode, release.body).toBe(201)
    browser = await launchChromium()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  // The admin starts each test without a choice of its own (one test switches it to bokmål).
  beforeEach(async () => { await database.db.updateTable('accounts').set({ language: null }).where('email', '=', admin.email).execute() })

  const newContext = async (locale: string): Promise<BrowserContext> =>
    // The browser's own zone is far from the study's: a time shown in Oslo's can only come from the session reply.
    await browser.newContext({ viewport: VIEWPORTS[1], locale, timezoneId: 'Asia/Tokyo' })

  /** Logs in with the labels of the login screen's language; the admin's second factor when asked. */
  const logIn = async (page: Page, email: string, lang: 'nb' | 'en', totpSecret?: string): Promise<void> => {
    const words = lang === 'nb' ? { email: 'E-postadresse', password: 'Passord', logIn: 'Logg inn', code: /6-sifret kode/ } : { email: 'E-mail address', password: 'Password', logIn: 'Log in', code: /6-digit code/ }
    await page.goto(`${origin}/console/`)
    await page.getByLabel(words.email).fill(email)
    await page.getByLabel(words.password, { exact: true }).fill(TEST_PASSWORD)
    await page.getByRole('button', { name: words.logIn }).click()
    if (totpSecret !== undefined) {
      // Several logins here fall in one 30-second step: the current code may be used again (the refusal of a
      // code used twice is test/api/accounts-and-sessions.test.ts's).
      await database.db.updateTable('accounts').set({ totp_last_step: null }).where('email', '=', email).execute()
      await page.getByLabel(words.code).fill(currentTotp(totpSecret, email))
      await page.getByRole('button', { name: words.logIn }).click()
    }
    await page.getByTestId('role').waitFor()
  }

  /** The visible words of the page: header, menu and screen, without the identifiers shown on purpose as code. */
  const visibleWords = async (page: Page): Promise<string> => await page.evaluate(() => {
    const copy = document.body.cloneNode(true) as HTMLElement
    for (const code of Array.from(copy.querySelectorAll('code, script, style, dialog:not([open])'))) code.remove()
    document.body.append(copy)
    copy.hidden = false
    const text = copy.innerText
    copy.remove()
    return text
  })

  it('shows the login screen in the browser\'s language, and keeps a choice made on it', async () => {
    const norwegian = await newContext('nb-NO')
    const page = await norwegian.newPage()
    await page.goto(`${origin}/console/`)
    await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor()
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nb')
    expect(await page.title()).toBe('Logg inn · Prevalens konsoll')
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor()
    await page.reload()
    await page.getByRole('heading', { level: 1, name: 'Log in' }).waitFor()
    await norwegian.close()

    const english = await newContext('en-GB')
    const other = await english.newPage()
    await other.goto(`${origin}/console/`)
    await other.getByRole('heading', { level: 1, name: 'Log in' }).waitFor()
    expect(await seriousAxeViolations(other)).toEqual([])
    await english.close()
  })

  it('keeps the language with the account: switched in the header, the next login on another browser opens in it', async () => {
    const first = await newContext('en-GB')
    const page = await first.newPage()
    await logIn(page, staff.email, 'en')
    expect(await page.getByTestId('role').textContent()).toBe('site staff')
    await page.getByTestId('language-switch').click()
    await page.getByTestId('role').getByText('ansatt på sted').waitFor()
    await page.getByRole('navigation', { name: 'Konsoll' }).getByRole('link', { name: 'Nettbrett' }).waitFor()
    const stored = await database.db.selectFrom('accounts').select('language').where('email', '=', staff.email).executeTakeFirstOrThrow()
    expect(stored.language).toBe('nb')
    await first.close()

    const second = await newContext('en-GB')
    const again = await second.newPage()
    await logIn(again, staff.email, 'en')
    await again.getByRole('heading', { level: 1, name: 'Oversikt' }).waitFor()
    expect(await again.evaluate(() => document.documentElement.lang)).toBe('nb')
    // Site staff's own screens, read-only, in words: the site's kind, the wave's status, the tablet's state.
    for (const [screen, heading] of [['sites', 'Steder'], ['waves', 'Bølger'], ['tablets', 'Nettbrett'], [`progress/${waveId}`, 'Framdrift']] as const) {
      await again.goto(`${origin}/console/#/${screen}`)
      await again.getByRole('heading', { level: 1, name: heading }).waitFor()
      await again.waitForLoadState('networkidle')
      expect({ screen, codes: (await visibleWords(again)).match(SNAKE) ?? [] }).toEqual({ screen, codes: [] })
      if (screen === 'tablets') expect(await again.getByTestId('tablets').innerText()).toContain('i bruk')
    }
    await second.close()
  })

  it('shows every screen in either language with words, never a code, and axe finds nothing serious', async () => {
    const context = await newContext('en-GB')
    const page = await context.newPage()
    await logIn(page, admin.email, 'en', admin.totpSecret)
    const releases = (await app.inject({ method: 'GET', url: `/api/waves/${waveId}/releases`, headers: api.headers })).json<ReleaseList>().releases
    const screens = ['', 'survey-versions', `survey-versions/${versionId}`, 'sites', 'waves', `waves/${waveId}`, 'tablets', `progress/${waveId}`,
      'help-resources', `exports/${waveId}`, `releases/${waveId}`, 'accounts', 'audit-log', 'password']
    const headings: Record<string, string[]> = { nb: [], en: [] }
    for (const lang of ['en', 'nb'] as const) {
      if (lang === 'nb') {
        await page.getByTestId('language-switch').click()
        await page.getByRole('navigation', { name: 'Konsoll' }).waitFor()
      }
      for (const screen of screens) {
        await page.goto(`${origin}/console/#/${screen}`)
        await page.locator('main h1').waitFor()
        // A screen that loads more after its heading (the audit log, a wave's releases) is done when nothing is "loading".
        await page.waitForLoadState('networkidle')
        if (screen.startsWith('releases/')) await page.getByTestId('releases').waitFor()
        headings[lang]!.push(await page.locator('main h1').innerText())
        const words = await visibleWords(page)
        expect({ screen, lang, codes: [...new Set(words.match(SNAKE) ?? [])] }).toEqual({ screen, lang, codes: [] })
        expect({ screen, lang, violations: await seriousAxeViolations(page) }).toEqual({ screen, lang, violations: [] })
        if (lang === 'nb') {
          const name = screen === '' ? 'overview' : screen.split('/')[0]!
          for (const viewport of VIEWPORTS) {
            await page.setViewportSize(viewport)
            await screenshot(page, `console-nb-${name}${screen.includes('/') ? '-one' : ''}-${viewport.width}x${viewport.height}`)
          }
          await page.setViewportSize(VIEWPORTS[1])
        }
      }
    }
    // Every heading but the ones that are names (a wave's, a survey's) differs between the two languages.
    const same = screens.filter((_screen, index) => headings.nb![index] === headings.en![index])
    expect(same).toEqual([`survey-versions/${versionId}`, `waves/${waveId}`])
    expect(releases).toHaveLength(1)
    await context.close()
  }, 240_000)

  it('shows times in the study time zone, written as the language writes them', async () => {
    const context = await newContext('en-GB')
    const page = await context.newPage()
    await logIn(page, admin.email, 'en', admin.totpSecret)
    await page.goto(`${origin}/console/#/tablets`)
    const row = page.getByTestId('tablets').locator('tr', { hasText: tabletLabel })
    // 22:30 UTC on 1 July is 00:30 on 2 July in Oslo (summer time); the browser itself is in Tokyo (07:30).
    expect(await row.innerText()).toContain('2 Jul 2026, 00:30 CEST')
    await page.getByTestId('language-switch').click()
    await page.getByRole('heading', { level: 1, name: 'Nettbrett' }).waitFor()
    expect(await page.getByTestId('tablets').locator('tr', { hasText: tabletLabel }).innerText()).toMatch(/2\. juli? 2026,? (kl\. )?00[:.]30 CEST/)
    // The audit log's latest entry (this login) at the minute the API stored it, in Oslo's time.
    const entries = await app.inject({ method: 'GET', url: '/api/audit-log?limit=1', headers: (await loginAs(app, database.db, 'auditor')).headers })
    const latest = entries.json<{ entries: Array<{ seq: number, at: string }> }>().entries[0]!
    const oslo = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(latest.at))
    await page.goto(`${origin}/console/#/audit-log`)
    const auditRow = page.getByTestId('audit-entries').locator('tbody tr').filter({ has: page.locator('td', { hasText: new RegExp(`^${latest.seq}$`) }) })
    expect(await auditRow.innerText()).toContain(oslo)
    await context.close()
  })

  it('fits the progress table: Total, Target and Reached visible without sideways scrolling at both sizes', async () => {
    const context = await newContext('en-GB')
    const page = await context.newPage()
    await logIn(page, admin.email, 'en', admin.totpSecret)
    await page.goto(`${origin}/console/#/progress/${waveId}`)
    await page.getByTestId('progress').waitFor()
    const weeks = await page.getByTestId('progress').locator('tfoot .weeks li').count()
    expect(weeks).toBeGreaterThanOrEqual(13)
    for (const lang of ['en', 'nb'] as const) {
      if (lang === 'nb') {
        await page.getByTestId('language-switch').click()
        await page.getByRole('heading', { level: 1, name: 'Framdrift' }).waitFor()
        // The heading is drawn before the progress itself arrives: wait for the table in bokmål.
        await page.getByTestId('progress').getByRole('columnheader', { name: 'Nådd', exact: true }).waitFor()
      }
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport)
        const fit = await page.evaluate(() => {
          const table = document.querySelector('[data-testid="progress"]') as HTMLElement
          const holder = table.parentElement as HTMLElement
          const right = Math.max(...Array.from(table.querySelectorAll('thead th')).map((th) => th.getBoundingClientRect().right))
          return {
            page: document.documentElement.scrollWidth <= document.documentElement.clientWidth,
            holder: holder.scrollWidth <= holder.clientWidth,
            headersInView: right <= document.documentElement.clientWidth,
          }
        })
        expect({ lang, viewport, ...fit }).toEqual({ lang, viewport, page: true, holder: true, headersInView: true })
        for (const name of lang === 'en' ? ['Total', 'Target', 'Reached'] : ['I alt', 'Mål', 'Nådd']) {
          expect(await page.getByTestId('progress').getByRole('columnheader', { name, exact: true }).isVisible()).toBe(true)
        }
        await screenshot(page, `console-progress-${lang}-${viewport.width}x${viewport.height}`)
      }
    }
    await context.close()
  })

  it('shows a new public link at once, with a copy button that copies it (or selects it) and says so', async () => {
    const context = await newContext('en-GB')
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin })
    const page = await context.newPage()
    await logIn(page, admin.email, 'en', admin.totpSecret)
    await page.goto(`${origin}/console/#/releases/${waveId}`)
    const row = page.getByTestId('releases').locator('tbody tr').first()
    expect(await row.getByTestId('has-public-link').innerText()).toBe('no')
    // A mark on the page that a reload would wipe.
    await page.evaluate(() => { (window as unknown as { kept: boolean }).kept = true })
    await row.getByRole('button', { name: 'Make public link' }).click()
    const address = page.getByTestId('public-link')
    await address.waitFor()
    expect(await page.getByTestId('releases').locator('tbody tr').first().getByTestId('has-public-link').innerText()).toBe('yes')
    expect(await page.evaluate(() => (window as unknown as { kept?: boolean }).kept)).toBe(true)
    const link = new URL(await address.innerText())
    expect(link.pathname).toBe('/results/')
    expect((await fetch(new URL(`/api/public/releases/${link.searchParams.get('link') ?? ''}`, origin))).status).toBe(200)
    await page.getByTestId('copy-link').click()
    await page.getByTestId('copy-confirmation').getByText('Copied to the clipboard.').waitFor()
    expect(await page.evaluate(async () => await navigator.clipboard.readText())).toBe(link.href)
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await screenshot(page, `console-public-link-${viewport.width}x${viewport.height}`)
    }
    expect(await seriousAxeViolations(page)).toEqual([])
    await context.close()

    // Without a clipboard the address is selected for Ctrl+C, and the page says what to do.
    const bare = await newContext('nb-NO')
    await bare.addInitScript(() => { Object.defineProperty(navigator, 'clipboard', { value: undefined }) })
    const second = await bare.newPage()
    await logIn(second, admin.email, 'nb', admin.totpSecret)
    await second.goto(`${origin}/console/#/releases/${waveId}`)
    await second.getByRole('button', { name: 'Ny offentlig lenke' }).click()
    const field = second.getByTestId('public-link-field')
    await field.waitFor()
    await second.getByTestId('copy-link').click()
    expect(await second.getByTestId('copy-confirmation').innerText()).toMatch(/^(Kopiert til utklippstavlen\.|Lenken er merket: trykk Ctrl\+C)/)
    const selected = await field.evaluate((input: HTMLInputElement) => document.activeElement === input && input.selectionStart === 0 && input.selectionEnd === input.value.length)
    expect(selected).toBe(true)
    expect(await field.inputValue()).toBe(await second.getByTestId('public-link').innerText())
    await bare.close()
  })

  it('asks before revoking a tablet in words that agree with the README: answers waiting on it are kept sealed', async () => {
    const context = await newContext('nb-NO')
    const page = await context.newPage()
    await logIn(page, admin.email, 'nb', admin.totpSecret)
    await page.goto(`${origin}/console/#/tablets`)
    await page.getByRole('button', { name: `Tilbakekall ${tabletLabel}` }).click()
    const dialog = page.getByRole('dialog')
    // README, "The kiosk offline": a refused token keeps the sealed queue; it is sent once the tablet is enrolled again.
    expect(await dialog.innerText()).toContain('Svar som venter på nettbrettet, blir liggende forseglet der og sendes når det registreres på nytt med en ny kode.')
    expect(await dialog.innerText()).not.toMatch(/slettes|går tapt|lost/)
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport)
      await screenshot(page, `console-revoke-nb-${viewport.width}x${viewport.height}`)
    }
    expect(await seriousAxeViolations(page)).toEqual([])
    await dialog.getByRole('button', { name: 'Avbryt' }).click()
    await context.close()
  })
})
