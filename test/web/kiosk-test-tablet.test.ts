import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { createStudy, responseTableCounts } from '../helpers/fixtures.js'
import type { StudyFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const VIEWPORTS = [{ width: 800, height: 1280 }, { width: 1440, height: 900 }] as const

/** A researcher tries the survey version on a real tablet: marked as a test on every screen, nothing counted. */
describe('the kiosk on a test tablet', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let study: StudyFixture
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    study = await createStudy(database.db)
    browser = await launchChromium()
    page = await (await browser.newContext({ viewport: VIEWPORTS[0] })).newPage()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  const testResponses = async () => await database.db.selectFrom('test_responses').selectAll().execute()

  it('says on every screen that answers are not counted, and keeps a completed one apart from live responses', async () => {
    const { code } = await createEnrolmentCode(database.db, study.site.id, 'Trial', undefined, study.wave.survey_version_id)
    await page.goto(`${origin}/kiosk/`)
    await page.getByLabel(/Kode/).fill(code)
    await page.getByRole('button', { name: /Registrer/ }).click()
    await page.getByRole('button', { name: 'OK' }).click()
    const band = page.getByTestId('test-band')
    await band.waitFor({ timeout: 10_000 })
    expect(await band.innerText()).toBe('Testnettbrett: svarene telles ikke · Test tablet: answers are not counted')
    expect(await seriousAxeViolations(page)).toEqual([])
    await screenshot(page, 'test-tablet-cover-800x1280')

    await page.getByTestId('start').click()
    await page.getByRole('button', { name: 'English' }).click()
    await page.getByTestId('page').waitFor()
    expect(await band.count()).toBe(1)
    await page.setViewportSize(VIEWPORTS[1])
    await screenshot(page, 'test-tablet-question-1440x900')

    const before = await responseTableCounts(database.db)
    for (let step = 0; step < 80 && await page.getByTestId('send').count() === 0; step += 1) {
      const first = page.locator('[data-testid="page"] input[type="radio"]').first()
      if (await first.count() > 0) await page.locator('[data-testid="page"] label:has(input[type="radio"])').first().click()
      await page.getByTestId('next').click()
      if (await page.getByTestId('privacy-check').count() > 0) await page.getByTestId('privacy-continue').click()
      expect(await band.count()).toBe(1)
    }
    await page.getByTestId('send').click()
    await page.getByTestId('done').waitFor()
    expect(await band.count()).toBe(1)

    await expect.poll(async () => (await testResponses()).length, { timeout: 10_000 }).toBe(1)
    expect((await testResponses())[0]?.survey_version_id).toBe(study.wave.survey_version_id)
    expect(await responseTableCounts(database.db)).toEqual(before)
  })

  it('shows no band on a live tablet', async () => {
    const live = await (await browser.newContext({ viewport: VIEWPORTS[0] })).newPage()
    const { code } = await createEnrolmentCode(database.db, study.site.id, 'Live')
    await live.goto(`${origin}/kiosk/`)
    await live.getByLabel(/Kode/).fill(code)
    await live.getByRole('button', { name: /Registrer/ }).click()
    await live.getByRole('button', { name: 'OK' }).click()
    await live.getByTestId('start').click({ timeout: 10_000 })
    await live.getByRole('button', { name: 'English' }).click()
    await live.getByTestId('page').waitFor()
    expect(await live.getByTestId('test-band').count()).toBe(0)
  })
})
