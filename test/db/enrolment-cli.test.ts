import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import { createSite } from '../../api/db/queries/sites.js'
import { siteFixture } from '../helpers/fixtures.js'
import { openCommandDatabase } from '../helpers/command-database.js'
import type { CommandDatabase } from '../helpers/command-database.js'

const run = promisify(execFile)

describe('npm run enrolment:create', () => {
  let commandDb: CommandDatabase
  beforeAll(async () => {
    commandDb = await openCommandDatabase()
  })
  afterAll(async () => {
    await commandDb?.close()
  })

  const command = async (...args: string[]) => await run('npx', ['tsx', 'api/cli/enrolment-create.ts', ...args], {
    env: commandDb.env,
  })

  it('prints a short code for the site and stores only its hash', async () => {
    const site = await commandDb.use(async (handle) => await createSite(handle.db, siteFixture({ name: 'CLI site' })))
    const { stdout } = await command('--site', site.id, '--label', 'Desk tablet')
    const code = /Enrolment code for CLI site: ([A-Z0-9]{8})\n/.exec(stdout)?.[1]
    expect(code, stdout).toBeDefined()
    expect(stdout).toMatch(/Single use, valid for 24 hours/)
    const row = await commandDb.use(async (handle) =>
      await handle.db.selectFrom('enrolment_codes').select(['site_id', 'label', 'used_at']).where('code_hash', '=', hashEnrolmentCode(code!)).executeTakeFirst())
    expect(row).toEqual({ site_id: site.id, label: 'Desk tablet', used_at: null })
  })

  it('refuses a missing or malformed site id with its usage, and an unknown site by name', async () => {
    await expect(command()).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/usage: npm run enrolment:create -- --site SITE_ID/) })
    await expect(command('--site', 'oslo')).rejects.toMatchObject({ code: 2 })
    await expect(command('--site', '00000000-0000-4000-8000-000000000000'))
      .rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/site 00000000-0000-4000-8000-000000000000 does not exist/) })
  })
})
