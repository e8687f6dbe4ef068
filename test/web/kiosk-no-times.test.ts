import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { KioskHelpReply } from '../../api/schemas/kiosk.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

type Plan = Record<string, string>

const PLAN: Plan = { gender: 'woman', age_group: '25_34', housing: 'rented', pushed_ever: 'once', pushed_12m: 'no' }

/** A time of day (07:38, 7.38) or a date (3.12., 03.12.2026, 2026-12-03, an ISO timestamp). */
const TIME_OR_DATE = [/\b\d{1,2}[:.]\d{2}\b/, /\b\d{1,2}\.\d{1,2}\./, /\d{4}-\d{2}-\d{2}/]

/** The time a version-1 kiosk kept of its last upload (on the cover as "Sist sendt: 3.12. 07:38"). */
const OLD_LAST_UPLOAD = '2026-12-03T06:38:00.000Z'

describe('the kiosk shows no time or date of any upload; staff see a count behind a deliberate gesture', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let study: StudyFixture
  let browser: Browser
  /** The dates the help screens may show: when each helpline and crisis centre was checked, as the kiosk writes them. */
  let helpDates: string[]

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    study = await createStudy(database.db)
    browser = await launchChromium()
    const help = await (await fetch(`${origin}/api/kiosk/help`, { headers: { authorization: `Bearer ${study.token}` } })).json() as KioskHelpReply
    const checked = [...help.lines.map((line) => line.checked), ...help.counties.flatMap((county) => county.centres.map((centre) => centre.checked))]
    helpDates = [...new Set(checked.flatMap((date) => [date, date.split('-').reverse().join('.')]))]
    expect(helpDates.length).toBeGreaterThan(0)
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  /** Everything on the screen a person can read or hear: text, the title, labels, values, placeholders. */
  async function screenText (page: Page): Promise<string> {
    return await page.evaluate(() => {
      const attributes = Array.from(document.querySelectorAll('[aria-label], [title], [placeholder], [value], [alt]'))
        .flatMap((element) => ['aria-label', 'title', 'placeholder', 'value', 'alt'].map((name) => element.getAttribute(name) ?? ''))
      return [document.title, document.body.innerText, ...attributes].join('\n')
    })
  }

  /** Fails naming the screen when it shows a time or a date other than a help entry's "checked" date. */
  async function expectNoTime (page: Page, screen: string, seen: string[]): Promise<void> {
    let text = await screenText(page)
    for (const date of helpDates) text = text.split(date).join('')
    for (const pattern of TIME_OR_DATE) expect(text, `${screen}: ${pattern.source}`).not.toMatch(pattern)
    seen.push(screen)
  }

  async function newTablet (viewport: { width: number, height: number }, serviceWorkers: 'allow' | 'block' = 'allow'): Promise<{ tablet: BrowserContext, page: Page }> {
    const tablet = await browser.newContext({ viewport, serviceWorkers })
    const page = await tablet.newPage()
    return { tablet, page }
  }

  /** The tablet as a version-1 kiosk left it: enrolled, and the time of its last upload in IndexedDB. */
  async function asAnOldKioskLeftIt (page: Page): Promise<void> {
    await page.goto(`${origin}/api/health`)
    await page.evaluate(async ({ token, at }) => {
      localStorage.setItem('kiosk.device', token)
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.open('kiosk-outbox', 1)
        request.onupgradeneeded = () => {
          request.result.createObjectStore('sealed', { keyPath: 'ref' })
          request.result.createObjectStore('status', { keyPath: 'name' }).put({ name: 'last-upload', at })
        }
        request.onsuccess = () => { request.result.close(); resolve() }
        request.onerror = () => { reject(request.error) }
      })
    }, { token: study.token, at: OLD_LAST_UPLOAD })
  }

  async function indexedDbDump (page: Page): Promise<{ stores: string[], text: string }> {
    return await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('kiosk-outbox')
        request.onsuccess = () => { resolve(request.result) }
        request.onerror = () => { reject(request.error) }
      })
      const stores = Array.from(db.objectStoreNames)
      let text = ''
      for (const store of stores) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store).objectStore(store).getAll()
          request.onsuccess = () => { resolve(request.result) }
          request.onerror = () => { reject(request.error) }
        })
        text += `${store}: ${JSON.stringify(all)}\n`
      }
      db.close()
      return { stores, text }
    })
  }

  /** Staff's gesture: "Ansatte / Staff" on the cover, then the confirmation; returns the status it shows. */
  async function openStaffStatus (page: Page): Promise<string> {
    await page.getByTestId('staff-open').click()
    const dialog = page.getByTestId('staff-dialog')
    await dialog.waitFor()
    // Before the confirmation the dialog says what it is for, and shows no count.
    expect(await dialog.innerText()).not.toMatch(/Venter på sending|Waiting to be sent/)
    await page.getByTestId('staff-confirm').click()
    const line = page.getByTestId('staff-status')
    await expect.poll(async () => await line.innerText()).not.toBe('')
    return await line.innerText()
  }

  it('on no screen of a whole session — cover, staff status, language, every page, privacy check, help, idle prompt, thank-you, the next cover — and nowhere in IndexedDB', async () => {
    const { tablet, page } = await newTablet({ width: 1280, height: 800 })
    const seen: string[] = []
    try {
      await asAnOldKioskLeftIt(page)
      // Short idle times for this load only, to see the idle prompt too.
      await page.goto(`${origin}/kiosk/?idle=2&prompt=60`)
      await page.getByTestId('start').waitFor()
      await expectNoTime(page, 'cover', seen)
      // The old kiosk's time is gone from the tablet with the store that held it.
      await expect.poll(async () => (await indexedDbDump(page)).stores).toEqual(['sealed'])

      expect(await openStaffStatus(page)).toBe('Venter på sending: 0. / Waiting to be sent: 0.')
      await expectNoTime(page, 'staff status', seen)
      await page.getByTestId('staff-close').click()

      await page.getByTestId('open-help').click()
      await page.getByTestId('help').waitFor()
      await expectNoTime(page, 'help from the cover', seen)
      await page.getByRole('button', { name: 'Lukk' }).click()

      await page.getByTestId('start').click()
      await page.getByRole('button', { name: 'Norsk (bokmål)' }).waitFor()
      await expectNoTime(page, 'language', seen)
      await page.getByTestId('idle-prompt').waitFor({ timeout: 15_000 })
      await expectNoTime(page, 'idle prompt', seen)
      await page.getByTestId('idle-continue').click()

      await page.getByRole('button', { name: 'Norsk (bokmål)' }).click()
      await page.getByTestId('page').waitFor()
      let pages = 0
      for (let step = 0; step < 80; step += 1) {
        // Each action restarts the idle timer; a prompt that opens between two steps is answered.
        if (await page.getByTestId('idle-prompt').count() > 0) await page.getByTestId('idle-continue').click()
        if (await page.getByTestId('privacy-check').count() > 0) {
          await expectNoTime(page, 'privacy check', seen)
          await page.getByTestId('privacy-continue').click()
          continue
        }
        await expectNoTime(page, `page ${await page.getByTestId('page').getAttribute('data-page') ?? '?'}`, seen)
        pages += 1
        for (const [question, answer] of Object.entries(PLAN)) {
          const choice = page.locator(`label:has(input[name="${question}"][value="${answer}"])`)
          if (await choice.count() > 0 && !await choice.locator('input').isChecked()) await choice.click()
        }
        if (await page.getByTestId('send').count() > 0) {
          await page.getByTestId('send').click()
          break
        }
        await page.getByTestId('next').click()
      }
      expect(pages).toBeGreaterThan(5)
      await page.getByTestId('done').waitFor({ timeout: 20_000 })
      await expectNoTime(page, 'thank-you', seen)
      // Sent through the sealed queue and acknowledged (its record deleted), which is where a version-1 kiosk noted the time.
      await expect.poll(async () => (await indexedDbDump(page)).text, { timeout: 20_000 }).toBe('sealed: []\n')

      await page.getByTestId('done').click()
      await page.getByTestId('start').waitFor()
      await expectNoTime(page, 'the next respondent\'s cover', seen)
      expect(await openStaffStatus(page)).toBe('Venter på sending: 0. / Waiting to be sent: 0.')
      await expectNoTime(page, 'staff status after an upload', seen)

      const stored = await indexedDbDump(page)
      expect(stored.stores).toEqual(['sealed'])
      for (const pattern of TIME_OR_DATE) expect(stored.text).not.toMatch(pattern)
    } finally {
      await tablet.close()
    }
    expect(seen).toEqual(expect.arrayContaining(['cover', 'staff status', 'language', 'idle prompt', 'privacy check', 'thank-you', 'the next respondent\'s cover']))
  })

  it('shows no count on the cover; staff see it behind "Ansatte / Staff" and a confirmation, with no time (screenshots 800x1280 and 1440x900)', async () => {
    for (const viewport of [{ width: 800, height: 1280 }, { width: 1440, height: 900 }]) {
      // No service worker: the refused upload below must come from the page, where the route can answer it (a
      // worker's own requests pass the route by, and under load the worker sometimes sent the queue first).
      const { tablet, page } = await newTablet(viewport, 'block')
      const size = `${viewport.width}x${viewport.height}`
      try {
        await page.goto(`${origin}/kiosk/`)
        await page.evaluate((token) => { localStorage.setItem('kiosk.device', token) }, study.token)
        await page.goto(`${origin}/kiosk/`)
        await page.getByTestId('start').waitFor()
        // A sealed response waiting: the server refuses uploads for now (the tablet keeps it and retries).
        await tablet.route('**/api/responses', async (route) => { await route.fulfill({ status: 503, contentType: 'application/json', headers: { 'retry-after': '600' }, body: '{"code":"database_unavailable","message":"down"}' }) })
        await page.getByTestId('start').click()
        await page.getByRole('button', { name: 'English' }).click()
        await page.getByTestId('page').waitFor()
        for (let step = 0; step < 80 && await page.getByTestId('send').count() === 0; step += 1) {
          await page.getByTestId('next').click()
          if (await page.getByTestId('privacy-check').count() > 0) await page.getByTestId('privacy-continue').click()
        }
        await page.getByTestId('send').click()
        await page.getByTestId('done').waitFor({ timeout: 20_000 })
        await page.getByTestId('done').click()
        await page.getByTestId('start').waitFor()

        const cover = await screenText(page)
        expect(cover).not.toMatch(/Venter|Waiting|sendt|sent/i)
        await screenshot(page, `kiosk-cover-staff-control-${size}`)
        expect(await seriousAxeViolations(page)).toEqual([])
        await page.getByTestId('staff-open').click()
        await page.getByTestId('staff-confirm').waitFor()
        await screenshot(page, `kiosk-staff-confirm-${size}`)
        expect(await seriousAxeViolations(page)).toEqual([])
        await page.getByTestId('staff-confirm').click()
        await expect.poll(async () => await page.getByTestId('staff-status').innerText()).toBe('Venter på sending: 1. / Waiting to be sent: 1.')
        await screenshot(page, `kiosk-staff-status-${size}`)
        expect(await seriousAxeViolations(page)).toEqual([])
        let text = await screenText(page)
        for (const date of helpDates) text = text.split(date).join('')
        for (const pattern of TIME_OR_DATE) expect(text).not.toMatch(pattern)
        // Quick exit is there too, and closes it.
        await page.getByTestId('staff-dialog').getByTestId('quick-exit').click()
        await page.getByTestId('start').waitFor()
        expect(await page.getByTestId('staff-dialog').count()).toBe(0)
      } finally {
        await tablet.close()
      }
    }
  })
})
