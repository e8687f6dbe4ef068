import { sql } from 'kysely'
import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../database.js'
import { lastUploadDaySql } from '../../domain/upload-window.js'

export interface HeldRow {
  idDigest: string
  waveId: string
  siteId: string
  keyId: string
  sealed: Buffer
}

/** The held response stored under any of these digests of one id (one per holding key), if any. */
export async function findHeldResponse (db: Kysely<Database>, idDigests: readonly string[]): Promise<HeldRow | undefined> {
  if (idDigests.length === 0) return undefined
  const row = await db.selectFrom('held_responses')
    .select(['id_digest', 'wave_id', 'site_id', 'key_id', 'sealed'])
    .where('id_digest', 'in', idDigests)
    .executeTakeFirst()
  return row === undefined ? undefined : heldRow(row)
}

/**
 * Takes the mix's lock for a wave, for the rest of the transaction: false when another process is mixing it.
 * An advisory lock, not a row lock, so the mix leaves its transaction id on no row of another table.
 */
export async function tryLockWaveForMix (trx: Transaction<Database>, waveId: string): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(hashtext('prevalens.mix'), hashtext(${waveId})) as locked`.execute(trx)
  return rows[0]?.locked === true
}

/** A wave's held responses, those from ISO weeks before `beforeWeek` when it is given. */
export async function heldResponsesOfWave (db: Kysely<Database>, waveId: string, beforeWeek?: string): Promise<HeldRow[]> {
  let query = db.selectFrom('held_responses')
    .select(['id_digest', 'wave_id', 'site_id', 'key_id', 'sealed'])
    .where('wave_id', '=', waveId)
  if (beforeWeek !== undefined) query = query.where('iso_week', '<', beforeWeek)
  return (await query.execute()).map(heldRow)
}

export async function deleteHeldResponses (trx: Transaction<Database>, idDigests: readonly string[]): Promise<number> {
  let deleted = 0
  for (let start = 0; start < idDigests.length; start += 5_000) {
    const result = await trx.deleteFrom('held_responses').where('id_digest', 'in', idDigests.slice(start, start + 5_000)).executeTakeFirst()
    deleted += Number(result.numDeletedRows)
  }
  return deleted
}

/**
 * Waves whose held responses are due for a mix: those held from an ISO week before `currentWeek`, and every
 * held response of a wave whose late uploads are over (its close date plus grace days is before `today`).
 */
export async function wavesDueForMix (db: Kysely<Database>, currentWeek: string, today: string): Promise<Array<{ waveId: string, all: boolean }>> {
  const rows = await db.selectFrom('held_responses as h')
    .innerJoin('waves as w', 'w.id', 'h.wave_id')
    .select(['h.wave_id', sql<boolean>`bool_or(${sql.raw(lastUploadDaySql('w'))} < ${today}::date)`.as('all')])
    .where((eb) => eb.or([eb('h.iso_week', '<', currentWeek), sql<boolean>`${sql.raw(lastUploadDaySql('w'))} < ${today}::date`]))
    .groupBy('h.wave_id')
    .execute()
  return rows.map((row) => ({ waveId: row.wave_id, all: row.all }))
}

/** Frees the space of mixed (deleted) held rows now rather than at autovacuum's leisure. */
export async function vacuumHeldResponses (db: Kysely<Database>): Promise<void> {
  await sql`vacuum held_responses`.execute(db)
}

function heldRow (row: { id_digest: string, wave_id: string, site_id: string, key_id: string, sealed: Buffer | Uint8Array }): HeldRow {
  return { idDigest: row.id_digest, waveId: row.wave_id, siteId: row.site_id, keyId: row.key_id, sealed: Buffer.from(row.sealed) }
}

/** The holding keys that sealed at least one held response: a rotation must keep them. */
export async function heldKeyIds (db: Kysely<Database>): Promise<Set<string>> {
  const rows = await db.selectFrom('held_responses').select('key_id').distinct().execute()
  return new Set(rows.map((row) => row.key_id))
}
