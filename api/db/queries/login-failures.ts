import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database, LoginFailureTable } from '../database.js'

export type FailureScope = LoginFailureTable['scope']

/** The longest window any counter looks back; older rows are removed on the way. */
const KEEP_MINUTES = 24 * 60

export interface FailureCount {
  count: number
  /** Seconds since the latest failure in the window (0 when there is none). */
  secondsSinceLast: number
  /** Seconds until the oldest failure in the window leaves it (0 when there is none). */
  secondsUntilOldestLeaves: number
}

/** Failed logins under this key within the window. */
export async function loginFailureCount (db: Kysely<Database>, scope: FailureScope, key: string, windowMinutes: number): Promise<FailureCount> {
  await db.deleteFrom('login_failures').where('attempted_at', '<', sql<Date>`now() - make_interval(mins => ${KEEP_MINUTES})`).execute()
  const row = await db.selectFrom('login_failures')
    .select((eb) => [
      eb.fn.countAll<string | number>().as('count'),
      sql<number | null>`floor(extract(epoch from now() - max(attempted_at)))::int`.as('since_last'),
      sql<number | null>`ceil(extract(epoch from min(attempted_at) + make_interval(mins => ${windowMinutes}) - now()))::int`.as('until_oldest_leaves'),
    ])
    .where('scope', '=', scope).where('key', '=', key)
    .where('attempted_at', '>', sql<Date>`now() - make_interval(mins => ${windowMinutes})`)
    .executeTakeFirstOrThrow()
  return { count: Number(row.count), secondsSinceLast: Number(row.since_last ?? 0), secondsUntilOldestLeaves: Math.max(0, Number(row.until_oldest_leaves ?? 0)) }
}

export async function recordLoginFailure (db: Kysely<Database>, failures: Array<{ scope: FailureScope, key: string }>): Promise<void> {
  await db.insertInto('login_failures').values(failures).execute()
}

export async function clearLoginFailures (db: Kysely<Database>, scope: FailureScope, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('scope', '=', scope).where('key', '=', key).execute()
}
