import { parseArgs } from 'node:util'
import { currentTotp } from '../auth/totp.js'
import { loadConfig } from '../config.js'
import { connectDatabase } from '../db/connect.js'
import { demoAccounts } from '../services/demo-accounts.js'

// Demo mode only: the current 6-digit code of a demo account, so a newcomer can log in without an authenticator app.
const { positionals } = parseArgs({ allowPositionals: true })
const role = positionals[0] ?? 'researcher'
const config = loadConfig()
const { db } = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
try {
  const account = (await demoAccounts(db)).find((candidate) => candidate.role === role)
  if (account === undefined) throw new Error(`there is no demo account for the role "${role}" (start the platform with demo data first)`)
  if (account.totpSecret === null) throw new Error(`${account.email} needs no second factor`)
  const secondsLeft = 30 - Math.floor(Date.now() / 1000) % 30
  process.stdout.write(`${account.email}: ${currentTotp(account.totpSecret, account.email)} (valid for ${secondsLeft} more seconds)\n`)
} catch (error) {
  process.stderr.write(`demo:code failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
