import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DATA_DIR_LOCK_FILE } from '../../api/db/data-dir-lock.js'
import { hashEnrolmentCode } from '../../api/db/queries/enrolment-codes.js'
import { createSite } from '../../api/db/queries/sites.js'
import { killApi, startApi, stopApi } from '../helpers/api-process.js'
import type { ApiProcess } from '../helpers/api-process.js'
import { openCommandDatabase } from '../helpers/command-database.js'
import type { CommandDatabase } from '../helpers/command-database.js'
import { siteFixture } from '../helpers/fixtures.js'
import { engineUnderTest } from '../helpers/test-db.js'

const run = promisify(execFile)
const UNKNOWN_WAVE = '00000000-0000-4000-8000-000000000000'

// The real commands (npx tsx api/cli/...) while a real server (npx tsx api/server.ts) runs on the same DATA_DIR
// or DATABASE_URL: the embedded database serves one process at a time, PostgreSQL serves them all.
describe('commands beside a running server', { timeout: 300_000 }, () => {
  let commandDb: CommandDatabase
  let api: ApiProcess | undefined
  let siteId: string

  const command = async (script: string, ...args: string[]) => await run('npx', ['tsx', `api/cli/${script}.ts`, ...args], { env: commandDb.env })
  const codesStored = async (): Promise<number> => await commandDb.use(async ({ db }) =>
    Number((await db.selectFrom('enrolment_codes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n))
  const codeStored = async (stdout: string): Promise<boolean> => {
    const code = /Enrolment code for .*: ([A-Z0-9]{8})\n/.exec(stdout)?.[1]
    expect(code, stdout).toBeDefined()
    return await commandDb.use(async ({ db }) => (await db.selectFrom('enrolment_codes').select('id').where('code_hash', '=', hashEnrolmentCode(code!)).executeTakeFirst()) !== undefined)
  }

  beforeAll(async () => {
    commandDb = await openCommandDatabase()
    siteId = (await commandDb.use(async ({ db }) => await createSite(db, siteFixture({ name: 'Beside the server' })))).id
  }, 60_000)
  afterAll(async () => {
    await stopApi(api)
    await commandDb?.close()
  })

  it.runIf(engineUnderTest === 'pglite')('on the embedded database: refuse at once, naming the server and what to do, and write nothing', async () => {
    api = await startApi({ DATA_DIR: commandDb.env.DATA_DIR!, DATABASE_URL: '' })
    const busy = /failed: the embedded database in .* is in use by another process \(pid \d+, server\.ts\)\. .*Stop that process first/
    await expect(command('enrolment-create', '--site', siteId)).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(busy) })
    await expect(command('seed-synthetic', '--wave', UNKNOWN_WAVE, '--responses', '10')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(busy) })
    await expect(command('migrate')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(busy) })
    const backupDir = mkdtempSync(join(tmpdir(), 'prevalens-backup-'))
    try {
      await expect(command('backup', '--out', join(backupDir, 'b.tar'))).rejects.toMatchObject({ stderr: expect.stringMatching(/in use by another process/) })
      expect(existsSync(join(backupDir, 'b.tar'))).toBe(false)
    } finally {
      rmSync(backupDir, { recursive: true, force: true })
    }
    await stopApi(api)
    api = undefined
    // Nothing the refused commands might have written exists, and with the server stopped the same command works.
    expect(await codesStored()).toBe(0)
    expect(existsSync(join(commandDb.env.DATA_DIR!, DATA_DIR_LOCK_FILE))).toBe(false)
    const { stdout } = await command('enrolment-create', '--site', siteId)
    expect(await codeStored(stdout)).toBe(true)
  })

  it.runIf(engineUnderTest === 'pglite')('on the embedded database: a server killed outright does not leave the folder locked', async () => {
    api = await startApi({ DATA_DIR: commandDb.env.DATA_DIR!, DATABASE_URL: '' })
    await killApi(api)
    api = undefined
    expect(existsSync(join(commandDb.env.DATA_DIR!, DATA_DIR_LOCK_FILE))).toBe(true)
    const { stdout } = await command('enrolment-create', '--site', siteId)
    expect(await codeStored(stdout)).toBe(true)
  })

  it.runIf(engineUnderTest === 'postgresql')('on PostgreSQL: commands work while the server runs, and what they write is there', async () => {
    api = await startApi({ DATA_DIR: commandDb.env.DATA_DIR!, DATABASE_URL: commandDb.env.DATABASE_URL! })
    const { stdout } = await command('enrolment-create', '--site', siteId)
    expect(await codeStored(stdout)).toBe(true)
    await expect(command('seed-synthetic', '--wave', UNKNOWN_WAVE, '--responses', '10'))
      .rejects.toMatchObject({ code: 1, stderr: expect.not.stringMatching(/in use by another process/) })
  })
})
