import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import { findTablet, listTablets, revokeDevice } from '../db/queries/devices.js'
import type { TabletRow } from '../db/queries/devices.js'
import { createEnrolmentCode } from '../db/queries/enrolment-codes.js'
import { findSurveyVersionById } from '../db/queries/survey-versions.js'
import { AppError, notFound } from '../errors.js'
import type { EnrolmentCodeReply, Tablet } from '../schemas/tablets.js'
import { recordAudit } from './audit-log.js'
import { existingSite } from './sites.js'
import { assertSiteAccess, ownSiteOf } from './site-scope.js'
import { uploadWarnings } from './tablet-plausibility.js'

export type { TabletRow }

/** What a tablet's reply needs besides its row: the study day and the daily upload limit its warnings weigh against. */
export interface TabletDay {
  today: string
  uploadsPerDay: number
}

/** The tablets the account may see (`siteId`'s only when given). Counts only, never answers. @throws {AppError} 403 for another site */
export async function listTabletsFor (db: Kysely<Database>, account: Account, siteId: string | undefined, day: TabletDay): Promise<Tablet[]> {
  if (siteId !== undefined) assertSiteAccess(account, siteId)
  return (await listTablets(db, siteId ?? ownSiteOf(account))).map((row) => tabletReply(row, day))
}

/** Every tablet, revoked ones last, for a command that picks one by site and label. */
export async function allTablets (db: Kysely<Database>): Promise<TabletRow[]> {
  return await listTablets(db)
}

/**
 * A one-time code that enrols a tablet at the site, recorded in the audit log (without the code: whoever
 * reads the log could enrol a tablet with it). `actor` is null for a command run on the server.
 * @throws {AppError} 403 for another site's staff, 404 when there is no such site
 */
export async function issueEnrolmentCode (db: Kysely<Database>, actor: Account | null, siteId: string, label: string | null, testSurveyVersionId: number | null = null): Promise<EnrolmentCodeReply> {
  if (actor !== null) assertSiteAccess(actor, siteId)
  // Trying a survey version is the researchers' work; site staff enrol the tablets respondents use.
  if (testSurveyVersionId !== null && actor !== null && actor.role === 'site_staff') {
    throw new AppError(403, 'forbidden', 'site staff enrol live tablets only; a researcher or an admin enrols a test tablet')
  }
  const site = await existingSite(db, siteId)
  const testVersion = testSurveyVersionId === null ? null : await findSurveyVersionById(db, testSurveyVersionId)
  if (testVersion === undefined) throw new AppError(400, 'unknown_survey_version', `survey version ${testSurveyVersionId ?? ''} is not published`)
  const created = await db.transaction().execute(async (trx) => {
    const made = await createEnrolmentCode(trx, siteId, label, undefined, testSurveyVersionId)
    await recordAudit(trx, {
      actor,
      action: 'tablet.enrolment_code',
      objectType: 'site',
      objectId: siteId,
      detail: { enrolmentCodeId: made.row.id, label, expiresAt: made.row.expires_at.toISOString(), ...(testSurveyVersionId === null ? {} : { testSurveyVersionId }) },
    })
    return made
  })
  return {
    code: created.code,
    siteId,
    siteName: site.name,
    label,
    expiresAt: created.row.expires_at.toISOString(),
    testSurveyVersion: testVersion === null ? null : { id: testVersion.id, slug: testVersion.slug, version: testVersion.version },
  }
}

/** @throws {AppError} 404 when there is no such tablet */
async function existingTablet (db: Kysely<Database>, id: string): Promise<TabletRow> {
  const tablet = await findTablet(db, id)
  if (tablet === undefined) throw notFound(`tablet ${id}`)
  return tablet
}

/**
 * Revokes a tablet at once (a lost or stolen one): its token stops working for the kiosk and for uploads.
 * The console (as the account) and `device:revoke` (actor null) both revoke through here, with the audit entry.
 * @throws {AppError} 404, 403 for another site's staff, 409 already_revoked
 */
export async function revokeTablet (db: Kysely<Database>, actor: Account | null, id: string): Promise<TabletRow> {
  const tablet = await existingTablet(db, id)
  if (actor !== null) assertSiteAccess(actor, tablet.siteId)
  await db.transaction().execute(async (trx) => {
    if (!await revokeDevice(trx, tablet.id)) {
      throw new AppError(409, 'already_revoked', `tablet "${tablet.label}" at ${tablet.siteName} was already revoked (${tablet.revokedAt?.toISOString() ?? 'just now'})`)
    }
    await recordAudit(trx, {
      actor,
      action: 'tablet.revoke',
      objectType: 'tablet',
      objectId: tablet.id,
      detail: { siteId: tablet.siteId, label: tablet.label, ...(actor === null ? { by: 'command' } : {}) },
    })
  })
  return await existingTablet(db, tablet.id)
}

export function tabletReply (row: TabletRow, { today, uploadsPerDay }: TabletDay): Tablet {
  return {
    warnings: uploadWarnings(row, today, uploadsPerDay),
    id: row.id,
    siteId: row.siteId,
    siteName: row.siteName,
    label: row.label,
    enrolledAt: row.enrolledAt.toISOString(),
    revokedAt: row.revokedAt === null ? null : row.revokedAt.toISOString(),
    lastUploadOn: row.lastUploadOn,
    uploadCount: row.uploadCount,
    testSurveyVersion: row.testSurveyVersion,
  }
}
