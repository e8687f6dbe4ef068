// npm run device:revoke -- --id TABLET_ID
// npm run device:revoke -- --site SITE --label LABEL      (SITE: the site's id or its exact name)
// Revokes a tablet at once (a lost or stolen one): its token stops working for the kiosk and for uploads, and
// the audit log records it with no account (a command run on the server). The console does the same for staff.
import { parseArgs } from 'node:util'
import { UUID_PATTERN } from '../schemas/common.js'
import { allTablets, revokeTablet } from '../services/tablets.js'
import type { TabletRow } from '../services/tablets.js'
import { runWithDatabase } from './command-database.js'

const usage = 'usage: npm run device:revoke -- --id TABLET_ID\n       npm run device:revoke -- --site SITE --label LABEL   (SITE: the site\'s id or exact name)'

interface TabletChoice { id?: string, site?: string, label?: string }

/** The one tablet the arguments name, or a message saying why there is not exactly one. */
function chooseTablet (tablets: readonly TabletRow[], { id, site, label }: TabletChoice): TabletRow | string {
  if (id !== undefined) return tablets.find((tablet) => tablet.id === id) ?? `no tablet has the id ${id}`
  const atSite = tablets.filter((tablet) => tablet.siteId === site || tablet.siteName === site)
  if (atSite.length === 0) return `no tablet is enrolled at a site with the id or name "${site ?? ''}"`
  const named = atSite.filter((tablet) => tablet.label === label)
  if (named.length === 0) return `no tablet at ${atSite[0]!.siteName} is labelled "${label ?? ''}" (its tablets: ${[...new Set(atSite.map((tablet) => `"${tablet.label}"`))].join(', ')})`
  // A revoked namesake is history, not a candidate: only a tablet still in use can be meant.
  const live = named.filter((tablet) => tablet.revokedAt === null)
  if (live.length > 1) return `${live.length} tablets at ${atSite[0]!.siteName} are labelled "${label ?? ''}": revoke one by --id (${live.map((tablet) => `${tablet.id}, enrolled ${tablet.enrolledAt.toISOString()}`).join('; ')})`
  return live[0] ?? named[0]!
}

function parse (): TabletChoice | undefined {
  try {
    const { values } = parseArgs({ options: { id: { type: 'string' }, site: { type: 'string' }, label: { type: 'string' } }, strict: true })
    const byId = values.id !== undefined && values.site === undefined && values.label === undefined
    const byLabel = values.id === undefined && values.site !== undefined && values.label !== undefined && values.site !== '' && values.label !== ''
    if (byId && !UUID_PATTERN.test(values.id ?? '')) return undefined
    return byId || byLabel ? values : undefined
  } catch {
    return undefined
  }
}

const choice = parse()
if (choice === undefined) {
  process.stderr.write(`${usage}\n`)
  process.exit(2)
}
await runWithDatabase('device:revoke', async ({ db }) => {
  const tablet = chooseTablet(await allTablets(db), choice)
  if (typeof tablet === 'string') throw new Error(tablet)
  await revokeTablet(db, null, tablet.id)
  process.stdout.write(`Revoked tablet "${tablet.label}" at ${tablet.siteName} (${tablet.id}). It can no longer start the survey or send responses; enrol it again with a new code to use it.\n`)
})
