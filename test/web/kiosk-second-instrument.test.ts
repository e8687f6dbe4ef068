import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enrolDevice } from '../../api/db/queries/devices.js'
import { createSite } from '../../api/db/queries/sites.js'
import { findSurveyVersion } from '../../api/db/queries/survey-versions.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { addDays, studyToday } from '../../api/study-calendar.js'
import { loadDefinitions } from '../../survey-definitions/index.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot } from '../helpers/browser.js'
import { createWave, siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const SECOND_DIR = resolve(fileURLToPath(new URL('../fixtures/definitions-second', import.meta.url)))

/** The kiosk asks its privacy check before the page the served version's instrument names, not hverdag's. */
describe('the kiosk serving a second instrument', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let token: string
  let browser: Browser

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    await publishDefinitions(database.db, loadDefinitions(SECOND_DIR))
    const version = await findSurveyVersion(database.db, 'nabolag', 1)
    if (version === undefined) throw new Error('nabolag v1 was not published')
    const site = await createSite(database.db, siteFixture())
    const today = studyToday('Europe/Oslo')
    await createWave(database.db, { name: 'Neighbourhood wave', survey_version_id: version.id, opens_on: addDays(today, -1), closes_on: addDays(today, 30), status: 'open' }, [{ siteId: site.id }])
    token = (await enrolDevice(database.db, site.id, 'Tablet N')).token
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  it('asks "can you answer undisturbed?" once, right before its own privacy-check page', async () => {
    const tablet = await browser.newContext({ viewport: { width: 800, height: 1280 } })
    const page = await tablet.newPage()
    try {
      await page.goto(`${origin}/kiosk/`)
      await page.evaluate((value) => { localStorage.setItem('kiosk.device', value) }, token)
      await page.goto(`${origin}/kiosk/`)
      await page.getByTestId('start').click({ timeout: 15_000 })
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByTestId('page').waitFor()
      const seen: string[] = []
      for (let step = 0; step < 12; step += 1) {
        if (await page.getByTestId('privacy-check').count() > 0) {
          seen.push('(privacy check)')
          await screenshot(page, 'kiosk-second-instrument-privacy-check-800x1280')
          await page.getByTestId('privacy-continue').click()
          continue
        }
        seen.push((await page.getByTestId('page').getAttribute('data-page')) ?? '')
        if (await page.getByTestId('send').count() > 0) break
        await page.getByTestId('next').click()
      }
      expect(seen).toEqual(['page_about_you', 'page_sleep', '(privacy check)', 'page_street_intro', 'page_threatened', 'page_hit'])
    } finally {
      await tablet.close()
    }
  }, 120_000)
})
