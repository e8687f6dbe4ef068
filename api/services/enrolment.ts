import { createHmac } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Database, EnrolmentFailureTable } from '../db/database.js'
import { enrolDevice } from '../db/queries/devices.js'
import { ENROLMENT_ALPHABET, claimEnrolmentCode, enrolmentFailureCount, markEnrolmentCodeUsed, normaliseEnrolmentCode, recordEnrolmentFailure } from '../db/queries/enrolment-codes.js'
import { findSite } from '../db/queries/sites.js'
import { AppError } from '../errors.js'
import { recordAudit } from './audit-log.js'

/**
 * Wrong codes are counted per address and per the code's first two characters, never across the whole
 * service, so that nobody can keep every tablet from enrolling (OWASP ASVS 4 V2.2.1):
 * - one address: 10 wrong codes in 10 minutes, then it waits until the oldest leaves the window;
 * - one prefix (25² = 625 of them): 5 wrong codes in 10 minutes, then codes beginning so wait.
 * An attacker spread over any number of addresses gets at most 625 × 5 guesses per 10 minutes (450,000 a
 * day) against 25⁸ ≈ 1.5·10¹¹ codes: with 10 live codes, about 3·10⁻⁵ chances of a hit a day; one address
 * gets 1,440 a day. Keeping every tablet out would take 3,125 wrong codes every 10 minutes from 313 addresses
 * or more, and even then a real code is only delayed, never spent.
 */
export const ENROLMENT_THROTTLE = {
  source: { failures: 10, windowMinutes: 10 },
  prefix: { length: 2, failures: 5, windowMinutes: 10 },
} as const

export interface EnrolmentClient {
  /** The client's address: only a keyed hash of it is kept, for a day at most. */
  source: string
  /** Key of those hashes (the login throttle's). */
  throttleKey: string
}

type Keyed = Array<{ scope: EnrolmentFailureTable['scope'], key: string }>

const REFUSALS = {
  unknown: new AppError(404, 'enrolment_code_unknown', 'this enrolment code is not known; check it and type it again, or ask for a new code'),
  expired: new AppError(410, 'enrolment_code_expired', 'this enrolment code has expired (codes last 24 hours); ask for a new code'),
  used: new AppError(409, 'enrolment_code_used', 'this enrolment code has already been used; each code enrols one tablet, ask for a new code'),
} as const

export function enrolmentKeys (code: string, client: EnrolmentClient): Keyed {
  const hmac = (...parts: string[]): string => createHmac('sha256', client.throttleKey).update(parts.join('\n')).digest('hex')
  // Only characters of the alphabet make a prefix, so "  ab" and "AB" share one.
  const prefix = [...normaliseEnrolmentCode(code)].filter((char) => ENROLMENT_ALPHABET.includes(char)).slice(0, ENROLMENT_THROTTLE.prefix.length).join('')
  return [
    { scope: 'source', key: hmac('enrol-source', client.source) },
    { scope: 'prefix', key: hmac('enrol-prefix', prefix) },
  ]
}

export type RedeemOutcome =
  | { kind: 'enrolled', token: string, siteName: string, siteId: string, deviceId: string, label: string, testSurveyVersionId: number | null }
  | { kind: 'unknown' | 'expired' | 'used' }

/** Marks the code used and enrols a device at its site, inside the caller's transaction. */
async function redeemEnrolmentCode (trx: Transaction<Database>, code: string, label: string): Promise<RedeemOutcome> {
  const claimed = await claimEnrolmentCode(trx, code)
  if (claimed.kind !== 'claimed') return claimed
  const { device, token } = await enrolDevice(trx, claimed.siteId, label === '' ? (claimed.label ?? 'Tablet') : label, undefined, claimed.testSurveyVersionId)
  await markEnrolmentCodeUsed(trx, claimed.id, device.id)
  const site = await findSite(trx, claimed.siteId)
  if (site === undefined) throw new Error(`enrolment code ${claimed.id} names a site that does not exist`)
  return { kind: 'enrolled', token, siteName: site.name, siteId: claimed.siteId, deviceId: device.id, label: device.label, testSurveyVersionId: claimed.testSurveyVersionId }
}

/**
 * Redeems a one-time code for a new tablet and records the enrolment in the audit log, in one transaction. The
 * staff member typing the code has no session on the tablet, so the entry has no actor: the code's site and
 * the tablet's label say which enrolment it was. A wrong code is counted (see ENROLMENT_THROTTLE) and refused
 * by name; past a limit the attempt is refused with 429 before the code is looked at.
 */
export async function enrolTablet (db: Kysely<Database>, code: string, label: string, client: EnrolmentClient): Promise<Extract<RedeemOutcome, { kind: 'enrolled' }>> {
  const keyed = enrolmentKeys(code, client)
  for (const { scope, key } of keyed) {
    const limit = ENROLMENT_THROTTLE[scope]
    const { count, secondsUntilOldestLeaves } = await enrolmentFailureCount(db, scope, key, limit.windowMinutes)
    if (count >= limit.failures) {
      const minutes = Math.max(1, Math.ceil(secondsUntilOldestLeaves / 60))
      const why = scope === 'source' ? 'too many wrong enrolment codes came from this address' : 'too many wrong enrolment codes beginning like this one were tried'
      throw new AppError(429, 'rate_limited', `${why}; wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again`, undefined, Math.max(1, secondsUntilOldestLeaves))
    }
  }
  const outcome = await db.transaction().execute(async (trx) => {
    const redeemed = await redeemEnrolmentCode(trx, code, label)
    if (redeemed.kind === 'enrolled') {
      await recordAudit(trx, { actor: null, action: 'tablet.enrol', objectType: 'device', objectId: redeemed.deviceId, detail: { siteId: redeemed.siteId, label: redeemed.label, ...(redeemed.testSurveyVersionId === null ? {} : { testSurveyVersionId: redeemed.testSurveyVersionId }) } })
    }
    return redeemed
  })
  if (outcome.kind !== 'enrolled') {
    await recordEnrolmentFailure(db, keyed)
    throw REFUSALS[outcome.kind]
  }
  return outcome
}
