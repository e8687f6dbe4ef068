import { parseArgs } from 'node:util'
import { ENROLMENT_CODE_HOURS } from '../db/queries/enrolment-codes.js'
import { UUID_PATTERN } from '../schemas/common.js'
import { issueEnrolmentCode } from '../services/tablets.js'
import { runWithDatabase } from './command-database.js'

const usage = 'usage: npm run enrolment:create -- --site SITE_ID [--label LABEL]'

const { values: { site: siteId, label } } = parseArgs({ options: { site: { type: 'string' }, label: { type: 'string' } } })
if (siteId === undefined || !UUID_PATTERN.test(siteId) || (label !== undefined && (label.length < 1 || label.length > 100))) {
  process.stderr.write(`${usage}\n  --site is the site's id (a UUID), --label 1 to 100 characters naming the tablet\n`)
  process.exit(2)
}

await runWithDatabase('enrolment:create', async ({ db }) => {
  const site = await db.selectFrom('sites').select('name').where('id', '=', siteId).executeTakeFirst()
  if (site === undefined) throw new Error(`site ${siteId} does not exist`)
  const { code, expiresAt } = await issueEnrolmentCode(db, null, siteId, label ?? null)
  process.stdout.write(`Enrolment code for ${site.name}: ${code}\n` +
    `  Single use, valid for ${ENROLMENT_CODE_HOURS} hours (until ${expiresAt}). Type it on the tablet at /kiosk/.\n`)
})
