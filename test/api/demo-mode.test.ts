import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { currentTotp } from '../../api/auth/totp.js'
import { SeedError, seedDemo } from '../../api/services/seed-demo.js'
import { demoEmail } from '../../api/services/demo-accounts.js'
import { DEMO_SECRETS_FILE, readDemoSecrets } from '../../api/services/demo-secrets.js'
import { publishDefinitions } from '../../api/services/survey-versions.js'
import { loadDefinitions } from '../../survey-definitions/index.js'
import { startApi, stopApi } from '../helpers/api-process.js'
import type { ApiProcess } from '../helpers/api-process.js'
import { buildTestApp } from '../helpers/build-app.js'
import { logInWith } from '../helpers/accounts.js'
import { openCommandDatabase } from '../helpers/command-database.js'
import type { CommandDatabase } from '../helpers/command-database.js'
import { openTestDatabase } from '../helpers/test-db.js'

const run = promisify(execFile)
/** The lines a start prints after "Health:" come a moment later; a second is plenty on a loaded machine. */
const settle = async (): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, 1500)) }
const ROOT = new URL('../..', import.meta.url).pathname

/** Every table demo seeding writes to, with its row count. */
async function seededCounts (db: Awaited<ReturnType<typeof openTestDatabase>>['db']): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of ['survey_versions', 'sites', 'waves', 'devices', 'accounts', 'audit_log'] as const) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    counts[table] = Number(row.n)
  }
  return counts
}

describe('demo data', () => {
  it('is written in one transaction with secrets of its own, kept in a 0600 file the tests and demo:code read', async () => {
    const database = await openTestDatabase()
    const dataDir = mkdtempSync(join(tmpdir(), 'prevalens-demo-'))
    try {
      const seeded = await seedDemo(database.db, dataDir, 'Europe/Oslo')
      const path = join(dataDir, DEMO_SECRETS_FILE)
      expect(statSync(path).mode & 0o777).toBe(0o600)
      const secrets = readDemoSecrets(dataDir)!
      expect(secrets).toEqual(seeded.secrets)
      const { app } = await buildTestApp(database)
      for (const role of ['admin', 'researcher', 'site_staff', 'funder', 'auditor'] as const) {
        expect((await logInWith(app, demoEmail(role), secrets.password, secrets.totp[role])).account.role).toBe(role)
      }
      await app.close()
    } finally {
      await database.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('leaves nothing half-written, and says why, when its files cannot be written (a DATA_DIR that cannot be made)', async () => {
    const database = await openTestDatabase()
    const scratch = mkdtempSync(join(tmpdir(), 'prevalens-demo-'))
    const notAFolder = join(scratch, 'file')
    writeFileSync(notAFolder, '')
    try {
      const before = await seededCounts(database.db)
      const failure = await seedDemo(database.db, join(notAFolder, 'data'), 'Europe/Oslo').catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(SeedError)
      expect((failure as Error).message).toMatch(/could not be written, so none was kept.*ENOTDIR/)
      expect(await seededCounts(database.db)).toEqual(before)
    } finally {
      await database.close()
      rmSync(scratch, { recursive: true, force: true })
    }
  })
})

// Real starts of the server (tsx api/server.ts) on this engine: on PGlite with the data folder, on PostgreSQL with
// this file's own database. DEMO_DATA=on seeds on both; a start with DEMO_DATA unset is `npm start` again.
describe('demo mode at start-up', { timeout: 180_000 }, () => {
  let command: CommandDatabase
  let api: ApiProcess | undefined

  beforeAll(async () => { command = await openCommandDatabase() }, 60_000)
  afterAll(async () => {
    await stopApi(api)
    await command.close()
  })
  const env = (extra: Record<string, string>): Record<string, string> =>
    ({ DATA_DIR: command.env.DATA_DIR ?? '', DATABASE_URL: command.env.DATABASE_URL ?? '', LOG_LEVEL: 'warn', ...extra })

  it('is refused on an address other than loopback, before anything is written', async () => {
    const failed = await startApi(env({ DEMO_DATA: 'on', HOST: '0.0.0.0' })).then(() => undefined, (error: unknown) => String(error))
    expect(failed).toMatch(/HOST="0.0.0.0": demo mode listens on a loopback address only/)
    expect(existsSync(join(command.env.DATA_DIR ?? '', DEMO_SECRETS_FILE))).toBe(false)
  })

  it('prints this install\'s secrets once, says it is demo mode, and a later start re-creates no account unless DEMO_DATA=on', async () => {
    api = await startApi(env({ DEMO_DATA: 'on' }))
    const first = api
    await expect.poll(() => first.output(), { timeout: 10_000 }).toContain('Kiosk: open')
    const secrets = readDemoSecrets(command.env.DATA_DIR ?? '')!
    expect(api.output()).toContain('DEMO MODE')
    expect(api.output()).toContain(secrets.password)
    expect(api.output()).toMatch(/ {2}Instrument: http:\/\/\S+\/api\/surveys\/hverdag\/versions\/1\n/)
    // npm run demo:code reads the same file.
    const { stdout } = await run('npx', ['tsx', 'api/cli/demo-code.ts', 'admin'], { cwd: ROOT, env: { ...process.env, DATA_DIR: command.env.DATA_DIR } })
    expect(stdout).toContain(secrets.password)
    expect(stdout).toMatch(new RegExp(`code (${currentTotp(secrets.totp.admin!, demoEmail('admin'))}|\\d{6})`))
    await stopApi(api)

    await command.use(async ({ db }) => { await db.deleteFrom('accounts').where('email', '=', demoEmail('funder')).execute() })
    // A second instrument published: the start lists every published version, not one named in the code.
    await command.use(async ({ db }) => { await publishDefinitions(db, loadDefinitions(join(ROOT, 'test/fixtures/definitions-second'))) })
    api = await startApi(env({}))
    await settle()
    expect(api.output()).not.toContain(secrets.password)
    expect(api.output().match(/ {2}Instrument: http:\/\/\S+\/api\/surveys\/\S+/g)?.map((line) => line.replace(/http:\/\/[^/]+/, ''))).toEqual([
      '  Instrument: /api/surveys/hverdag/versions/1', '  Instrument: /api/surveys/hverdag/versions/2', '  Instrument: /api/surveys/nabolag/versions/1',
    ])
    await stopApi(api)
    expect(await command.use(async ({ db }) => await db.selectFrom('accounts').select('id').where('email', '=', demoEmail('funder')).execute())).toHaveLength(0)

    api = await startApi(env({ DEMO_DATA: 'on' }))
    const third = api
    await expect.poll(() => third.output(), { timeout: 10_000 }).toContain('Kiosk: open')
    expect(api.output()).toContain('DEMO MODE')
    expect(api.output()).not.toContain(secrets.password)
    await stopApi(api)
    api = undefined
    expect(await command.use(async ({ db }) => await db.selectFrom('accounts').select('id').where('email', '=', demoEmail('funder')).execute())).toHaveLength(1)
  })
})
