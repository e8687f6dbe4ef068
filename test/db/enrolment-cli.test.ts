import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectDatabase } from '../../api/db/connect.js'
import type { DatabaseHandle } from '../../api/db/connect.js'
import { hashEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import { migrateToLatest } from '../../api/db/migrate.js'
import { createSite } from '../../api/db/queries/sites.js'
import { siteFixture } from '../helpers/fixtures.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

const run = promisify(execFile)

describe('npm run enrolment:create', () => {
  let database: TestDatabase
  let dataDir: string
  beforeAll(async () => {
    database = await openTestDatabase()
    dataDir = mkdtempSync(join(tmpdir(), 'prevalens-enrol-'))
  })
  afterAll(async () => {
    await database.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** On PostgreSQL the command gets this file's database; on PGlite a data folder the test prepares and then lets go of. */
  async function withCommandDatabase<T> (use: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
    if (database.url !== undefined) return await use(database)
    const handle = await connectDatabase({ dataDir })
    try {
      await migrateToLatest(handle.db)
      return await use(handle)
    } finally {
      await handle.db.destroy()
    }
  }

  const command = async (...args: string[]) => await run('npx', ['tsx', 'api/cli/enrolment-create.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: database.url ?? '' },
  })

  it('prints a short code for the site and stores only its hash', async () => {
    const site = await withCommandDatabase(async (handle) => await createSite(handle.db, siteFixture({ name: 'CLI site' })))
    const { stdout } = await command('--site', site.id, '--label', 'Desk tablet')
    const code = /Enrolment code for CLI site: ([A-Z0-9]{8})\n/.exec(stdout)?.[1]
    expect(code, stdout).toBeDefined()
    expect(stdout).toMatch(/Single use, valid for 24 hours/)
    const row = await withCommandDatabase(async (handle) =>
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
