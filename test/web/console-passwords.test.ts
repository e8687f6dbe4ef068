import type { FastifyInstance } from 'fastify'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { currentTotp } from '../../api/auth/totp.js'
import { TEST_PASSWORD, createTestAccount, logInWith, loginAs } from '../helpers/accounts.js'
import { buildTestApp } from '../helpers/build-app.js'
import { launchChromium, screenshot, seriousAxeViolations } from '../helpers/browser.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const NEW_PASSWORD = 'lantern orchard quietly 42 rivers'

/** Changing one's own password in the console, and choosing one after an admin's reset, in Chromium. */
describe('passwords in the console', () => {
  let database: TestDatabase
  let app: FastifyInstance
  let origin: string
  let browser: Browser

  beforeAll(async () => {
    database = await openTestDatabase()
    app = (await buildTestApp(database, { LOG_LEVEL: 'warn' })).app
    origin = await app.listen({ port: 0, host: '127.0.0.1' })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await database?.close()
  })

  async function logIn (email: string, password: string): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await page.goto(`${origin}/console/`)
    await page.getByLabel('E-mail address').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Log in' }).click()
    return page
  }

  it('changes one\'s own password: a wrong current one and a guessable new one are refused with the reason', async () => {
    const { email } = await createTestAccount(database.db, 'auditor')
    const elsewhere = await logInWith(app, email, TEST_PASSWORD)
    const page = await logIn(email, TEST_PASSWORD)
    await page.getByTestId('change-password').click()
    await page.getByRole('heading', { level: 1, name: 'Change password' }).waitFor()
    const form = page.getByTestId('password-form')

    await form.getByLabel('Current password').fill('not my password at all')
    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await form.getByLabel('New password again').fill(NEW_PASSWORD)
    await form.getByRole('button', { name: 'Change password' }).click()
    await form.getByRole('alert').getByText(/the current password is wrong/).waitFor()

    await form.getByLabel('Current password').fill(TEST_PASSWORD)
    await form.getByLabel('New password', { exact: true }).fill('Password1234!')
    await form.getByLabel('New password again').fill('Password1234!')
    await form.getByRole('button', { name: 'Change password' }).click()
    await form.getByRole('alert').getByText(/too easy to guess/).waitFor()
    expect(await seriousAxeViolations(page)).toEqual([])
    await screenshot(page, 'console-password-refused')

    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await form.getByLabel('New password again').fill(NEW_PASSWORD)
    await form.getByRole('button', { name: 'Change password' }).click()
    await page.getByTestId('password-changed').getByText(/Your password is changed/).waitFor()
    // The other session ended; the new password works, the old one does not.
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: elsewhere.headers })).statusCode).toBe(401)
    expect((await logInWith(app, email, NEW_PASSWORD)).account.email).toBe(email)
    await expect(logInWith(app, email, TEST_PASSWORD)).rejects.toThrow(/401/)
    await page.context().close()
  })

  it('after an admin\'s reset, asks for a new password before anything else, then opens the console', async () => {
    const admin = await loginAs(app, database.db, 'admin')
    const { email, account } = await createTestAccount(database.db, 'auditor')
    const reset = await app.inject({ method: 'POST', url: `/api/accounts/${account.id}/password-reset`, headers: admin.headers })
    const { generatedPassword } = reset.json<{ generatedPassword: string }>()
    const page = await logIn(email, generatedPassword)
    await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor()
    expect(await page.getByRole('navigation', { name: 'Console' }).count()).toBe(0)
    expect(await seriousAxeViolations(page)).toEqual([])
    await screenshot(page, 'console-password-forced')
    const form = page.getByTestId('password-form')
    await form.getByLabel('Current password').fill(generatedPassword)
    await form.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD)
    await form.getByLabel('New password again').fill(NEW_PASSWORD)
    await form.getByRole('button', { name: 'Save my new password' }).click()
    await page.getByTestId('role').getByText('auditor').waitFor()
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Audit log' }).waitFor()
    await page.context().close()
  })

  it('lets an admin reset another account\'s password from the accounts screen, shown once', async () => {
    const { email, account } = await createTestAccount(database.db, 'funder')
    const admin = await createTestAccount(database.db, 'admin')
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await page.goto(`${origin}/console/`)
    await page.getByLabel('E-mail address').fill(admin.email)
    await page.getByLabel('Password').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByLabel(/6-digit code/).fill(currentTotp(admin.totpSecret ?? '', admin.email))
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.getByTestId('role').waitFor()
    await page.goto(`${origin}/console/#/accounts`)
    await page.getByRole('button', { name: `Reset password of ${email}` }).click()
    await page.getByRole('button', { name: 'Reset password', exact: true }).click()
    const shown = (await page.getByTestId('reset-generated-password').textContent()) ?? ''
    expect(shown.length).toBeGreaterThanOrEqual(20)
    const session = await logInWith(app, email, shown)
    expect((await app.inject({ method: 'GET', url: '/api/session', headers: session.headers })).json()).toMatchObject({ mustChangePassword: true, account: { id: account.id } })
    await page.context().close()
  })
})
