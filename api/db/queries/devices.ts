import { createHash, randomBytes } from 'node:crypto'
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

export async function enrolDevice (db: Kysely<Database>, siteId: string, label: string, token = newDeviceToken()): Promise<EnrolledDevice> {
  const device = await db.insertInto('devices')
    .values({ site_id: siteId, label, token_hash: hashDeviceToken(token) })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { device, token }
}

export async function revokeDevice (db: Kysely<Database>, deviceId: string): Promise<void> {
  await db.updateTable('devices').set({ revoked_at: new Date() }).where('id', '=', deviceId).where('revoked_at', 'is', null).execute()
}

export interface DeviceAccess {
  siteId: string
  siteName: string
  /** The site's county (two digits): the kiosk's help lists that county's crisis centres first. */
  countyNumber: string
  revoked: boolean
}

export async function findDeviceByToken (db: Kysely<Database>, token: string): Promise<DeviceAccess | undefined> {
  const row = await db.selectFrom('devices')
    .innerJoin('sites', 'sites.id', 'devices.site_id')
    .select(['devices.site_id', 'sites.name', 'sites.county_number', 'devices.revoked_at'])
    .where('devices.token_hash', '=', hashDeviceToken(token))
    .executeTakeFirst()
  return row === undefined ? undefined : { siteId: row.site_id, siteName: row.name, countyNumber: row.county_number, revoked: row.revoked_at !== null }
}
