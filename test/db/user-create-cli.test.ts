import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { passwordMatches } from '../../api/auth/passwords.js'
import { connectDatabase } from '../../api/db/connect.js'
import type { DatabaseHandle } from '../../api/db/connect.js'
import { openTestDatabase } from '../helpers/test-db.js'
import type { TestDatabase } from '../helpers/test-db.js'

interface Outcome { code: number | null, stdout: string, stderr: string }

// Each command starts tsx and opens the database (PGlite migrates its folder first): seconds each on a busy machine.
describe('npm run user:create', { timeout: 120_000 }, () => {
  let database: TestDatabase
  let dataDir: string
  beforeAll(async () => {
    database = await openTestDatabase()
    dataDir = mkdtempSync(join(tmpdir(), 'prevalens-user-'))
  })
  afterAll(async () => {
    await database.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** On PostgreSQL the command gets this file's database; on PGlite a data folder of its own, opened after the command let go of it. */
  async function withCommandDatabase<T> (use: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
    if (database.url !== undefined) return await use(database)
    const handle = await connectDatabase({ dataDir })
    try {
      return await use(handle)
    } finally {
      await handle.db.destroy()
    }
  }

  const command = async (stdin: string, ...args: string[]): Promise<Outcome> => await new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'api/cli/user-create.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: database.url ?? '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('error', reject)
    child.on('close', (code) => { resolve({ code, stdout, stderr }) })
    child.stdin.end(stdin)
  })

  it('creates an account with the password from stdin, and a TOTP secret for a researcher', async () => {
    const result = await command('a long enough passphrase 42\n', '--email', 'Forsker@Example.org', '--role', 'researcher')
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/Created researcher account forsker@example\.org/)
    expect(result.stdout).toMatch(/otpauth:\/\/totp\/Prevalens:forsker%40example\.org\?/)
    expect(result.stdout).not.toMatch(/Password/)
    const row = await withCommandDatabase(async (handle) =>
      await handle.db.selectFrom('accounts').selectAll().where('email', '=', 'forsker@example.org').executeTakeFirstOrThrow())
    expect(row.role).toBe('researcher')
    expect(await passwordMatches(row.password_hash, 'a long enough passphrase 42')).toBe(true)
    expect(row.totp_secret).toMatch(/^[A-Z2-7]{32}$/)
  })

  it('generates a password and prints it once when stdin gives none', async () => {
    const result = await command('', '--email', 'funder@example.org', '--role', 'funder')
    expect(result.code, result.stderr).toBe(0)
    const password = /Password \(shown once, not stored in clear\): (\S+)/.exec(result.stdout)?.[1]
    expect(password).toBeDefined()
    const row = await withCommandDatabase(async (handle) =>
      await handle.db.selectFrom('accounts').selectAll().where('email', '=', 'funder@example.org').executeTakeFirstOrThrow())
    expect(row.password_hash).not.toContain(password)
    expect(await passwordMatches(row.password_hash, password!)).toBe(true)
    expect(row.totp_secret).toBeNull()
  })

  it('refuses a weak password, an unknown role and site staff without a site, naming the problem', async () => {
    expect(await command('password1234', '--email', 'weak@example.org', '--role', 'auditor'))
      .toMatchObject({ code: 1, stderr: expect.stringMatching(/commonest passwords/) })
    expect(await command('', '--email', 'x@example.org', '--role', 'owner')).toMatchObject({ code: 2, stderr: expect.stringMatching(/ROLE is one of admin, researcher/) })
    expect(await command('', '--email', 'staff@example.org', '--role', 'site_staff')).toMatchObject({ code: 1, stderr: expect.stringMatching(/needs the site/) })
  })
})
