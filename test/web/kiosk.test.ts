import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashDeviceToken } from '../../api/db/queries/devices.js'
import { createEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import { buildTestApp } from '../helpers/build-app.js'
import { mixAllHeld } from '../helpers/holding.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

type Plan = Record<string, string | string[]>

/** A respondent who reports violence, answers a gate "no" (hair pulled) and a period "no" (strangled in 12 months). */
const BOKMAL_PLAN: Plan = {
  gender: 'woman',
  age_group: '25_34',
  lives_in_municipality: 'yes',
  housing: 'temporary',
  substances_1m: ['heroin', 'alcohol'],
  injecting: 'last_month',
  current_services: ['lar'],
  pushed_ever: 'several',
  pushed_12m: 'once',
  pushed_1m: 'no',
  hair_pulled_ever: 'no',
  strangled_ever: 'once',
  strangled_12m: 'no',
  perpetrator: ['partner'],
  injured: 'yes',
  emergency_clinic: 'no',
  hospital: 'prefer_not',
  witnessed_1m: 'several',
  used_violence: 'no',
  sought_crisis_centre: 'yes',
  crisis_centre_outcome: 'turned_away',
  turned_away_reason: ['active_use'],
  what_would_help: ['accepts_active_use'],
}

const VIOLENCE = ['pushed', 'hair_pulled', 'grabbed_throat', 'strangled', 'hit_fist', 'kicked', 'hit_object', 'threatened_weapon', 'stabbed_cut', 'attempted_murder', 'forced_sexual', 'raped', 'psychological']

/** A respondent who answers every violence gate "no": no period, perpetrator or consequence question may appear. */
const ENGLISH_PLAN: Plan = {
  gender: 'man',
  age_group: '45_54',
  lives_in_municipality: 'no',
  housing: 'street',
  ...Object.fromEntries(VIOLENCE.map((item) => [`${item}_ever`, 'no'])),
  witnessed_1m: 'once',
  used_violence: 'prefer_not',
  sought_crisis_centre: 'no',
}

describe('the kiosk in a browser', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let study: StudyFixture
  let browser: Browser
  let tablet: BrowserContext
  let page: Page
  const cspViolations: string[] = []

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    study = await createStudy(database.db)
    browser = await launchChromium()
    tablet = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    // Any script or style the app's Content-Security-Policy (helmet) blocks would show up here.
    await tablet.exposeFunction('reportCspViolation', (text: string) => { cspViolations.push(text) })
    await tablet.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`)
      })
    })
    page = await tablet.newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  const kiosk = () => `${origin}/kiosk/`
  const answered = new Set<string>()

  async function startSurvey (lang: 'nb' | 'en'): Promise<void> {
    await page.getByTestId('start').click({ timeout: 10_000 }).catch(async (error: unknown) => {
      throw new Error(`no start button: ${error instanceof Error ? error.message : String(error)}\nthe page shows: ${await page.locator('body').innerText()}`)
    })
    await page.getByRole('button', { name: lang === 'nb' ? 'Norsk (bokmål)' : 'English' }).click()
    await page.getByTestId('page').waitFor()
  }

  /** Answers each page as the plan says, recording every question shown, and sends on the last page. */
  async function completeSurvey (plan: Plan, shots?: string): Promise<Set<string>> {
    const seen = new Set<string>()
    for (let step = 0; step < 80; step += 1) {
      const pageName = await page.getByTestId('page').getAttribute('data-page')
      if (shots !== undefined && pageName === 'page_gender') {
        expect(await seriousAxeViolations(page)).toEqual([])
        await screenshot(page, `question-${shots}`)
      }
      // Answering a gate can reveal a follow-up on the same page: keep going until nothing planned is left.
      for (;;) {
        const names = await page.locator('[data-testid="page"] input').evaluateAll((inputs) => [...new Set(inputs.map((input) => (input as HTMLInputElement).name))])
        for (const name of names) seen.add(name)
        const pending = names.find((name) => plan[name] !== undefined && !answered.has(name))
        if (pending === undefined) break
        const values = plan[pending]!
        for (const value of Array.isArray(values) ? values : [values]) {
          await page.locator(`label:has(input[name="${pending}"][value="${value}"])`).click()
        }
        answered.add(pending)
      }
      const progress = await page.locator('.progress span').textContent()
      expect(progress).toMatch(/^\d+ ?% (ferdig|done)$/)
      if (await page.getByTestId('send').count() > 0) {
        await page.getByTestId('send').click()
        await page.getByTestId('done').waitFor()
        answered.clear()
        return seen
      }
      await page.getByTestId('next').click()
      // The privacy check before the violence section: this respondent can answer undisturbed.
      if (await page.getByTestId('privacy-check').count() > 0) await page.getByTestId('privacy-continue').click()
    }
    throw new Error('the survey did not end')
  }

  it('enrols the tablet with a one-time code, then shows the neutral cover', async () => {
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    await page.goto(kiosk())
    expect(await page.title()).toBe('Hverdag og helse')
    await page.getByLabel(/Kode/).fill(code.toLowerCase())
    await page.getByLabel(/Navn på nettbrettet/).fill('Resepsjonen')
    await page.getByRole('button', { name: /Registrer/ }).click()
    await page.getByText(`Registrert ved ${study.site.name}`).waitFor()
    await page.getByRole('button', { name: 'OK' }).click()
    await page.getByTestId('start').waitFor()
    const token = await page.evaluate(() => localStorage.getItem('kiosk.device'))
    const device = await database.db.selectFrom('devices').select(['label', 'site_id']).where('token_hash', '=', hashDeviceToken(token ?? '')).executeTakeFirstOrThrow()
    expect(device).toEqual({ label: 'Resepsjonen', site_id: study.site.id })

    // The cover names neither violence nor drugs, and quick exit comes first in focus order.
    const cover = (await page.locator('body').innerText()).toLowerCase()
    for (const word of ['vold', 'violence', 'rus', 'drug', 'alkohol', 'alcohol']) expect(cover).not.toContain(word)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('quick-exit')
    expect(await seriousAxeViolations(page)).toEqual([])
  })

  it('takes one respondent through in bokmål and one in English, following skip logic, and the server holds exactly those two', async () => {
    await page.goto(kiosk())
    await startSurvey('nb')
    expect(await page.getByTestId('page').getAttribute('data-page')).toBe('page_consent')
    await screenshot(page, 'consent-1280x800')
    const seenNb = await completeSurvey(BOKMAL_PLAN, '1280x800')
    expect(await page.locator('h1').first().textContent()).toBe('Takk!')
    expect(await page.getByTestId('help').innerText()).toContain('116 006')
    expect(await seriousAxeViolations(page)).toEqual([])
    await screenshot(page, 'help-1280x800')
    for (const hidden of ['hair_pulled_12m', 'hair_pulled_1m', 'strangled_1m']) expect(seenNb).not.toContain(hidden)
    expect(seenNb).toContain('strangled_12m')
    await page.getByTestId('done').click()
    await page.getByTestId('start').waitFor()

    await page.setViewportSize({ width: 800, height: 1280 })
    await startSurvey('en')
    await screenshot(page, 'consent-800x1280')
    const seenEn = await completeSurvey(ENGLISH_PLAN, '800x1280')
    expect(await page.locator('h1').first().textContent()).toBe('Thank you!')
    expect(await page.getByTestId('help').innerText()).toContain('Where to get help')
    await screenshot(page, 'help-800x1280')
    for (const item of VIOLENCE) {
      expect(seenEn).toContain(`${item}_ever`)
      expect(seenEn).not.toContain(`${item}_12m`)
      expect(seenEn).not.toContain(`${item}_1m`)
    }
    for (const hidden of ['perpetrator', 'injured', 'emergency_clinic', 'hospital', 'crisis_centre_outcome', 'turned_away_reason']) expect(seenEn).not.toContain(hidden)
    await page.setViewportSize({ width: 1280, height: 800 })

    await mixAllHeld(database.db)
    const rows = await database.db.selectFrom('responses').innerJoin('response_facts', 'response_facts.response_id', 'responses.id')
      .select(['responses.answers', 'responses.site_id', 'response_facts.gender', 'response_facts.age_group', 'response_facts.indicator_values'])
      .where('responses.wave_id', '=', study.wave.id)
      .execute()
    expect(rows).toHaveLength(2)
    const woman = rows.find((row) => row.gender === 'woman')
    const man = rows.find((row) => row.gender === 'man')
    expect(woman?.answers).toEqual(BOKMAL_PLAN)
    expect(man?.answers).toEqual(ENGLISH_PLAN)
    expect([woman?.age_group, man?.age_group]).toEqual(['25_34', '45_54'])
    expect(rows.every((row) => row.site_id === study.site.id)).toBe(true)

    const indicators = new Map((await database.db.selectFrom('indicators').select(['id', 'name']).execute()).map((row) => [row.name, row.id]))
    const value = (row: typeof woman, name: string) => row?.indicator_values[indicators.get(name)! - 1]
    // Answered yes; answered no; hidden behind a "no" gate counts as no.
    expect(value(woman, 'pushed_12m')).toBe(true)
    expect(value(woman, 'pushed_1m')).toBe(false)
    expect(value(woman, 'hair_pulled_12m')).toBe(false)
    expect(value(woman, 'strangled_ever')).toBe(true)
    expect(value(man, 'pushed_ever')).toBe(false)
    expect(value(man, 'strangled_1m')).toBe(false)
  })

  it('quick exit in the middle shows the cover at once and leaves no answer in the DOM, storage or history', async () => {
    await page.goto(kiosk())
    await page.getByTestId('start').waitFor()
    const historyBefore = await page.evaluate(() => history.length)
    await startSurvey('nb')
    await page.getByTestId('next').click()
    await page.locator('label:has(input[name="gender"][value="other"])').click()
    await page.getByTestId('next').click()
    await page.locator('label:has(input[name="age_group"][value="55_plus"])').click()
    await page.getByRole('button', { name: 'Større tekst' }).click()
    expect(await page.locator('body').innerText()).toContain('55 år eller eldre')

    // Timed inside the page, from the click to the cover in the DOM: the test runner's own round trips
    // (slow when the whole suite shares two cores) are not the respondent's wait.
    const coverAfterMs = new Promise<number>((resolve) => {
      page.on('console', (message) => {
        const match = /^quick-exit-cover-ms:([0-9.]+)$/.exec(message.text())
        if (match !== null) resolve(Number(match[1]))
      })
    })
    await page.evaluate(() => {
      let clicked: number | undefined
      document.addEventListener('click', () => { clicked ??= performance.now() }, { capture: true })
      new MutationObserver((_, observer) => {
        if (clicked === undefined || document.querySelector('[data-testid="start"]') === null) return
        console.log(`quick-exit-cover-ms:${performance.now() - clicked}`)
        observer.disconnect()
      }).observe(document.documentElement, { childList: true, subtree: true })
    })
    const reloaded = page.waitForEvent('load')
    await page.getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
    expect(await coverAfterMs).toBeLessThan(300)
    await reloaded
    await page.getByTestId('start').waitFor()
    await screenshot(page, 'quick-exit-1280x800')

    const traces = await page.evaluate(() => ({
      html: document.documentElement.outerHTML,
      local: Object.keys(localStorage).map((key) => `${key}=${localStorage.getItem(key)}`),
      session: sessionStorage.length,
      history: history.length,
      textSize: document.documentElement.dataset.textSize ?? null,
    }))
    for (const trace of ['55 år', '55_plus', 'Annet', 'age_group', 'gender']) expect(traces.html).not.toContain(trace)
    expect(traces.local).toHaveLength(1)
    expect(traces.local[0]).toMatch(/^kiosk\.device=[A-Za-z0-9_-]{43}$/)
    expect(traces.session).toBe(0)
    expect(traces.history).toBe(historyBefore)
    expect(traces.textSize).toBeNull()
    // Back leads away from the kiosk (or nowhere), never to a question.
    await page.goBack().catch(() => null)
    expect(await page.getByTestId('page').count()).toBe(0)
    expect(await page.content()).not.toContain('55 år')
  })

  it('quick exit also works from the help dialog and in portrait', async () => {
    await page.setViewportSize({ width: 800, height: 1280 })
    await page.goto(kiosk())
    await startSurvey('en')
    await page.getByRole('button', { name: 'Help' }).click()
    await page.getByRole('dialog').waitFor()
    await screenshot(page, 'help-dialog-800x1280')
    await page.getByRole('dialog').getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
    await screenshot(page, 'quick-exit-800x1280')
    expect(await page.getByRole('dialog').count()).toBe(0)
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  it('after a short idle time asks whether anyone is there; continue keeps the answers, silence does what quick exit does', async () => {
    // ?idle=3&prompt=4 shortens the timeouts for this page load only (read once at load; see main.ts).
    await page.goto(`${kiosk()}?idle=3&prompt=4`)
    await page.getByTestId('start').waitFor()
    const historyBefore = await page.evaluate(() => history.length)
    await startSurvey('nb')
    await page.getByTestId('next').click()
    await page.locator('label:has(input[name="gender"][value="other"])').click()
    await page.getByTestId('next').click()
    await page.locator('label:has(input[name="age_group"][value="55_plus"])').click()

    const prompt = page.getByTestId('idle-prompt')
    await prompt.waitFor({ timeout: 15_000 })
    expect(await prompt.innerText()).toContain('Er du fortsatt der?')
    await screenshot(page, 'idle-prompt-1280x800')
    await page.getByTestId('idle-continue').click()
    expect(await prompt.count()).toBe(0)
    expect(await page.locator('input[name="age_group"][value="55_plus"]').isChecked()).toBe(true)

    // Nobody answers the prompt this time.
    const reloaded = page.waitForEvent('load', { timeout: 20_000 })
    await prompt.waitFor({ timeout: 15_000 })
    await reloaded
    await page.getByTestId('start').waitFor()
    const traces = await expectNothingLeft(historyBefore, ['55 år', '55_plus', 'Annet', 'age_group', 'gender', 'fortsatt der'])
    // The reload drops the query: the short timeouts are gone with the page that had them.
    expect(traces.url).toBe(kiosk())
  })

  /**
   * After a discard (idle timeout, stopping at the privacy check): none of `traces` in the page, only the
   * device token in storage, no new history entry. Returns the page's address for further checks.
   */
  async function expectNothingLeft (historyBefore: number, traces: readonly string[]): Promise<{ url: string }> {
    const left = await page.evaluate(() => ({
      html: document.documentElement.outerHTML,
      local: Object.keys(localStorage),
      session: sessionStorage.length,
      history: history.length,
      url: location.href,
    }))
    for (const trace of traces) expect(left.html).not.toContain(trace)
    expect(left.local).toEqual(['kiosk.device'])
    expect(left.session).toBe(0)
    expect(left.history).toBe(historyBefore)
    return { url: left.url }
  }

  /** Clicks "next" through the background questions, unanswered, until the privacy check shows. */
  async function reachPrivacyCheck (): Promise<void> {
    for (let step = 0; step < 20 && await page.getByTestId('privacy-check').count() === 0; step += 1) {
      expect(await page.getByTestId('page').getAttribute('data-page')).not.toBe('page_violence_intro')
      await page.getByTestId('next').click()
    }
    await page.getByTestId('privacy-check').waitFor()
  }

  it('asks "can you answer undisturbed now?" before the violence questions: continue goes on, once', async () => {
    await page.goto(kiosk())
    await startSurvey('en')
    await page.getByTestId('next').click()
    await page.locator('label:has(input[name="gender"][value="other"])').click()
    await reachPrivacyCheck()
    expect(await page.locator('h1').first().textContent()).toBe('Can you answer undisturbed now?')
    // The bar's "language" opens the picker again; choosing goes back to the same screen.
    await page.getByTestId('language').click()
    await page.getByRole('button', { name: 'Norsk (bokmål)' }).click()
    expect(await page.locator('h1').first().textContent()).toBe('Kan du svare uforstyrret nå?')
    expect(await seriousAxeViolations(page)).toEqual([])
    await screenshot(page, 'privacy-check-1280x800')
    await page.getByTestId('privacy-continue').click()
    expect(await page.getByTestId('page').getAttribute('data-page')).toBe('page_violence_intro')
    // Back to the background questions and forward again: asked once per respondent, not every time.
    await page.getByRole('button', { name: 'Tilbake' }).click()
    await page.getByTestId('next').click()
    expect(await page.getByTestId('page').getAttribute('data-page')).toBe('page_violence_intro')
    await page.getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
  })

  it('stopping at the privacy check does what quick exit does', async () => {
    await page.goto(kiosk())
    await page.getByTestId('start').waitFor()
    const historyBefore = await page.evaluate(() => history.length)
    await startSurvey('nb')
    await page.getByTestId('next').click()
    await page.locator('label:has(input[name="gender"][value="other"])').click()
    await page.getByTestId('next').click()
    await page.locator('label:has(input[name="age_group"][value="55_plus"])').click()
    await reachPrivacyCheck()
    const reloaded = page.waitForEvent('load')
    await page.getByTestId('privacy-stop').click()
    await reloaded
    await page.getByTestId('start').waitFor()
    await expectNothingLeft(historyBefore, ['55 år', '55_plus', 'Annet', 'age_group', 'gender', 'uforstyrret'])
  })

  it("opens help from the cover and the language screen, with the helplines and the site's county first", async () => {
    // The tablet's site moves to Agder for this test: Agder (Sørlandet krisesenter) must then come before Oslo.
    await database.db.updateTable('sites').set({ county_number: '42' }).where('id', '=', study.site.id).execute()
    try {
      await page.goto(kiosk())
      await page.getByTestId('start').waitFor()
      // The help data arrives with the cover; wait until the dialog shows it rather than the offline fallback.
      const dialog = page.getByRole('dialog')
      await expect.poll(async () => {
        if (await dialog.count() > 0) await dialog.getByRole('button', { name: 'Lukk' }).click()
        await page.getByTestId('open-help').click()
        return await dialog.getByTestId('help-county').count()
      }, { timeout: 10_000 }).toBeGreaterThan(0)
      const text = await dialog.getByTestId('help').innerText()
      for (const number of ['112', '113', '116 117', '116 006', '116 111', '116 123', '22 40 00 40', 'dinutvei.no']) expect(text).toContain(number)
      // No language chosen yet: bokmål, then English, each with the site's county first.
      const counties = dialog.locator('.help-lang[lang="nb"] [data-testid="help-county"]')
      expect(await counties.evaluateAll((sections) => sections.map((section) => section.getAttribute('data-county')))).toEqual(['42', '03'])
      expect(await counties.first().innerText()).toMatch(/Agder\s+Sørlandet krisesenter\s+Kvinner som bruker rusmidler nå: tar imot/)
      expect(await dialog.locator('.help-lang[lang="en"] [data-testid="help-county"]').first().getAttribute('data-county')).toBe('42')
      expect(await seriousAxeViolations(page)).toEqual([])
      await screenshot(page, 'help-cover-1280x800')
      expect(await dialog.getByTestId('help').innerText()).toContain('Where to get help')
      await dialog.getByRole('button', { name: 'Close' }).click()
      expect(await dialog.count()).toBe(0)

      await page.getByTestId('start').click()
      await page.getByTestId('open-help').click()
      expect(await dialog.getByTestId('help').innerText()).toContain('116 006')
      await dialog.getByTestId('quick-exit').click()
      await page.getByTestId('start').waitFor()
      expect(await dialog.count()).toBe(0)
    } finally {
      await database.db.updateTable('sites').set({ county_number: study.site.county_number }).where('id', '=', study.site.id).execute()
    }
  })

  it('switches language mid-survey without losing the answer on screen', async () => {
    await page.goto(kiosk())
    await startSurvey('nb')
    await page.getByTestId('next').click()
    await page.locator('label:has(input[name="gender"][value="woman"])').click()
    await page.getByRole('button', { name: 'Språk' }).click()
    await page.getByRole('button', { name: 'English' }).click()
    expect(await page.locator('legend').first().textContent()).toBe('What is your gender?')
    expect(await page.locator('input[name="gender"][value="woman"]').isChecked()).toBe(true)
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en')
    await page.getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
  })

  it('drops answers the server refuses for good (the wave was taken off mid-survey) and still shows where to get help', async () => {
    await page.goto(kiosk())
    await startSurvey('en')
    await database.db.updateTable('waves').set({ status: 'planned' }).where('id', '=', study.wave.id).execute()
    try {
      await completeSurvey({ gender: 'other' })
      expect(await page.getByRole('alert').innerText()).toMatch(/could not be accepted.*deleted from the tablet/)
      expect(await page.getByTestId('help').innerText()).toContain('116 006')
      await mixAllHeld(database.db)
      const stored = await database.db.selectFrom('responses').select('id').where('wave_id', '=', study.wave.id).execute()
      expect(stored).toHaveLength(2)
    } finally {
      await database.db.updateTable('waves').set({ status: 'open' }).where('id', '=', study.wave.id).execute()
    }
  })

  it('loads no script or style that the security policy blocks', () => {
    expect(cspViolations).toEqual([])
  })

  it('tells a revoked tablet so, plainly', async () => {
    const token = await page.evaluate(() => localStorage.getItem('kiosk.device'))
    await database.db.updateTable('devices').set({ revoked_at: new Date() }).where('token_hash', '=', hashDeviceToken(token ?? '')).execute()
    await page.goto(kiosk())
    const problem = page.getByTestId('problem')
    await problem.waitFor()
    expect(await problem.innerText()).toMatch(/ikke lenger med i undersøkelsen.*no longer part of the survey/s)
    expect(await page.getByRole('button', { name: /Registrer på nytt/ }).isVisible()).toBe(true)
  })
})
