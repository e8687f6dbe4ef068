import { parseArgs } from 'node:util'
import { ROLES } from '../auth/roles.js'
import type { Role } from '../auth/roles.js'
import { createAccount } from '../services/accounts.js'
import { runWithDatabase } from './command-database.js'

const usage = `usage: npm run user:create -- --email EMAIL --role ROLE [--site SITE_ID] < password
  ROLE is one of ${ROLES.join(', ')}; site staff need --site.
  The password is read from stdin when stdin is not a terminal; otherwise one is generated and printed once.`

const { values: { email, role, site } } = parseArgs({ options: { email: { type: 'string' }, role: { type: 'string' }, site: { type: 'string' } } })
if (email === undefined || role === undefined || !(ROLES as readonly string[]).includes(role)) {
  process.stderr.write(`${usage}\n`)
  process.exit(2)
}

async function passwordFromStdin (): Promise<string | undefined> {
  if (process.stdin.isTTY === true) return undefined
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '')
  return text === '' ? undefined : text
}

await runWithDatabase('user:create', async ({ db }) => {
  const password = await passwordFromStdin()
  const created = await createAccount(db, {
    email,
    role: role as Role,
    siteId: site ?? null,
    ...(password === undefined ? {} : { password }),
  }, null)
  const lines = [`Created ${created.account.role} account ${created.account.email} (${created.account.id}).`]
  if (created.generatedPassword !== undefined) lines.push(`  Password (shown once, not stored in clear): ${created.generatedPassword}`)
  if (created.totp !== undefined) {
    lines.push(`  Second factor: add this to an authenticator app (secret ${created.totp.secret}):`, `    ${created.totp.uri}`)
  }
  process.stdout.write(`${lines.join('\n')}\n`)
})
