import { randomUUID } from 'node:crypto'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApi, stopApi } from '../helpers/api-process.js'
import type { ApiProcess } from '../helpers/api-process.js'
import { launchChromium } from '../helpers/browser.js'
import { openCommandDatabase } from '../helpers/command-database.js'
import type { CommandDatabase } from '../helpers/command-database.js'
import { createStudy } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'

const ANSWERS = { gender: 'other', age_group: '18_24', pushed_ever: 'no', strangled_ever: 'no' }
/** Every path a tablet asks for: the kiosk's pages, assets, worker and audio, its API, enrolment and uploads. */
const RESPONDENT_PATH = /^\/(kiosk(\/|$)|api\/(responses|kiosk|devices|surveys)(\/|$))/
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

interface LogLine { level: number, time: number, reqId?: string, req?: { url?: string }, msg?: string }

describe('the server\'s log, at the default level, after a day of a tablet\'s traffic', () => {
  let database: CommandDatabase
  let study: StudyFixture
  let api: ApiProcess | undefined
  let browser: Browser

  beforeAll(async () => {
    database = await openCommandDatabase()
    study = await database.use(async ({ db }) => await createStudy(db))
    // The real server process, as `npm start` runs it, at the default level (info).
    api = await startApi({ DATABASE_URL: database.env.DATABASE_URL ?? '', DATA_DIR: database.env.DATA_DIR ?? '', LOG_LEVEL: 'info' }, 90_000)
    browser = await launchChromium()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await stopApi(api)
    await database?.close()
  })

  const logLines = (): LogLine[] => (api?.output() ?? '').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogLine)

  it('has no line for the kiosk\'s pages, assets, worker, audio or uploads, and request ids that count nothing', async () => {
    const origin = api!.origin
    const health = async (): Promise<void> => { expect((await fetch(`${origin}/api/health`)).status).toBe(200) }
    await health()

    // A tablet: the kiosk loads, its service worker installs and precaches the shell and the audio, two
    // respondents answer (sealed uploads through the queue), and the kiosk reloads after each.
    const tablet = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await tablet.newPage()
    let kioskRequests = 0
    tablet.on('request', (request) => { if (new URL(request.url()).pathname.startsWith('/kiosk')) kioskRequests += 1 })
    let sealedAccepted = 0
    tablet.on('response', (response) => { if (new URL(response.url()).pathname === '/api/responses' && response.status() === 201) sealedAccepted += 1 })
    try {
      await page.goto(`${origin}/kiosk/`)
      await page.evaluate((token) => { localStorage.setItem('kiosk.device', token) }, study.token)
      for (const lang of ['Norsk (bokmål)', 'English']) {
        await page.goto(`${origin}/kiosk/`)
        await page.getByTestId('start').click({ timeout: 15_000 })
        await page.getByRole('button', { name: lang }).click()
        await page.getByTestId('page').waitFor()
        for (let step = 0; step < 80 && await page.getByTestId('send').count() === 0; step += 1) {
          // One answer, so that the upload is accepted (an empty response is refused).
          const gender = page.locator('label:has(input[name="gender"][value="other"])')
          if (await gender.count() > 0 && !await gender.locator('input').isChecked()) await gender.click()
          await page.getByTestId('next').click()
          if (await page.getByTestId('privacy-check').count() > 0) await page.getByTestId('privacy-continue').click()
        }
        await page.getByTestId('send').click()
        await page.getByTestId('done').click({ timeout: 20_000 })
        await page.getByTestId('start').waitFor()
      }
      await page.evaluate(async () => { await navigator.serviceWorker.ready })
    } finally {
      await tablet.close()
    }
    expect(kioskRequests).toBeGreaterThan(5)
    expect(sealedAccepted).toBe(2)

    await health()
    // Plain uploads and refusals between two logged requests: a counter would jump by their number.
    let accepted = 0
    for (let upload = 0; upload < 25; upload += 1) {
      const reply = await fetch(`${origin}/api/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${study.token}` },
        body: JSON.stringify({ id: randomUUID(), waveId: study.wave.id, answers: upload % 5 === 4 ? { gender: 'robot' } : ANSWERS }),
      })
      if (reply.status === 201) accepted += 1
      else expect([400, 422]).toContain(reply.status)
    }
    expect(accepted).toBe(20)
    await health()
    // The control: the console's page is logged like any other staff request.
    expect((await fetch(`${origin}/console/`)).status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 300))

    const lines = logLines()
    const urls = lines.flatMap((line) => line.req?.url === undefined ? [] : [line.req.url])
    expect(urls.filter((url) => url === '/api/health')).toHaveLength(3)
    expect(urls).toContain('/console/')
    expect(urls.filter((url) => RESPONDENT_PATH.test(url))).toEqual([])
    expect(lines.map((line) => JSON.stringify(line)).filter((line) => /\/kiosk|\/api\/responses|\/api\/surveys|\/api\/devices/.test(line))).toEqual([])
    // Every logged request has a random id: distinct, unordered, nothing to subtract.
    const ids = [...new Set(lines.flatMap((line) => line.reqId === undefined ? [] : [line.reqId]))]
    expect(ids.length).toBe(urls.length)
    for (const id of ids) expect(id).toMatch(UUID_V4)
  }, 180_000)
})
