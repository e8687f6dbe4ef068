import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database, DeviceRow } from '../database.js'

/** Tokens carry 256 random bits, so a plain sha256 is a safe way to store them (no slow hash needed). */
export function hashDeviceToken (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function newDeviceToken (): string {
  return randomBytes(32).toString('base64url')
}

export interface EnrolledDevice {
  device: DeviceRow
  /** Shown once to whoever enrols the tablet; only its hash is stored. */
  token: string
}

/** `testSurveyVersionId` enrols a test tablet for that survey version rather than a live one. */
export async function enrolDevice (db: Kysely<Database>, siteId: string, label: string, token = newDeviceToken(), testSurveyVersionId: number | null = null): Promise<EnrolledDevice> {
  const device = await db.insertInto('devices')
    .values({ site_id: siteId, label, token_hash: hashDeviceToken(token), test_survey_version_id: testSurveyVersionId })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { device, token }
}

/** Revokes a tablet that is not revoked yet; false when it already was (or does not exist). */
export async function revokeDevice (db: Kysely<Database>, deviceId: string): Promise<boolean> {
  const result = await db.updateTable('devices').set({ revoked_at: sql<Date>`now()` }).where('id', '=', deviceId).where('revoked_at', 'is', null).executeTakeFirst()
  return result.numUpdatedRows > 0n
}

export interface DeviceAccess {
  siteId: string
  siteName: string
  /** The site's county (two digits): the kiosk's help lists that county's crisis centres first. */
  countyNumber: string
  revoked: boolean
  /** A test tablet's survey version; null for a live tablet. */
  testSurveyVersionId: number | null
}

export async function findDeviceByToken (db: Kysely<Database>, token: string): Promise<DeviceAccess | undefined> {
  const row = await db.selectFrom('devices')
    .innerJoin('sites', 'sites.id', 'devices.site_id')
    .select(['devices.site_id', 'sites.name', 'sites.county_number', 'devices.revoked_at', 'devices.test_survey_version_id'])
    .where('devices.token_hash', '=', hashDeviceToken(token))
    .executeTakeFirst()
  return row === undefined
    ? undefined
    : { siteId: row.site_id, siteName: row.name, countyNumber: row.county_number, revoked: row.revoked_at !== null, testSurveyVersionId: row.test_survey_version_id }
}

export interface TabletRow {
  id: string
  siteId: string
  siteName: string
  label: string
  enrolledAt: Date
  revokedAt: Date | null
  lastUploadOn: string | null
  uploadCount: number
  dayUploads: number
  preferNotOnlyUploads: number
  repeatedUploads: number
  /** The survey version a test tablet tries (slug and version); null for a live tablet. */
  testSurveyVersion: { id: number, slug: string, version: number } | null
}

function tablets (db: Kysely<Database>) {
  return db.selectFrom('devices as d').innerJoin('sites as s', 's.id', 'd.site_id')
    .leftJoin('survey_versions as tv', 'tv.id', 'd.test_survey_version_id')
    .select(['d.id', 'd.site_id', 's.name as site_name', 'd.label', 'd.enrolled_at', 'd.revoked_at', 'd.last_upload_on', 'd.upload_count',
      'd.day_uploads', 'd.prefer_not_only_uploads', 'd.repeated_uploads', 'tv.id as test_id', 'tv.slug as test_slug', 'tv.version as test_version'])
}

type Selected = Awaited<ReturnType<ReturnType<typeof tablets>['executeTakeFirstOrThrow']>>

const tabletRow = (row: Selected): TabletRow => ({
  id: row.id,
  siteId: row.site_id,
  siteName: row.site_name,
  label: row.label,
  enrolledAt: row.enrolled_at,
  revokedAt: row.revoked_at,
  lastUploadOn: row.last_upload_on,
  uploadCount: Number(row.upload_count),
  dayUploads: Number(row.day_uploads),
  preferNotOnlyUploads: Number(row.prefer_not_only_uploads),
  repeatedUploads: Number(row.repeated_uploads),
  testSurveyVersion: row.test_id === null || row.test_slug === null || row.test_version === null
    ? null
    : { id: row.test_id, slug: row.test_slug, version: row.test_version },
})

/** Enrolled tablets (revoked ones too, last), by site and label; only `siteId`'s when given. Counts only, never answers. */
export async function listTablets (db: Kysely<Database>, siteId?: string): Promise<TabletRow[]> {
  let query = tablets(db).orderBy(sql`d.revoked_at is not null`).orderBy('s.name').orderBy('d.label').orderBy('d.enrolled_at')
  if (siteId !== undefined) query = query.where('d.site_id', '=', siteId)
  return (await query.execute()).map(tabletRow)
}

export async function findTablet (db: Kysely<Database>, id: string): Promise<TabletRow | undefined> {
  const row = await tablets(db).where('d.id', '=', id).executeTakeFirst()
  return row === undefined ? undefined : tabletRow(row)
}

export interface SiteTabletDay {
  siteId: string
  siteName: string
  tablets: number
  seenToday: number
  uploadsToday: number
}

/**
 * Per site with a live tablet: how many are enrolled and not revoked, how many sent something on `today` and how
 * many new responses they sent (the counters intake keeps on the device row; a test tablet keeps none and is left
 * out). Only `siteId`'s when given.
 */
export async function tabletDayBySite (db: Kysely<Database>, today: string, siteId?: string): Promise<SiteTabletDay[]> {
  const site = siteId === undefined ? sql`true` : sql`d.site_id = ${siteId}`
  const { rows } = await sql<{ site_id: string, name: string, tablets: number | string, seen: number | string, uploads: number | string }>`
    select d.site_id, s.name,
           count(*) filter (where d.revoked_at is null) as tablets,
           count(*) filter (where d.last_upload_on = ${today}::date) as seen,
           coalesce(sum(d.day_uploads) filter (where d.last_upload_on = ${today}::date), 0) as uploads
    from devices d join sites s on s.id = d.site_id
    where d.test_survey_version_id is null and ${site}
    group by d.site_id, s.name
    having count(*) filter (where d.revoked_at is null or d.last_upload_on = ${today}::date) > 0
    order by s.name, d.site_id`.execute(db)
  return rows.map((row) => ({ siteId: row.site_id, siteName: row.name, tablets: Number(row.tablets), seenToday: Number(row.seen), uploadsToday: Number(row.uploads) }))
}
