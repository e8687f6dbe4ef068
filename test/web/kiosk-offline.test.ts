import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTestApp } from '../helpers/build-app.js'
import { mixAllHeld } from '../helpers/holding.js'
import { launchChromium, screenshot } from '../helpers/browser.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

type Plan = Record<string, string>

/** The clip files a manifest names, wherever it keeps them (the audio generator's format is its own). */
function audioFilesIn (manifest: unknown): string[] {
  if (typeof manifest === 'string') return /\.(opus|ogg)$/.test(manifest) ? [manifest] : []
  if (typeof manifest !== 'object' || manifest === null) return []
  return [...new Set(Object.values(manifest).flatMap(audioFilesIn))]
}

/** Each respondent's answers are distinct, so a trace of one is recognisable wherever it turns up. */
const OFFLINE_PLAN: Plan = { gender: 'woman', age_group: '35_44', housing: 'municipal_housing', pushed_ever: 'several', pushed_12m: 'once', kicked_ever: 'once', used_violence: 'prefer_not' }
const FLAKY_PLAN: Plan = { gender: 'man', age_group: '18_24', housing: 'institution', pushed_ever: 'no', witnessed_1m: 'several' }

/** What the kiosk's storage holds, as text: every IndexedDB record, every Cache Storage entry (URL and body), web storage. */
interface StorageDump {
  indexedDb: string
  /** Every base64 string in IndexedDB, decoded: an "encryption" that were only an encoding would show here. */
  decoded: string
  records: number
  cacheUrls: string[]
  cacheBodies: string
  local: string[]
  session: number
}

/** Offline emulation can miss a request from a service worker that Chromium restarted; a cut at the route cannot. */
async function cutNetwork (tablet: BrowserContext): Promise<() => Promise<void>> {
  const noNetwork = async (route: Route): Promise<void> => { await route.abort('internetdisconnected') }
  await tablet.setOffline(true)
  await tablet.route('**/api/responses', noNetwork)
  return async () => {
    await tablet.unroute('**/api/responses', noNetwork)
    await tablet.setOffline(false)
  }
}
describe('the kiosk offline: service worker, sealed queue, uploads that survive failures', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let study: StudyFixture
  let browser: Browser
  let tablet: BrowserContext
  let page: Page
  /** JavaScript files the server itself was asked for, counted on its socket: what the tablet downloaded. */
  const scriptDownloads: string[] = []

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    app.server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (/\.js(\?|$)/.test(request.url ?? '')) response.on('finish', () => { scriptDownloads.push(`${request.url ?? ''} ${response.statusCode}`) })
    })
    study = await createStudy(database.db)
    browser = await launchChromium()
    tablet = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await tablet.newPage()
    // The tablet is enrolled (the enrolment screen has its own test in kiosk.test.ts).
    await page.goto(`${origin}/kiosk/`)
    await page.evaluate((token) => { localStorage.setItem('kiosk.device', token) }, study.token)
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  const kiosk = () => `${origin}/kiosk/`

  async function dumpStorage (): Promise<StorageDump> {
    return await page.evaluate(async () => {
      const dbs = await indexedDB.databases()
      let indexedDb = ''
      let decoded = ''
      const decode = (value: unknown): void => {
        if (typeof value === 'string' && value.length >= 16 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value)) decoded += `${atob(value)}\n`
        else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) decode(item)
      }
      let records = 0
      for (const info of dbs) {
        if (info.name === undefined) continue
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open(info.name!)
          request.onsuccess = () => { resolve(request.result) }
          request.onerror = () => { reject(request.error) }
        })
        for (const store of Array.from(db.objectStoreNames)) {
          const all = await new Promise<unknown[]>((resolve, reject) => {
            const request = db.transaction(store).objectStore(store).getAll()
            request.onsuccess = () => { resolve(request.result) }
            request.onerror = () => { reject(request.error) }
          })
          if (store === 'sealed') records += all.length
          decode(all)
          indexedDb += `${info.name}/${store}: ${JSON.stringify(all)}\n`
        }
        db.close()
      }
      const cacheUrls: string[] = []
      let cacheBodies = ''
      for (const name of await caches.keys()) {
        const cache = await caches.open(name)
        for (const request of await cache.keys()) {
          cacheUrls.push(new URL(request.url).pathname)
          const response = await cache.match(request)
          // Built JavaScript is not about anyone; everything else is read whole.
          if (response !== undefined && !/\.(js|opus|ogg|mp3|webm|wav|m4a)$/.test(request.url)) cacheBodies += `${await response.text()}\n`
        }
      }
      return {
        indexedDb,
        decoded,
        records,
        cacheUrls: cacheUrls.sort(),
        cacheBodies,
        local: Object.keys(localStorage),
        session: sessionStorage.length,
      }
    })
  }

  /** None of the plan's questions or answers (as the answers JSON would hold them), no wave id, no "answers". */
  function expectNoTraceOf (plan: Plan, dump: StorageDump): void {
    for (const [question, answer] of Object.entries(plan)) {
      expect(dump.cacheBodies).not.toContain(`"${question}":"${answer}"`)
      expect(dump.cacheBodies).not.toContain(`"${question}":["${answer}"]`)
      // IndexedDB holds base64 only: a question name or a value with "_" could not even appear by chance.
      expect(dump.indexedDb).not.toContain(question)
      expect(dump.decoded).not.toContain(question)
      if (answer.includes('_')) expect(dump.indexedDb).not.toContain(answer)
      expect(dump.decoded).not.toContain(`"${answer}"`)
    }
    expect(dump.indexedDb).not.toContain(study.wave.id)
    expect(dump.decoded).not.toContain(study.wave.id)
    expect(dump.decoded).not.toContain('answers')
    expect(dump.indexedDb).not.toContain('answers')
    expect(dump.cacheBodies).not.toContain('"answers"')
    expect(dump.local).toEqual(['kiosk.device'])
    expect(dump.session).toBe(0)
  }

  /** The service worker controls the page and holds what the kiosk needs to start. */
  async function waitUntilCached (): Promise<void> {
    await page.evaluate(async () => { await navigator.serviceWorker.ready })
    await expect.poll(async () => await page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true)
    await expect.poll(async () => (await dumpStorage()).cacheUrls, { timeout: 15_000 }).toEqual(expect.arrayContaining([
      '/api/kiosk/help', '/api/kiosk/intake-key', '/api/kiosk/wave', '/api/surveys/hverdag/versions/1', '/kiosk/',
    ]))
  }

  /** What the analysis tables hold for the wave once the week's mix has run. */
  async function storedForWave () {
    await mixAllHeld(database.db)
    return await database.db.selectFrom('responses').select(['id', 'answers']).where('wave_id', '=', study.wave.id).execute()
  }

  /** Staff's gesture on the cover ("Ansatte / Staff", then the confirmation): the status it shows, then closed again. */
  async function staffStatus (): Promise<string> {
    await page.getByTestId('staff-open').click()
    await page.getByTestId('staff-confirm').click()
    const line = page.getByTestId('staff-status')
    await expect.poll(async () => await line.innerText()).not.toBe('')
    const text = await line.innerText()
    await page.getByTestId('staff-close').click()
    return text
  }

  /** Starts in bokmål, answers as planned (nothing else), passes the privacy check and sends from the last page. */
  async function completeSurvey (plan: Plan): Promise<void> {
    await page.getByTestId('start').click({ timeout: 15_000 })
    await page.getByRole('button', { name: 'Norsk (bokmål)' }).click()
    await page.getByTestId('page').waitFor()
    for (let step = 0; step < 80; step += 1) {
      for (const [question, answer] of Object.entries(plan)) {
        const choice = page.locator(`label:has(input[name="${question}"][value="${answer}"])`)
        if (await choice.count() > 0 && !await choice.locator('input').isChecked()) await choice.click()
      }
      if (await page.getByTestId('send').count() > 0) {
        await page.getByTestId('send').click()
        await page.getByTestId('done').waitFor({ timeout: 20_000 })
        return
      }
      await page.getByTestId('next').click()
      if (await page.getByTestId('privacy-check').count() > 0) await page.getByTestId('privacy-continue').click()
    }
    throw new Error('the survey did not end')
  }

  it('caches the kiosk and what it needs to start; a later visit downloads no JavaScript', async () => {
    await page.goto(kiosk())
    await page.getByTestId('start').waitFor()
    await waitUntilCached()
    const shell = (await dumpStorage()).cacheUrls.filter((url) => url.startsWith('/kiosk/assets/'))
    expect(shell.some((url) => /\/survey-core-[\w-]+\.js$/.test(url))).toBe(true)

    // The wave's audio: every clip its manifest lists, once the worker has seen the wave.
    const manifest = await fetch(`${origin}/kiosk/audio/hverdag/v1/manifest.json`)
    const clips = manifest.status === 200 ? audioFilesIn(await manifest.json()).map((file) => `/kiosk/audio/hverdag/v1/${file}`) : []
    const cachedAudio = async () => (await dumpStorage()).cacheUrls.filter((url) => url.startsWith('/kiosk/audio/') && !url.endsWith('/manifest.json'))
    await expect.poll(cachedAudio, { timeout: 60_000, interval: 1000 }).toEqual(clips.sort())

    scriptDownloads.length = 0
    await page.reload()
    await page.getByTestId('start').click()
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByTestId('page').waitFor()
    // The browser may check for a new service worker: a revalidation of sw.js (304) downloads nothing.
    expect(scriptDownloads.filter((entry) => !/^\/kiosk\/sw\.js 304$/.test(entry))).toEqual([])
    await page.getByTestId('quick-exit').click()
    await page.getByTestId('start').waitFor()
  })

  it('with the network cut, a respondent completes the survey; the tablet then holds ciphertext only; the network returns and it is stored once', async () => {
    await page.goto(kiosk())
    await page.getByTestId('start').waitFor()
    await waitUntilCached()
    const before = await storedForWave()

    const restoreNetwork = await cutNetwork(tablet)
    // A start without a connection, from the service worker's cache.
    await page.reload()
    await page.getByTestId('start').waitFor()
    await completeSurvey(OFFLINE_PLAN)
    expect(await page.locator('h1').first().textContent()).toBe('Takk!')
    expect(await page.locator('main').innerText()).toContain('lagret kryptert på nettbrettet')
    await screenshot(page, 'offline-thanks-1280x800')

    const queued = await dumpStorage()
    expect(queued.records).toBe(1)
    expect(queued.decoded.length).toBeGreaterThan(0)
    expectNoTraceOf(OFFLINE_PLAN, queued)
    // Only the envelope and a random reference to delete it by: no time, no wave, no response id beside it.
    const record = (JSON.parse(/kiosk-outbox\/sealed: (.*)/.exec(queued.indexedDb)?.[1] ?? '[]') as Array<Record<string, Record<string, string>>>)[0]!
    expect(Object.keys(record).sort()).toEqual(['ref', 'sealed'])
    expect(Object.keys(record.sealed!).sort()).toEqual(['ciphertext', 'iv', 'key', 'keyId'])

    // Staff see it waiting; after a reload without a connection the kiosk still starts.
    await page.getByTestId('done').click()
    await page.getByTestId('start').waitFor()
    await expect.poll(staffStatus).toMatch(/^Venter på sending: 1\. \/ Waiting to be sent: 1\.$/)
    await page.reload()
    await page.getByTestId('start').waitFor()
    await expect.poll(staffStatus).toMatch(/Venter på sending: 1\./)
    await screenshot(page, 'offline-cover-waiting-1280x800')
    expect(await storedForWave()).toEqual(before)

    await restoreNetwork()
    await expect.poll(async () => (await storedForWave()).length, { timeout: 20_000 }).toBe(before.length + 1)
    const stored = (await storedForWave()).filter((row) => !before.some((old) => old.id === row.id))
    expect(stored.map((row) => row.answers)).toEqual([OFFLINE_PLAN])
    // The id came out of the ciphertext: it was nowhere readable on the tablet.
    expect(queued.indexedDb).not.toContain(stored[0]!.id)
    await expect.poll(async () => (await dumpStorage()).records, { timeout: 10_000 }).toBe(0)
    // A count only: when the upload went is nothing the next person at the tablet may learn.
    await expect.poll(staffStatus).toMatch(/^Venter på sending: 0\. \/ Waiting to be sent: 0\.$/)
    // Acknowledged means deleted, and nothing is sent twice.
    await page.reload()
    await page.getByTestId('start').waitFor()
    await page.waitForTimeout(1000)
    expect((await storedForWave()).length).toBe(before.length + 1)
  })

  it('a server that fails (503) or cuts the connection after storing, in the middle of an upload, loses nothing and stores nothing twice', async () => {
    await page.goto(kiosk())
    await page.getByTestId('start').waitFor()
    await waitUntilCached()
    const before = await storedForWave()
    const attempts: string[] = []
    const flaky = async (route: Route) => {
      attempts.push(route.request().method())
      if (attempts.length === 1) {
        await route.fulfill({ status: 503, contentType: 'application/json', headers: { 'retry-after': '1' }, body: '{"code":"database_unavailable","message":"down"}' })
      } else if (attempts.length === 2) {
        // The server stores it, and the tablet never hears back.
        const response = await route.fetch()
        expect(response.status()).toBe(201)
        await route.abort('connectionreset')
      } else {
        await route.continue()
      }
    }
    await tablet.route('**/api/responses', flaky)
    try {
      await completeSurvey(FLAKY_PLAN)
      expect(await page.locator('main').innerText()).toContain('lagret kryptert på nettbrettet')
      // Stored by the second attempt while the tablet still holds its copy.
      await expect.poll(async () => (await storedForWave()).length, { timeout: 20_000 }).toBe(before.length + 1)
      await expect.poll(async () => attempts.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(3)
      await expect.poll(async () => (await dumpStorage()).records, { timeout: 10_000 }).toBe(0)
    } finally {
      await tablet.unroute('**/api/responses', flaky)
    }
    const stored = (await storedForWave()).filter((row) => !before.some((old) => old.id === row.id))
    expect(stored.map((row) => row.answers)).toEqual([FLAKY_PLAN])
    expect(attempts).toEqual(['POST', 'POST', 'POST'])
  })

  it('quick exit leaves no answer in Cache Storage or IndexedDB, and a sealed response waiting there is untouched', async () => {
    await page.goto(kiosk())
    await page.getByTestId('start').waitFor()
    await waitUntilCached()
    const restoreNetwork = await cutNetwork(tablet)
    try {
      await page.reload()
      await page.getByTestId('start').waitFor()
      await completeSurvey(OFFLINE_PLAN)
      await page.getByTestId('done').click()
      const waiting = await dumpStorage()
      expect(waiting.records).toBe(1)

      const midway: Plan = { gender: 'other', age_group: '55_plus' }
      await page.getByTestId('start').click()
      await page.getByRole('button', { name: 'English' }).click()
      for (const [question, answer] of Object.entries(midway)) {
        await page.getByTestId('next').click()
        await page.locator(`label:has(input[name="${question}"][value="${answer}"])`).click()
      }
      const reloaded = page.waitForEvent('load')
      await page.getByTestId('quick-exit').click()
      await reloaded
      await page.getByTestId('start').waitFor()

      const after = await dumpStorage()
      expectNoTraceOf(midway, after)
      expect(after.indexedDb).toBe(waiting.indexedDb)
      expect(after.cacheUrls).toEqual(waiting.cacheUrls)
      expect(await page.content()).not.toContain('55_plus')
    } finally {
      await restoreNetwork()
    }
    await expect.poll(async () => (await dumpStorage()).records, { timeout: 20_000 }).toBe(0)
  })

  it('a page that loaded past the worker (a hard reload, or a reload while it installed) is taken over at once', async () => {
    await page.goto(kiosk())
    await page.getByTestId('start').waitFor()
    await waitUntilCached()
    // A hard reload bypasses the worker: the page starts uncontrolled while an active worker is there.
    const cdp = await tablet.newCDPSession(page)
    const loaded = page.waitForEvent('load')
    await cdp.send('Page.reload', { ignoreCache: true })
    await loaded
    await page.getByTestId('start').waitFor()
    await expect.poll(async () => await page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true)
    await cdp.detach()
  })
})
