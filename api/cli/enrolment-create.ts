import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { connectDatabase } from '../db/connect.js'
import { migrateToLatest } from '../db/migrate.js'
import { ENROLMENT_CODE_HOURS, createEnrolmentCode } from '../db/queries/enrolment-codes.js'

const usage = 'usage: npm run enrolment:create -- --site SITE_ID [--label LABEL]'

const { values } = parseArgs({ options: { site: { type: 'string' }, label: { type: 'string' } } })
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
if (values.site === undefined || !uuid.test(values.site) || (values.label !== undefined && (values.label.length < 1 || values.label.length > 100))) {
  process.stderr.write(`${usage}\n  --site is the site's id (a UUID), --label 1 to 100 characters naming the tablet\n`)
  process.exit(2)
}

const config = loadConfig()
const { db } = await connectDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR })
try {
  await migrateToLatest(db)
  const site = await db.selectFrom('sites').select('name').where('id', '=', values.site).executeTakeFirst()
  if (site === undefined) throw new Error(`site ${values.site} does not exist`)
  const { code, row } = await createEnrolmentCode(db, values.site, values.label ?? null)
  process.stdout.write(`Enrolment code for ${site.name}: ${code}\n` +
    `  Single use, valid for ${ENROLMENT_CODE_HOURS} hours (until ${row.expires_at.toISOString()}). Type it on the tablet at /kiosk/.\n`)
} catch (error) {
  process.stderr.write(`enrolment:create failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
