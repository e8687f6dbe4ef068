import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { ROLES, ROLES_NEEDING_TOTP } from '../auth/roles.js'
import type { Role } from '../auth/roles.js'
import { currentTotp } from '../auth/totp.js'
import type { Database } from '../db/database.js'
import { createAccount } from './accounts.js'

/** Demo mode only: one account per role, all with this password, printed at start-up. */
export const DEMO_PASSWORD = 'Prevalens-demo-2026!'
export const DEMO_EMAIL_DOMAIN = 'demo.prevalens.test'

export const demoEmail = (role: Role): string => `${role.replace('_', '-')}@${DEMO_EMAIL_DOMAIN}`

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * Demo accounts get a TOTP secret anyone can work out from the role, so that `npm run demo:code` can print the
 * current code without opening the database (the embedded one is locked by the running server). Demo only.
 */
export function demoTotpSecret (role: Role): string {
  return [...createHash('sha256').update(`prevalens demo ${role}`).digest().subarray(0, 20)].map((byte) => BASE32[byte & 31]).join('')
}

export interface DemoAccount {
  email: string
  role: Role
  /** For roles with a second factor: the secret, for `npm run demo:code` or an authenticator app. */
  totpSecret: string | null
}

/** Creates the demo accounts that do not exist yet (site staff at the given site) and lists them all. */
export async function ensureDemoAccounts (db: Kysely<Database>, staffSiteId: string | undefined): Promise<DemoAccount[]> {
  for (const role of ROLES) {
    if (role === 'site_staff' && staffSiteId === undefined) continue
    const exists = await db.selectFrom('accounts').select('id').where('email', '=', demoEmail(role)).executeTakeFirst()
    if (exists === undefined) {
      const { account } = await createAccount(db, { email: demoEmail(role), role, siteId: role === 'site_staff' ? staffSiteId : null, password: DEMO_PASSWORD }, null)
      if (ROLES_NEEDING_TOTP.includes(role)) await db.updateTable('accounts').set({ totp_secret: demoTotpSecret(role) }).where('id', '=', account.id).execute()
    }
  }
  return await demoAccounts(db)
}

export async function demoAccounts (db: Kysely<Database>): Promise<DemoAccount[]> {
  const rows = await db.selectFrom('accounts').select(['email', 'role', 'totp_secret'])
    .where('email', 'like', `%@${DEMO_EMAIL_DOMAIN}`).orderBy('email').execute()
  return rows.map((row) => ({ email: row.email, role: row.role, totpSecret: row.totp_secret }))
}

/** The lines the start-up log prints about the demo accounts: the TOTP secrets are demo-only, and it says so. */
export function describeDemoAccounts (accounts: DemoAccount[], origin: string): string[] {
  const lines = ['', `Demo accounts (DEMO ONLY: shared password "${DEMO_PASSWORD}", second-factor secrets printed here). Console: ${origin}/console/  Results: ${origin}/results/`]
  for (const account of accounts) {
    const factor = account.totpSecret === null ? 'no second factor' : `code: npm run demo:code -- ${account.role}  (now ${currentTotp(account.totpSecret, account.email)}; secret ${account.totpSecret})`
    lines.push(`  ${account.role.padEnd(10)} ${account.email.padEnd(34)} ${factor}`)
  }
  return lines
}
