import type { Kysely } from 'kysely'
import type { Database } from '../database.js'

export interface WeeklyCount {
  siteId: string
  isoWeek: string
  responses: number
}

/** Responses per site and ISO week of a wave (only `siteId`'s when given): counts from the facts, never an answer. */
export async function weeklyResponseCounts (db: Kysely<Database>, waveId: string, siteId?: string): Promise<WeeklyCount[]> {
  let query = db.selectFrom('response_facts')
    .select(['site_id', 'iso_week', (eb) => eb.fn.countAll<number>().as('n')])
    .where('wave_id', '=', waveId)
    .groupBy(['site_id', 'iso_week'])
  if (siteId !== undefined) query = query.where('site_id', '=', siteId)
  const rows = await query.execute()
  return rows.map((row) => ({ siteId: row.site_id, isoWeek: row.iso_week, responses: Number(row.n) }))
}
