import { sql } from 'kysely'
import type { Kysely } from 'kysely'
import type { Database } from '../database.js'

export interface WeeklyCount {
  siteId: string
  isoWeek: string
  responses: number
}

/**
 * Of a wave's responses in the analysis tables (mixed), how many said they had already answered in this round:
 * two sums over the per-site totals.
 */
export async function answeredBeforeCount (db: Kysely<Database>, waveId: string): Promise<{ count: number, of: number }> {
  const row = await db.selectFrom('response_totals')
    .select([
      sql<number>`coalesce(sum(responses) filter (where answered_before), 0)::int`.as('count'),
      sql<number>`coalesce(sum(responses), 0)::int`.as('of'),
    ])
    .where('wave_id', '=', waveId)
    .executeTakeFirst()
  return { count: Number(row?.count ?? 0), of: Number(row?.of ?? 0) }
}

/**
 * Responses per site and ISO week of a wave (only `siteId`'s when given), held and mixed together: counts, never
 * an answer. A held response's site and week are stored in clear for this (README, "Threat model"): they are what
 * its analysis row says after the mix, and progress toward a site's target should not wait for the week's end.
 */
export async function weeklyResponseCounts (db: Kysely<Database>, waveId: string, siteId?: string): Promise<WeeklyCount[]> {
  const site = siteId === undefined ? sql`true` : sql`site_id = ${siteId}`
  const { rows } = await sql<{ site_id: string, iso_week: string, n: number | string }>`
    select site_id, iso_week, sum(n)::int as n from (
      select site_id, iso_week, count(*) as n from response_facts where wave_id = ${waveId} and ${site} group by site_id, iso_week
      union all
      select site_id, iso_week, count(*) as n from held_responses where wave_id = ${waveId} and ${site} group by site_id, iso_week
    ) c
    group by site_id, iso_week`.execute(db)
  return rows.map((row) => ({ siteId: row.site_id, isoWeek: row.iso_week, responses: Number(row.n) }))
}

export interface SiteTotal {
  waveId: string
  siteId: string
  responses: number
}

/** Responses per wave and site of `waveIds` (only `siteId`'s when given), held and mixed together, as `weeklyResponseCounts`. */
export async function siteResponseTotals (db: Kysely<Database>, waveIds: readonly string[], siteId?: string): Promise<SiteTotal[]> {
  if (waveIds.length === 0) return []
  const waves = sql`wave_id in (${sql.join(waveIds.map((id) => sql`${id}::uuid`))})`
  const site = siteId === undefined ? sql`true` : sql`site_id = ${siteId}`
  const { rows } = await sql<{ wave_id: string, site_id: string, n: number | string }>`
    select wave_id, site_id, sum(n)::int as n from (
      select wave_id, site_id, count(*) as n from response_facts where ${waves} and ${site} group by wave_id, site_id
      union all
      select wave_id, site_id, count(*) as n from held_responses where ${waves} and ${site} group by wave_id, site_id
    ) c
    group by wave_id, site_id`.execute(db)
  return rows.map((row) => ({ waveId: row.wave_id, siteId: row.site_id, responses: Number(row.n) }))
}
