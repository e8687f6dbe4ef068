import type { Kysely } from 'kysely'
import type { Database } from '../database.js'

/** An intake key pair as stored: base64 DER, the public half as SPKI, the private half as PKCS#8. */
export interface StoredIntakeKey {
  keyId: string
  publicKeySpki: string
  privateKeyPkcs8: string
}

const columns = ['key_id as keyId', 'public_key_spki as publicKeySpki', 'private_key_pkcs8 as privateKeyPkcs8'] as const

export async function findCurrentIntakeKey (db: Kysely<Database>): Promise<StoredIntakeKey | undefined> {
  return await db.selectFrom('intake_keys').select(columns).where('is_current', '=', true).executeTakeFirst()
}

export async function findIntakeKey (db: Kysely<Database>, keyId: string): Promise<StoredIntakeKey | undefined> {
  return await db.selectFrom('intake_keys').select(columns).where('key_id', '=', keyId).executeTakeFirst()
}

/**
 * Stores `key` as the current pair unless one is current already, and returns whichever is current then: when
 * two API processes start at once and both made a pair, the unique index keeps the first and both use it.
 */
export async function insertIntakeKeyUnlessCurrent (db: Kysely<Database>, key: StoredIntakeKey): Promise<StoredIntakeKey> {
  await db.insertInto('intake_keys')
    .values({ key_id: key.keyId, public_key_spki: key.publicKeySpki, private_key_pkcs8: key.privateKeyPkcs8, is_current: true })
    .onConflict((conflict) => conflict.column('is_current').where('is_current', '=', true).doNothing())
    .execute()
  const current = await findCurrentIntakeKey(db)
  if (current === undefined) throw new Error('no current intake key after inserting one')
  return current
}
