import { createHash, randomInt } from 'node:crypto'
import { sql } from 'kysely'
import type { Kysely, Transaction } from 'kysely'
import type { Database, EnrolmentCodeRow, EnrolmentFailureTable } from '../database.js'

/** No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or typed on a tablet keyboard is not mistaken. */
export const ENROLMENT_ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY'
export const ENROLMENT_CODE_LENGTH = 8
export const ENROLMENT_CODE_HOURS = 24

/** 25^8 ≈ 1.5e11 codes: with the throttle (api/services/enrolment.ts), guessing one in its 24 hours is hopeless. */
export function newEnrolmentCode (): string {
  let code = ''
  for (let i = 0; i < ENROLMENT_CODE_LENGTH; i += 1) code += ENROLMENT_ALPHABET[randomInt(ENROLMENT_ALPHABET.length)]
  return code
}

/** Upper-cases and drops spaces and dashes, so "abcd-efgh" as typed matches "ABCDEFGH" as printed. */
export function normaliseEnrolmentCode (typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '')
}

export function hashEnrolmentCode (code: string): string {
  return createHash('sha256').update(normaliseEnrolmentCode(code)).digest('hex')
}

export interface CreatedEnrolmentCode {
  row: EnrolmentCodeRow
  /** Shown once to the researcher; only its hash is stored. */
  code: string
}

/** `testSurveyVersionId` makes it a code for a test tablet of that survey version (see the test tablets migration). */
export async function createEnrolmentCode (db: Kysely<Database>, siteId: string, label: string | null = null, now = new Date(), testSurveyVersionId: number | null = null): Promise<CreatedEnrolmentCode> {
  const code = newEnrolmentCode()
  const row = await db.insertInto('enrolment_codes')
    .values({
      site_id: siteId,
      code_hash: hashEnrolmentCode(code),
      label,
      expires_at: new Date(now.getTime() + ENROLMENT_CODE_HOURS * 3600_000),
      test_survey_version_id: testSurveyVersionId,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { row, code }
}

export type ClaimedCode =
  | { kind: 'claimed', id: string, siteId: string, label: string | null, testSurveyVersionId: number | null }
  | { kind: 'unknown' | 'expired' | 'used' }

/**
 * Locks a live code for redeeming, inside the caller's transaction, or says why there is none. The row lock
 * makes a code single-use even when two tablets send it at the same moment: the second waits, then finds it used.
 */
export async function claimEnrolmentCode (trx: Transaction<Database>, code: string): Promise<ClaimedCode> {
  const codeHash = hashEnrolmentCode(code)
  const claimed = await trx.selectFrom('enrolment_codes')
    .select(['id', 'site_id', 'label', 'test_survey_version_id'])
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .forUpdate()
    .executeTakeFirst()
  if (claimed !== undefined) return { kind: 'claimed', id: claimed.id, siteId: claimed.site_id, label: claimed.label, testSurveyVersionId: claimed.test_survey_version_id }
  const row = await trx.selectFrom('enrolment_codes').select(['used_at']).where('code_hash', '=', codeHash).executeTakeFirst()
  return { kind: row === undefined ? 'unknown' : row.used_at !== null ? 'used' : 'expired' }
}

export async function markEnrolmentCodeUsed (trx: Transaction<Database>, id: string, deviceId: string): Promise<void> {
  await trx.updateTable('enrolment_codes').set({ used_at: sql<Date>`now()`, device_id: deviceId }).where('id', '=', id).execute()
}

/** Failed attempts under this key in the last `minutes`, across every API process, and seconds until the oldest leaves. */
export async function enrolmentFailureCount (db: Kysely<Database>, scope: EnrolmentFailureTable['scope'], key: string, minutes: number): Promise<{ count: number, secondsUntilOldestLeaves: number }> {
  const row = await db.selectFrom('enrolment_failures')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      sql<number | null>`ceil(extract(epoch from min(attempted_at) + make_interval(mins => ${minutes}) - now()))::int`.as('until_oldest_leaves'),
    ])
    .where('scope', '=', scope).where('key', '=', key)
    .where('attempted_at', '>', sql<Date>`now() - make_interval(mins => ${minutes})`)
    .executeTakeFirstOrThrow()
  return { count: Number(row.n), secondsUntilOldestLeaves: Math.max(0, Number(row.until_oldest_leaves ?? 0)) }
}

/** Records a failed attempt under each key and forgets those older than a day, so the table stays small. */
export async function recordEnrolmentFailure (db: Kysely<Database>, keyed: Array<{ scope: EnrolmentFailureTable['scope'], key: string }>): Promise<void> {
  await db.insertInto('enrolment_failures').values(keyed).execute()
  await db.deleteFrom('enrolment_failures').where('attempted_at', '<', sql<Date>`now() - interval '1 day'`).execute()
}
