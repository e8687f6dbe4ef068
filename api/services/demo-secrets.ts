import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { generatePassword } from '../auth/passwords.js'
import { ROLES_NEEDING_TOTP } from '../auth/roles.js'
import type { Role } from '../auth/roles.js'
import { newTotpSecret } from '../auth/totp.js'

/**
 * The demo accounts' secrets, made at random on the first demo start of each install (never derived from
 * anything public), kept beside the database in a file only its owner may read, printed once, and read by
 * `npm run demo:code`. Anyone who can read the data folder can read the database too, so the file gives
 * away nothing more.
 */
export interface DemoSecrets {
  /** Every demo account's password. */
  password: string
  /** Second-factor secrets of the roles that need one. */
  totp: Partial<Record<Role, string>>
}

export const DEMO_SECRETS_FILE = 'demo-secrets.json'

export const demoSecretsPath = (dataDir: string): string => join(dataDir, DEMO_SECRETS_FILE)

export function newDemoSecrets (): DemoSecrets {
  return { password: generatePassword(), totp: Object.fromEntries(ROLES_NEEDING_TOTP.map((role) => [role, newTotpSecret()])) }
}

export function readDemoSecrets (dataDir: string): DemoSecrets | undefined {
  const path = demoSecretsPath(dataDir)
  if (!existsSync(path)) return undefined
  return JSON.parse(readFileSync(path, 'utf8')) as DemoSecrets
}

/**
 * Writes a file readable by its owner only (0600), never over an existing one ('wx'); the folder is made
 * (0700) when missing.
 */
export function writePrivateFile (dataDir: string, name: string, text: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const path = join(dataDir, name)
  const fd = openSync(path, 'wx', 0o600)
  try {
    writeSync(fd, text)
  } finally {
    closeSync(fd)
  }
  return path
}

export function writeDemoSecrets (dataDir: string, secrets: DemoSecrets): string {
  return writePrivateFile(dataDir, DEMO_SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`)
}

export function removeIfPresent (path: string): void {
  if (existsSync(path)) unlinkSync(path)
}
