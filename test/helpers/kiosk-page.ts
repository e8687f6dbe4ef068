import type { Kysely } from 'kysely'
import type { BrowserContext, Page } from 'playwright-core'
import type { Database } from '../../api/db/database.js'
import { createEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'

/**
 * A tablet enrolled in the browser as staff do, with a one-time code for the site: a test tablet when given the
 * survey version it tries. Returns the page on the kiosk's cover.
 */
export async function enrolTabletInBrowser (context: BrowserContext, origin: string, db: Kysely<Database>, siteId: string, testVersion?: number): Promise<Page> {
  const { code } = await createEnrolmentCode(db, siteId, testVersion === undefined ? 'Live' : 'Trial', undefined, testVersion)
  const page = await context.newPage()
  await page.goto(`${origin}/kiosk/`)
  await page.getByLabel(/Kode/).fill(code)
  await page.getByRole('button', { name: /Registrer/ }).click()
  await page.getByRole('button', { name: 'OK' }).click()
  await page.getByTestId('start').waitFor({ timeout: 10_000 })
  return page
}

/**
 * Clicks through to the send button, choosing each page's first single choice, and sends. `onPage` sees each
 * page by name before it is answered ('privacy-check' for the privacy check).
 */
export async function completeSurvey (page: Page, onPage?: (name: string) => Promise<void>): Promise<void> {
  for (let step = 0; step < 80 && await page.getByTestId('send').count() === 0; step += 1) {
    if (await page.getByTestId('privacy-check').count() > 0) {
      await onPage?.('privacy-check')
      await page.getByTestId('privacy-continue').click()
      continue
    }
    const name = await page.getByTestId('page').getAttribute('data-page') ?? ''
    const radio = page.locator('[data-testid="page"] label:has(input[type="radio"])').first()
    if (await radio.count() > 0) await radio.click()
    await onPage?.(name)
    await page.getByTestId('next').click()
  }
  await page.getByTestId('send').click()
  await page.getByTestId('done').waitFor({ timeout: 15_000 })
}

/** The path of the clip in the kiosk's one audio element, or null when none is set (nothing plays). */
export async function playingClip (page: Page): Promise<string | null> {
  return await page.evaluate(() => {
    const src = document.querySelector('[data-testid="kiosk-audio"]')?.getAttribute('src') ?? null
    return src === null ? null : new URL(src, location.href).pathname
  })
}
