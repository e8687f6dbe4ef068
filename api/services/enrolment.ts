import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { redeemEnrolmentCode } from '../db/queries/enrolment-codes.js'
import type { RedeemOutcome } from '../db/queries/enrolment-codes.js'
import { recordAudit } from './audit-log.js'

/**
 * Redeems a one-time code for a new tablet and records the enrolment in the audit log, in one transaction. The
 * staff member typing the code has no session on the tablet, so the entry has no actor: the code's site and
 * the tablet's label say which enrolment it was.
 */
export async function enrolTablet (db: Kysely<Database>, code: string, label: string): Promise<RedeemOutcome> {
  return await db.transaction().execute(async (trx) => {
    const outcome = await redeemEnrolmentCode(trx, code, label)
    if (outcome.kind === 'enrolled') {
      await recordAudit(trx, { actor: null, action: 'tablet.enrol', objectType: 'device', objectId: outcome.deviceId, detail: { siteId: outcome.siteId, label: outcome.label } })
    }
    return outcome
  })
}
