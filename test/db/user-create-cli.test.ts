import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { passwordMatches } from '../../api/auth/passwords.js'
import { openCommandDatabase } from '../helpers/command-database.js'
import type { CommandDatabase } from '../helpers/command-database.js'

interface Outcome { code: number | null, stdout: string, stderr: string }

// Each command starts tsx and opens the database (PGlite migrates its folder first): seconds each on a busy machine.
describe('npm run user:create', { timeout: 120_000 }, () => {
  let commandDb: CommandDatabase
  beforeAll(async () => {
    commandDb = await openCommandDatabase()
  })
  afterAll(async () => {
    await commandDb?.close()
  })

  const command = async (stdin: string, ...args: string[]): Promise<Outcome> => await new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'api/cli/user-create.ts', ...args], {
      env: commandDb.env,
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
    const row = await commandDb.use(async (handle) =>
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
    const row = await commandDb.use(async (handle) =>
      await handle.db.selectFrom('accounts').selectAll().where('email', '=', 'funder@example.org').executeTakeFirstOrThrow())
    expect(row.password_hash).not.toContain(password)
    expect(await passwordMatches(row.password_hash, password!)).toBe(true)
    expect(row.totp_secret).toBeNull()
  })

  it('refuses a weak password, an unknown role and site staff without a site, naming the problem', async () => {
    expect(await command('password1234', '--email', 'weak@example.org', '--role', 'auditor'))
      .toMatchObject({ code: 1, stderr: expect.stringMatching(/too easy to guess/) })
    expect(await command('', '--email', 'x@example.org', '--role', 'owner')).toMatchObject({ code: 2, stderr: expect.stringMatching(/ROLE is one of admin, researcher/) })
    expect(await command('', '--email', 'staff@example.org', '--role', 'site_staff')).toMatchObject({ code: 1, stderr: expect.stringMatching(/needs the site/) })
  })
})
