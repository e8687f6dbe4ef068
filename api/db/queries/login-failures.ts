import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database, LoginFailureTable } from '../database.js'

type Scope = LoginFailureTable['scope']

/** Failed logins for this account or source within the window; older rows are removed on the way. */
export async function recentLoginFailures (db: Kysely<Database>, scope: Scope, key: string, windowMinutes: number): Promise<number> {
  await db.deleteFrom('login_failures').where('attempted_at', '<', sql<Date>`now() - make_interval(mins => ${windowMinutes})`).execute()
  const row = await db.selectFrom('login_failures')
    .select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('scope', '=', scope).where('key', '=', key)
    .executeTakeFirstOrThrow()
  return Number(row.count)
}

export async function recordLoginFailure (db: Kysely<Database>, failures: Array<{ scope: Scope, key: string }>): Promise<void> {
  await db.insertInto('login_failures').values(failures).execute()
}

export async function clearLoginFailures (db: Kysely<Database>, scope: Scope, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('scope', '=', scope).where('key', '=', key).execute()
}
