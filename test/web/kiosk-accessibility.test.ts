import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashDeviceToken } from '../../api/db/queries/devices.js'
import { createEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import type { AudioManifest } from '../../survey-definitions/audio-keys.js'
import { readAudioManifest } from '../../survey-definitions/audio-manifest.js'
import { findDefinitions, readDefinition } from '../../survey-definitions/index.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VIEWPORTS = [{ width: 1280, height: 800 }, { width: 800, height: 1280 }] as const
const sizeName = (viewport: { width: number, height: number }): string => `${viewport.width}x${viewport.height}`

/** The shipped manifest, read from the files: what the kiosk must request for each clip. */
const manifest = ((): AudioManifest => {
  const read = readAudioManifest(readDefinition(findDefinitions().find((location) => location.slug === 'hverdag' && location.version === 1)!))
  if (!('clips' in read)) throw new Error(read.problem)
  return read
})()
const clipFile = (key: string, lang: 'nb' | 'en'): string => {
  const file = manifest.clips[key]?.[lang]?.file
  if (file === undefined) throw new Error(`no ${lang} clip ${key}`)
  return file
}

interface LayoutProblems { overflow: string[], small: string[] }

describe('the kiosk: accessibility of every screen, layout on a 10-inch tablet, read-aloud', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let study: StudyFixture
  let browser: Browser
  let tablet: BrowserContext
  let page: Page
  const cspViolations: string[] = []
  const audioRequests: string[] = []
  /** Every screen type scanned, so the last test can show none was skipped. */
  const scanned = new Set<string>()

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    study = await createStudy(database.db)
    browser = await launchChromium()
    tablet = await browser.newContext({ viewport: VIEWPORTS[0] })
    await tablet.exposeFunction('reportCspViolation', (text: string) => { cspViolations.push(text) })
    await tablet.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        (window as unknown as { reportCspViolation: (text: string) => void }).reportCspViolation(`${event.violatedDirective} ${event.blockedURI}`)
      })
    })
    tablet.on('request', (request) => { if (request.url().includes('/kiosk/audio/')) audioRequests.push(new URL(request.url()).pathname) })
    page = await tablet.newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  const kiosk = () => `${origin}/kiosk/`

  /** Nothing wider than the screen, and every touch target (buttons, choice rows, text fields) at least 48 × 48 px. */
  async function layoutProblems (): Promise<LayoutProblems> {
    return await page.evaluate(() => {
      const root = document.documentElement
      const overflow = [root, ...Array.from(document.querySelectorAll('dialog[open]'))]
        .filter((element) => element.scrollWidth > element.clientWidth + 1)
        .map((element) => `${element.tagName.toLowerCase()} is ${element.scrollWidth} px wide in ${element.clientWidth} px`)
      const targets = Array.from(document.querySelectorAll('button, a[href], label.choice, input:not([type="radio"]):not([type="checkbox"]), select, textarea'))
        .filter((element) => element.getClientRects().length > 0)
      const small = targets.flatMap((element) => {
        const { width, height } = element.getBoundingClientRect()
        return width < 48 || height < 48 ? [`${element.tagName.toLowerCase()} "${(element.textContent ?? '').trim().slice(0, 30)}" is ${Math.round(width)} × ${Math.round(height)} px`] : []
      })
      return { overflow, small }
    })
  }

  /** axe-core's AAA contrast rule (7:1 for text), which the default run leaves out: "high contrast", measured. */
  async function enhancedContrastViolations (): Promise<string[]> {
    // axe-core is put into the page by the helper's own run (it reads the source once).
    if (!await page.evaluate(() => 'axe' in window)) await seriousAxeViolations(page)
    return await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string, nodes: Array<{ target: unknown }> }> }> } }).axe
      const result = await axe.run(document, { runOnly: ['color-contrast-enhanced'] })
      return result.violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id} ${JSON.stringify(node.target)}`))
    })
  }

  /** The checks every screen gets: no serious or critical axe violation, AAA contrast, fits the screen, large targets. */
  async function checkScreen (name: string): Promise<void> {
    expect(await seriousAxeViolations(page), name).toEqual([])
    expect(await enhancedContrastViolations(), name).toEqual([])
    expect(await layoutProblems(), `${name} at ${sizeName(page.viewportSize()!)}`).toEqual({ overflow: [], small: [] })
    scanned.add(name)
  }

  async function startSurvey (lang: 'nb' | 'en'): Promise<void> {
    await page.getByTestId('start').click({ timeout: 10_000 })
    await page.getByRole('button', { name: lang === 'nb' ? 'Norsk (bokmål)' : 'English' }).click()
    await page.getByTestId('page').waitFor()
  }

  async function nextPage (): Promise<string | null> {
    await page.getByTestId('next').click()
    if (await page.getByTestId('privacy-check').count() > 0) return 'privacy-check'
    return await page.getByTestId('page').getAttribute('data-page')
  }

  /** The audio element's state once the clip now loading has started or failed. */
  async function audioState (): Promise<{ src: string, error: number | null, duration: number, paused: boolean }> {
    await page.waitForFunction(() => {
      const element = document.querySelector<HTMLAudioElement>('[data-testid="kiosk-audio"]')
      return element !== null && (element.error !== null || element.readyState >= 2)
    }, undefined, { timeout: 10_000 })
    return await page.evaluate(() => {
      const element = document.querySelector<HTMLAudioElement>('[data-testid="kiosk-audio"]')!
      return { src: new URL(element.currentSrc).pathname, error: element.error?.code ?? null, duration: element.duration, paused: element.paused }
    })
  }

  const audioStopped = async (): Promise<boolean> => await page.evaluate(() => {
    const element = document.querySelector<HTMLAudioElement>('[data-testid="kiosk-audio"]')
    return element === null || (element.paused && element.getAttribute('src') === null)
  })

  it('enrolment, then the cover and the language screen', async () => {
    await page.goto(kiosk())
    await page.getByLabel(/Kode/).waitFor()
    await checkScreen('enrol')
    const { code } = await createEnrolmentCode(database.db, study.site.id)
    await page.getByLabel(/Kode/).fill(code)
    await page.getByRole('button', { name: /Registrer/ }).click()
    await page.getByRole('button', { name: 'OK' }).click()
    await page.getByTestId('start').waitFor()
    await checkScreen('cover')
    await page.getByTestId('start').click()
    await page.getByRole('button', { name: 'English' }).waitFor()
    await checkScreen('language')
  })

  it('its checks catch a small target, text below 7:1 and a page wider than the screen (a control on the cover)', async () => {
    await page.goto(kiosk())
    await page.getByTestId('start').waitFor()
    await page.evaluate(() => {
      const button = document.createElement('button')
      button.id = 'control'
      button.textContent = 'x'
      // 30 px is too small a target; 5.7:1 passes the default (AA) scan but not AAA; 2000 px is too wide.
      Object.assign(button.style, { minWidth: '0', minHeight: '0', width: '30px', height: '30px', padding: '0' })
      const faint = document.createElement('p')
      faint.id = 'control-faint'
      faint.textContent = 'Faint text'
      faint.style.color = '#666'
      const wide = document.createElement('div')
      wide.id = 'control-wide'
      Object.assign(wide.style, { width: '2000px', height: '10px' })
      document.getElementById('main')?.append(button, faint, wide)
    })
    const layout = await layoutProblems()
    expect(layout.small).toEqual(['button "x" is 30 × 30 px'])
    expect(layout.overflow).toHaveLength(1)
    expect(await enhancedContrastViolations()).toEqual(['color-contrast-enhanced ["#control-faint"]'])
    await page.evaluate(() => { for (const id of ['control', 'control-faint', 'control-wide']) document.getElementById(id)?.remove() })
    expect(await layoutProblems()).toEqual({ overflow: [], small: [] })
  })

  for (const viewport of VIEWPORTS) {
    it(`at ${sizeName(viewport)}: consent, each question kind, the largest text, help and quick exit; screenshots`, async () => {
      const size = sizeName(viewport)
      await page.setViewportSize(viewport)
      await page.goto(kiosk())
      await startSurvey('nb')
      expect(await page.getByTestId('page').getAttribute('data-page')).toBe('page_consent')
      // Every screen after the language choice can switch language (the bar's "language" opens the picker).
      expect(await page.getByRole('button', { name: 'Språk' }).isVisible()).toBe(true)
      await checkScreen('consent (html)')
      await screenshot(page, `a11y-consent-${size}`)

      expect(await nextPage()).toBe('page_gender')
      await checkScreen('single choice (radiogroup)')
      await screenshot(page, `a11y-question-${size}`)
      // The largest text size still fits and keeps every target large.
      for (let step = 0; step < 3; step += 1) await page.getByRole('button', { name: /Større tekst/ }).click()
      expect(await page.evaluate(() => document.documentElement.dataset.textSize)).toBe('3')
      await checkScreen('single choice at the largest text size')
      await screenshot(page, `a11y-question-largest-text-${size}`)
      for (let step = 0; step < 3; step += 1) await page.getByRole('button', { name: /Mindre tekst/ }).click()

      await page.getByTestId('open-help').click()
      await page.getByRole('dialog').getByTestId('help').waitFor()
      await checkScreen('help')
      await screenshot(page, `a11y-help-${size}`)
      await page.getByRole('dialog').getByRole('button', { name: 'Lukk' }).click()

      let at = await nextPage()
      for (let step = 0; step < 10 && at !== 'page_substances_1m'; step += 1) at = await nextPage()
      expect(at).toBe('page_substances_1m')
      await checkScreen('multiple choice (checkbox)')

      for (let step = 0; step < 10 && at !== 'privacy-check'; step += 1) at = await nextPage()
      expect(at).toBe('privacy-check')
      expect(await page.getByRole('button', { name: 'Språk' }).isVisible()).toBe(true)
      await checkScreen('privacy check')
      await page.getByTestId('play-question').click()
      expect(await audioState()).toMatchObject({ src: `/kiosk/audio/hverdag/v1/${clipFile('kiosk:privacy_check', 'nb')}`, error: null })
      await page.getByTestId('privacy-continue').click()
      expect(await page.getByTestId('page').getAttribute('data-page')).toBe('page_violence_intro')
      await checkScreen('information (html) before the violence questions')
      await page.getByTestId('next').click()
      await checkScreen('a page of gate and follow-up questions')

      const reloaded = page.waitForEvent('load')
      await page.getByTestId('quick-exit').click()
      await reloaded
      await page.getByTestId('start').waitFor()
      await checkScreen('after quick exit')
      await screenshot(page, `a11y-quick-exit-${size}`)
    })
  }

  it('the idle prompt and the thank-you screen', async () => {
    await page.setViewportSize(VIEWPORTS[1])
    await page.goto(`${kiosk()}?idle=2&prompt=60`)
    await startSurvey('en')
    await page.getByTestId('idle-prompt').waitFor({ timeout: 15_000 })
    await checkScreen('idle prompt')
    await page.getByTestId('idle-continue').click()
    // Skipping every question is allowed: on to the end and send (at the normal timeouts, so no prompt comes between).
    await page.goto(kiosk())
    await startSurvey('en')
    for (let step = 0; step < 60 && await page.getByTestId('send').count() === 0; step += 1) {
      await page.getByTestId('next').click()
      if (await page.getByTestId('privacy-check').count() > 0) await page.getByTestId('privacy-continue').click()
    }
    await page.getByTestId('send').click()
    await page.getByTestId('done').waitFor({ timeout: 15_000 })
    expect(await page.getByRole('button', { name: 'Language' }).isVisible()).toBe(true)
    await checkScreen('thank-you')
    await page.setViewportSize(VIEWPORTS[0])
  })

  it('reads the question, then its choices, in the language on screen; a choice alone; stops on language switch and page change', async () => {
    audioRequests.length = 0
    await page.goto(kiosk())
    await startSurvey('nb')
    // The consent text has its button too.
    expect(await page.getByTestId('play-question').count()).toBe(1)
    await nextPage()
    const folder = '/kiosk/audio/hverdag/v1/'
    const buttons = await page.getByTestId('play-question').evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().height))
    expect(buttons).toHaveLength(1)
    expect(buttons[0]).toBeGreaterThanOrEqual(48)
    expect(await page.getByTestId('play-choice').count()).toBe(4)
    expect(await page.getByRole('button', { name: 'Lytt: Kvinne' }).isVisible()).toBe(true)

    await page.getByTestId('play-question').click()
    expect(await page.getByTestId('play-question').getAttribute('aria-pressed')).toBe('true')
    const question = await audioState()
    expect(question).toMatchObject({ src: `${folder}${clipFile('question:gender', 'nb')}`, error: null })
    expect(question.duration).toBeGreaterThan(0.5)
    // When the question ends, the choices follow in order.
    await expect.poll(() => audioRequests.includes(`${folder}${clipFile('choice:gender:woman', 'nb')}`), { timeout: 15_000 }).toBe(true)
    expect((await audioState()).error).toBeNull()

    await page.getByRole('button', { name: 'Språk' }).click()
    expect(await audioStopped()).toBe(true)
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByRole('button', { name: 'Listen: Man' }).click()
    const choice = await audioState()
    expect(choice).toMatchObject({ src: `${folder}${clipFile('choice:gender:man', 'en')}`, error: null })

    await page.getByTestId('play-question').click()
    expect(await audioState()).toMatchObject({ src: `${folder}${clipFile('question:gender', 'en')}`, error: null })
    await page.getByTestId('next').click()
    expect(await audioStopped()).toBe(true)
    // Pressed again while playing, a button stops its clip.
    await page.getByTestId('play-question').click()
    await audioState()
    await page.getByTestId('play-question').click()
    expect(await audioStopped()).toBe(true)
    expect(await page.getByTestId('play-question').getAttribute('aria-pressed')).toBe('false')

    // Quick exit stops it too.
    await page.getByTestId('play-question').click()
    await audioState()
    await page.getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
    expect(await audioStopped()).toBe(true)
    expect(audioRequests.every((path) => path.startsWith(folder))).toBe(true)
  })

  it('serves the clips with long caching and the manifest revalidated, and nothing else from the folder', async () => {
    const manifestReply = await fetch(`${origin}/kiosk/audio/hverdag/v1/manifest.json`)
    expect(manifestReply.status).toBe(200)
    expect(manifestReply.headers.get('cache-control')).toBe('no-cache')
    expect(await manifestReply.json()).toEqual(manifest)
    const clip = await fetch(`${origin}/kiosk/audio/hverdag/v1/${clipFile('kiosk:privacy_check', 'en')}`)
    expect(clip.status).toBe(200)
    expect(clip.headers.get('content-type')).toBe('audio/ogg; codecs=opus')
    expect(clip.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(Buffer.from(await clip.arrayBuffer()).subarray(0, 4).toString('latin1')).toBe('OggS')
    // A clip's request says which question someone listened to, and when: the app logs nothing of it.
    const traced = await buildTestApp(database, { LOG_LEVEL: 'trace' })
    try {
      const reply = await traced.app.inject({ method: 'GET', url: `/kiosk/audio/hverdag/v1/${clipFile('question:raped_ever', 'nb')}` })
      expect(reply.statusCode).toBe(200)
      const health = await traced.app.inject({ method: 'GET', url: '/api/health' })
      expect(health.statusCode).toBe(200)
      // The control: the same app at trace level does log other requests.
      expect(traced.logLines().some((line) => line.includes('/api/health'))).toBe(true)
      expect(traced.logLines().filter((line) => line.includes('/kiosk/audio/'))).toEqual([])
    } finally {
      await traced.app.close()
    }
    for (const path of ['v1/', 'v1/nothere0000000000.opus', 'v3/manifest.json', '../v1.survey.json', 'v1/%2e%2e/%2e%2e/v1.survey.json', '../recordings/v1/nb/question.gender.wav']) {
      const reply = await fetch(`${origin}/kiosk/audio/hverdag/${path}`)
      expect(reply.status, path).toBe(404)
    }
  })

  it('tells a revoked tablet so, accessibly', async () => {
    const token = await page.evaluate(() => localStorage.getItem('kiosk.device'))
    await database.db.updateTable('devices').set({ revoked_at: new Date() }).where('token_hash', '=', hashDeviceToken(token ?? '')).execute()
    await page.goto(kiosk())
    await page.getByTestId('problem').waitFor()
    expect(await page.getByTestId('problem').innerText()).toMatch(/no longer part of the survey/)
    await checkScreen('revoked')
  })

  it('scanned every screen type, with no script, style or media that the security policy blocks', () => {
    expect([...scanned].sort()).toEqual([
      'a page of gate and follow-up questions', 'after quick exit', 'consent (html)', 'cover', 'enrol', 'help', 'idle prompt',
      'information (html) before the violence questions', 'language', 'multiple choice (checkbox)', 'privacy check', 'revoked',
      'single choice (radiogroup)', 'single choice at the largest text size', 'thank-you',
    ])
    expect(cspViolations).toEqual([])
  })
})
