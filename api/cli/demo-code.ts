import { parseArgs } from 'node:util'
import { ROLES, ROLES_NEEDING_TOTP } from '../auth/roles.js'
import type { Role } from '../auth/roles.js'
import { currentTotp } from '../auth/totp.js'
import { loadConfig } from '../config.js'
import { demoEmail } from '../services/demo-accounts.js'
import { demoSecretsPath, readDemoSecrets } from '../services/demo-secrets.js'

// Demo mode only: a demo account's address, password and current 6-digit code, read from this install's secrets
// file in DATA_DIR (made at the first demo start), so a newcomer can log in without an authenticator app. It
// needs no database, so it works while the server holds the embedded one.
const { positionals } = parseArgs({ allowPositionals: true })
const role = (positionals[0] ?? 'researcher') as Role
if (!ROLES.includes(role)) {
  process.stderr.write(`usage: npm run demo:code -- ROLE   (ROLE is one of ${ROLES.join(', ')})\n`)
  process.exit(2)
}
const { DATA_DIR } = loadConfig()
const secrets = readDemoSecrets(DATA_DIR)
if (secrets === undefined) {
  process.stderr.write(`No demo secrets in ${demoSecretsPath(DATA_DIR)}: this install is not in demo mode (set DATA_DIR to the demo's data folder).\n`)
  process.exit(1)
}
const email = demoEmail(role)
const totp = secrets.totp[role]
if (!ROLES_NEEDING_TOTP.includes(role) || totp === undefined) {
  process.stdout.write(`${email}  password ${secrets.password}  (no second factor)\n`)
} else {
  const secondsLeft = 30 - Math.floor(Date.now() / 1000) % 30
  process.stdout.write(`${email}  password ${secrets.password}  code ${currentTotp(totp, email)} (valid for ${secondsLeft} more seconds)\n`)
}
