import { parseArgs } from 'node:util'
import { ROLES, ROLES_NEEDING_TOTP } from '../auth/roles.js'
import type { Role } from '../auth/roles.js'
import { currentTotp } from '../auth/totp.js'
import { demoEmail, demoTotpSecret } from '../services/demo-accounts.js'

// Demo mode only: the current 6-digit code of a demo account, so a newcomer can log in without an authenticator
// app. It needs no database, so it works while the server holds the embedded one.
const { positionals } = parseArgs({ allowPositionals: true })
const role = (positionals[0] ?? 'researcher') as Role
if (!ROLES.includes(role)) {
  process.stderr.write(`usage: npm run demo:code -- ROLE   (ROLE is one of ${ROLES_NEEDING_TOTP.join(', ')})\n`)
  process.exit(2)
}
if (!ROLES_NEEDING_TOTP.includes(role)) {
  process.stdout.write(`${demoEmail(role)} needs no second factor.\n`)
} else {
  const secondsLeft = 30 - Math.floor(Date.now() / 1000) % 30
  process.stdout.write(`${demoEmail(role)}: ${currentTotp(demoTotpSecret(role), demoEmail(role))} (valid for ${secondsLeft} more seconds)\n`)
}
