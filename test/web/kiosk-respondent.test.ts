import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const
const sizeName = (viewport: { width: number, height: number }): string => `${viewport.width}x${viewport.height}`

/** What a respondent meets: help that closes at the top, an idle prompt that hides the page, their own language. */
describe('the kiosk for a respondent: help, idle prompt, language, progress, follow-ups', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let study: StudyFixture
  let browser: Browser
  let tablet: BrowserContext
  let page: Page

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    study = await createStudy(database.db)
    browser = await launchChromium()
    tablet = await browser.newContext({ viewport: VIEWPORTS[0] })
    page = await tablet.newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  const kiosk = (): string => `${origin}/kiosk/`

  async function startSurvey (lang: 'nb' | 'en'): Promise<void> {
    await page.getByTestId('start').click({ timeout: 10_000 })
    await page.getByRole('button', { name: lang === 'nb' ? 'Norsk (bokmål)' : 'English' }).click()
    await page.getByTestId('page').waitFor()
  }

  /** Opens help until the site's help data (not the offline fallback) is in it: it arrives with the cover. */
  async function openHelpWithData (): Promise<void> {
    const dialog = page.getByTestId('help-dialog')
    await expect.poll(async () => {
      if (await dialog.count() > 0) await dialog.getByTestId('close-help').click()
      await page.getByTestId('open-help').click()
      return await dialog.getByTestId('help-county').count()
    }, { timeout: 10_000 }).toBeGreaterThan(0)
  }

  /** The element's box lies wholly inside the window, without scrolling. */
  async function inView (testId: string): Promise<boolean> {
    return await page.getByTestId(testId).first().evaluate((element) => {
      const box = element.getBoundingClientRect()
      return box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth && box.height > 0
    })
  }

  /** Types `code` on the enrolment screen and returns what the screen then says. */
  async function tryCode (on: Page, code: string): Promise<string> {
    const status = on.getByTestId('enrol-status')
    await on.getByLabel(/Kode/).fill(code)
    await on.getByRole('button', { name: /Registrer/ }).click()
    await expect.poll(async () => await status.innerText(), { timeout: 10_000 }).not.toMatch(/^(…)?$/)
    return await status.innerText()
  }

  it('enrols the tablet; a wrong, a used code or no connection is told in bokmål and English, never in the API\'s words', async () => {
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    await page.goto(kiosk())
    const wrong = await tryCode(page, 'ZZZZ-ZZZZ')
    expect(wrong).toBe('Koden er ukjent. Sjekk den og skriv den inn på nytt, eller be om en ny kode. / This code is not known. Check it and type it again, or ask for a new code.')
    expect(wrong).not.toContain('enrolment code')
    await screenshot(page, 'respondent-enrol-wrong-code-800x1280')

    await page.route('**/api/devices/enrol', async (route) => { await route.abort('internetdisconnected') })
    expect(await tryCode(page, code)).toMatch(/^Ingen forbindelse til serveren\. .* \/ No connection to the server\./)
    await page.unroute('**/api/devices/enrol')

    await page.getByLabel(/Kode/).fill(code)
    await page.getByRole('button', { name: /Registrer/ }).click()
    await page.getByText(`Registrert ved ${study.site.name}`).waitFor()
    await page.getByRole('button', { name: 'OK' }).click()
    await page.getByTestId('start').waitFor()

    // The same code on a second tablet: already used.
    const other = await tablet.browser()!.newContext({ viewport: VIEWPORTS[1] })
    try {
      const second = await other.newPage()
      await second.goto(kiosk())
      const used = await tryCode(second, code)
      expect(used).toMatch(/^Koden er allerede brukt.* \/ This code has already been used/)
      expect(used).not.toContain('enrolment code')
      await screenshot(second, 'respondent-enrol-used-code-1440x900')
    } finally {
      await other.close()
    }
  })

  for (const viewport of VIEWPORTS) {
    it(`help at ${sizeName(viewport)}: close at the top, as large as quick exit and not red; Escape closes it; the respondent's language`, async () => {
      await page.setViewportSize(viewport)
      await page.goto(kiosk())
      await page.getByTestId('start').waitFor()
      await openHelpWithData()
      const dialog = page.getByTestId('help-dialog')

      // From the bilingual cover: both languages, bokmål first, and both on the controls.
      const text = await dialog.getByTestId('help').innerText()
      expect(text.indexOf('Hvor du kan få hjelp')).toBeGreaterThanOrEqual(0)
      expect(text.indexOf('Where to get help')).toBeGreaterThan(text.indexOf('Hvor du kan få hjelp'))
      expect(await dialog.getByTestId('close-help').innerText()).toContain('Lukk / Close')
      expect(await dialog.getByTestId('quick-exit').innerText()).toBe('Avslutt raskt / Quick exit')

      const looks = async (): Promise<Record<'close' | 'exit', { width: number, height: number, background: string }>> => await dialog.evaluate((element) => {
        const look = (selector: string): { width: number, height: number, background: string } => {
          const button = element.querySelector(selector)!
          const box = button.getBoundingClientRect()
          return { width: box.width, height: box.height, background: getComputedStyle(button).backgroundColor }
        }
        return { close: look('[data-testid="close-help"]'), exit: look('[data-testid="quick-exit"]') }
      })
      const { close, exit } = await looks()
      expect(exit.background).toBe('rgb(138, 28, 28)')
      expect(close.background).not.toBe(exit.background)
      expect(close.height).toBeGreaterThanOrEqual(exit.height - 1)
      expect(close.width).toBeGreaterThanOrEqual(exit.width * 0.9)
      expect(close.height).toBeGreaterThanOrEqual(56)
      expect(await inView('close-help')).toBe(true)
      expect(await inView('quick-exit')).toBe(true)
      expect(await seriousAxeViolations(page)).toEqual([])
      await screenshot(page, `respondent-help-cover-${sizeName(viewport)}`)

      // Scrolled to the end of the help, the close control is still on screen.
      await dialog.evaluate((element) => { element.scrollTop = element.scrollHeight })
      expect(await dialog.evaluate((element) => element.scrollTop)).toBeGreaterThan(0)
      expect(await inView('close-help')).toBe(true)

      // Escape inside the dialog closes help and stays on the cover: no reload, no quick exit.
      let reloaded = false
      page.once('load', () => { reloaded = true })
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'detached', timeout: 2000 })
      expect(await page.getByTestId('start').isVisible()).toBe(true)

      // Once English is chosen, help is in English only, with a way to bokmål.
      await startSurvey('en')
      expect(await page.title()).toBe('Everyday life and health')
      await page.getByTestId('open-help').click()
      const english = await dialog.getByTestId('help').innerText()
      expect(english).toContain('Where to get help')
      expect(english).not.toContain('Hvor du kan få hjelp')
      expect((await dialog.getByTestId('close-help').innerText()).trim()).toMatch(/^✕\s*Close$/)
      expect(await dialog.getByTestId('quick-exit').innerText()).toBe('Quick exit')
      expect(await inView('close-help')).toBe(true)
      await screenshot(page, `respondent-help-english-${sizeName(viewport)}`)
      await dialog.getByRole('button', { name: 'Bytt til norsk' }).click()
      expect(await dialog.getByTestId('help').innerText()).toContain('Hvor du kan få hjelp')
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'detached', timeout: 2000 })
      expect(await page.getByTestId('page').count()).toBe(1)
      expect(reloaded).toBe(false)

      // Outside a dialog Escape is still quick exit.
      const exited = page.waitForEvent('load')
      await page.keyboard.press('Escape')
      await exited
      await page.getByTestId('start').waitFor()
      expect(await page.getByTestId('page').count()).toBe(0)
    })
  }

  for (const viewport of VIEWPORTS) {
    it(`the idle prompt at ${sizeName(viewport)} hides the page, counts down and says the answers will be deleted`, async () => {
      await page.setViewportSize(viewport)
      // ?idle=2&prompt=30: the prompt after 2 s, quick exit 30 s later (read once at load; see main.ts).
      await page.goto(`${kiosk()}?idle=2&prompt=30`)
      await startSurvey('nb')
      await page.getByTestId('next').click()
      const chosen = page.locator('label:has(input[name="gender"][value="woman"])')
      await chosen.click()
      const prompt = page.getByTestId('idle-prompt')
      await prompt.waitFor({ timeout: 15_000 })

      // Neither the question nor the chosen answer shows, and nothing shows through the backdrop.
      expect(await chosen.isVisible()).toBe(false)
      expect(await page.locator('legend').first().isVisible()).toBe(false)
      const backdrop = await prompt.evaluate((element) => getComputedStyle(element, '::backdrop').backgroundColor)
      expect(backdrop).toMatch(/^rgb\(\d+, \d+, \d+\)$/)
      const text = await prompt.innerText()
      expect(text).toContain('Er du fortsatt der?')
      expect(text).toContain('blir svarene slettet')
      expect(text).not.toContain('Are you still there?')

      const secondsLeft = async (): Promise<number> => {
        const match = /Svarene slettes om (\d+) sekund/.exec(await page.getByTestId('idle-countdown').innerText())
        if (match === null) throw new Error('no countdown in the idle prompt')
        return Number(match[1])
      }
      const first = await secondsLeft()
      expect(first).toBeLessThanOrEqual(30)
      expect(first).toBeGreaterThan(20)
      await expect.poll(secondsLeft, { timeout: 5000 }).toBeLessThan(first)
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('idle-continue')
      expect(await seriousAxeViolations(page)).toEqual([])
      await screenshot(page, `respondent-idle-${sizeName(viewport)}`)

      await page.getByTestId('idle-continue').click()
      expect(await prompt.count()).toBe(0)
      expect(await chosen.isVisible()).toBe(true)
      expect(await page.locator('input[name="gender"][value="woman"]').isChecked()).toBe(true)
      await page.getByTestId('quick-exit').click()
      await page.getByTestId('start').waitFor()
    })
  }

  it('the idle prompt before a language is chosen speaks bokmål and English', async () => {
    await page.goto(`${kiosk()}?idle=2&prompt=30`)
    await page.getByTestId('start').click()
    const prompt = page.getByTestId('idle-prompt')
    await prompt.waitFor({ timeout: 15_000 })
    const text = await prompt.innerText()
    for (const words of ['Er du fortsatt der?', 'Are you still there?', 'blir svarene slettet', 'the answers will be deleted']) expect(text).toContain(words)
    expect(await page.getByTestId('idle-countdown').innerText()).toMatch(/Svarene slettes om \d+ sekunder\.\s+The answers will be deleted in \d+ seconds\./)
    await page.getByTestId('idle-continue').click()
    await page.getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
  })

  /** Clicks "next" (and through the privacy check) until the named page shows. */
  async function goToPage (name: string): Promise<void> {
    for (let step = 0; step < 30; step += 1) {
      if (await page.getByTestId('page').getAttribute('data-page') === name) return
      await page.getByTestId('next').click()
      if (await page.getByTestId('privacy-check').count() > 0) await page.getByTestId('privacy-continue').click()
    }
    throw new Error(`page ${name} never came`)
  }

  it('progress never shows a total that grows, and never moves back, when answers reveal follow-up pages', async () => {
    await page.setViewportSize(VIEWPORTS[1])
    await page.goto(kiosk())
    await startSurvey('nb')
    const seen: Array<{ page: string, text: string, value: number, max: number }> = []
    for (let step = 0; step < 60; step += 1) {
      const name = (await page.getByTestId('page').getAttribute('data-page'))!
      const bar = await page.locator('.progress progress').evaluate((element) => ({ value: (element as HTMLProgressElement).value, max: (element as HTMLProgressElement).max }))
      seen.push({ page: name, text: await page.getByTestId('progress-text').innerText(), ...bar })
      // Reported violence reveals the perpetrator and consequences pages further on.
      if (name === 'page_pushed') await page.locator('label:has(input[name="pushed_ever"][value="several"])').click()
      if (name === 'page_strangled') await screenshot(page, 'respondent-progress-1440x900')
      if (await page.getByTestId('send').count() > 0) break
      await page.getByTestId('next').click()
      if (await page.getByTestId('privacy-check').count() > 0) await page.getByTestId('privacy-continue').click()
    }
    const pages = seen.map((entry) => entry.page)
    expect(pages).toEqual(expect.arrayContaining(['page_perpetrator', 'page_consequences']))
    for (const entry of seen) {
      expect(entry.max).toBe(100)
      expect(entry.text).toBe(`${entry.value} % ferdig`)
      expect(entry.text).not.toMatch(/\bav\b|\bof\b/)
    }
    for (let index = 1; index < seen.length; index += 1) expect(seen[index]!.value).toBeGreaterThan(seen[index - 1]!.value)
    expect(seen[0]!.value).toBe(0)
    expect(seen.at(-1)!.value).toBeGreaterThan(90)
    await page.getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
  })

  for (const [viewport, motion] of [[VIEWPORTS[0], 'reduce'], [VIEWPORTS[1], 'no-preference']] as const) {
    it(`a follow-up that appears below the fold is scrolled into view at ${sizeName(viewport)} (${motion} motion)`, async () => {
      await page.setViewportSize(viewport)
      await page.emulateMedia({ reducedMotion: motion })
      await page.goto(kiosk())
      await startSurvey('nb')
      // The largest text, as a respondent who needs it would choose: the gate's choices then fill the screen.
      for (let step = 0; step < 3; step += 1) await page.getByRole('button', { name: /Større tekst/ }).click()
      await goToPage('page_pushed')
      const choice = page.locator('label:has(input[name="pushed_ever"][value="several"])')
      await choice.scrollIntoViewIfNeeded()
      const followUp = page.locator('[data-question="pushed_12m"]')
      expect(await followUp.count()).toBe(0)
      const scrolledBefore = await page.evaluate(() => window.scrollY)
      await choice.click()
      await followUp.waitFor()
      const fullyInView = async (): Promise<boolean> => await followUp.evaluate((element) => {
        const box = element.getBoundingClientRect()
        return box.top >= 0 && box.bottom <= window.innerHeight + 1
      })
      // With less motion asked for, it is there at once; otherwise after a smooth scroll.
      if (motion === 'reduce') expect(await fullyInView()).toBe(true)
      else await expect.poll(fullyInView, { timeout: 3000 }).toBe(true)
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(scrolledBefore)
      expect(await page.locator('input[name="pushed_ever"][value="several"]').isChecked()).toBe(true)
      await screenshot(page, `respondent-follow-up-${sizeName(viewport)}`)
      await page.getByTestId('quick-exit').click()
      await page.getByTestId('start').waitFor()
      await page.emulateMedia({ reducedMotion: null })
    })
  }
})
