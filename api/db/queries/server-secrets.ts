import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../database.js'

/** The named secret, made on first use; the first process to make it wins, so every process gets the same one. */
export async function serverSecret (db: Kysely<Database>, name: string): Promise<string> {
  await db.insertInto('server_secrets').values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing()).execute()
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow()
  return row.value
}
