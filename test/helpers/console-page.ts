import type { Page } from 'playwright-core'
import { currentTotp } from '../../api/auth/totp.js'
import { TEST_PASSWORD } from './accounts.js'

/** Logs a test account into the console as a person does: address, password, then the current TOTP code. */
export async function logInToConsole (page: Page, origin: string, account: { email: string, totpSecret?: string | null }): Promise<void> {
  await page.goto(`${origin}/console/`)
  await page.getByLabel('E-mail address').fill(account.email)
  await page.getByLabel('Password').fill(TEST_PASSWORD)
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByLabel(/6-digit code/).fill(currentTotp(account.totpSecret ?? '', account.email))
  await page.getByRole('button', { name: 'Log in' }).click()
  await page.getByTestId('role').waitFor()
}
