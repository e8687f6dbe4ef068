import type { Kysely } from 'kysely'
import { ROLES, ROLES_NEEDING_TOTP } from '../auth/roles.js'
import type { Role } from '../auth/roles.js'
import { currentTotp } from '../auth/totp.js'
import type { Database } from '../db/database.js'
import { createAccount } from './accounts.js'
import type { DemoSecrets } from './demo-secrets.js'

export const DEMO_EMAIL_DOMAIN = 'demo.prevalens.test'

export const demoEmail = (role: Role): string => `${role.replace('_', '-')}@${DEMO_EMAIL_DOMAIN}`

export interface DemoAccount {
  email: string
  role: Role
  /** For roles with a second factor: the secret, for `npm run demo:code` or an authenticator app. */
  totpSecret: string | null
}

/**
 * Creates the demo accounts that do not exist yet (site staff at the given site) with this install's random
 * secrets, and lists them all. Runs on the first demo start, in the seeding's transaction, and later only when
 * DEMO_DATA=on asks for it.
 */
export async function ensureDemoAccounts (db: Kysely<Database>, staffSiteId: string | undefined, secrets: DemoSecrets): Promise<DemoAccount[]> {
  for (const role of ROLES) {
    if (role === 'site_staff' && staffSiteId === undefined) continue
    const exists = await db.selectFrom('accounts').select('id').where('email', '=', demoEmail(role)).executeTakeFirst()
    if (exists === undefined) {
      const { account } = await createAccount(db, { email: demoEmail(role), role, siteId: role === 'site_staff' ? staffSiteId : null, password: secrets.password }, null)
      const totp = secrets.totp[role]
      if (ROLES_NEEDING_TOTP.includes(role) && totp !== undefined) await db.updateTable('accounts').set({ totp_secret: totp }).where('id', '=', account.id).execute()
    }
  }
  return await demoAccounts(db)
}

export async function demoAccounts (db: Kysely<Database>): Promise<DemoAccount[]> {
  const rows = await db.selectFrom('accounts').select(['email', 'role', 'totp_secret'])
    .where('email', 'like', `%@${DEMO_EMAIL_DOMAIN}`).orderBy('email').execute()
  return rows.map((row) => ({ email: row.email, role: row.role, totpSecret: row.totp_secret }))
}

/** The lines printed once, when the demo accounts are made: the password and second-factor secrets of this install. */
export function describeNewDemoAccounts (accounts: DemoAccount[], secrets: DemoSecrets, origin: string, secretsPath: string): string[] {
  const lines = [
    '',
    `Demo accounts, made for this install only. Password (all of them, shown this once): ${secrets.password}`,
    `  Kept in ${secretsPath} (readable by you only); npm run demo:code -- ROLE prints it and the current code.`,
    `  Console: ${origin}/console/  Results: ${origin}/results/`,
  ]
  for (const account of accounts) {
    const factor = account.totpSecret === null ? 'no second factor' : `code now ${currentTotp(account.totpSecret, account.email)} (npm run demo:code -- ${account.role}); secret ${account.totpSecret}`
    lines.push(`  ${account.role.padEnd(10)} ${account.email.padEnd(34)} ${factor}`)
  }
  return lines
}
