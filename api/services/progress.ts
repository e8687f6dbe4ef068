import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import { answeredBeforeCount, weeklyResponseCounts } from '../db/queries/progress.js'
import { listWaveDetails } from '../db/queries/waves.js'
import type { WaveDetail } from '../db/queries/waves.js'
import { AppError, notFound } from '../errors.js'
import type { ProgressReply } from '../schemas/progress.js'
import { addDays, isoWeek } from '../study-calendar.js'
import { ownSiteOf } from './site-scope.js'

/**
 * The wave's ISO weeks, from the week it opens to the week its grace days end, plus any week that holds a
 * response outside them (a wave whose dates were moved), in order.
 */
export function waveWeeks (opensOn: string, lastDay: string, extra: Iterable<string> = []): string[] {
  const weeks = new Set<string>()
  // Every date's week is reached by stepping a week at a time from the opening date; the last day's week is added in case a step skipped past it.
  for (let day = opensOn; day <= lastDay; day = addDays(day, 7)) weeks.add(isoWeek(day))
  if (lastDay >= opensOn) weeks.add(isoWeek(lastDay))
  for (const week of extra) weeks.add(week)
  return [...weeks].sort()
}

/** Responses per site per week against each site's target, for the sites in `wave` (already scoped to the caller). */
export async function waveProgress (db: Kysely<Database>, wave: WaveDetail, siteId?: string): Promise<ProgressReply> {
  const counts = await weeklyResponseCounts(db, wave.row.id, siteId)
  const weeks = waveWeeks(wave.row.opens_on, addDays(wave.row.closes_on, wave.row.grace_days), counts.map((count) => count.isoWeek))
  const sites = wave.sites.map((site) => {
    const mine = counts.filter((count) => count.siteId === site.siteId)
    const byWeek = weeks.map((week) => mine.find((count) => count.isoWeek === week)?.responses ?? 0)
    return { siteId: site.siteId, siteName: site.siteName, target: site.target, total: byWeek.reduce((a, b) => a + b, 0), byWeek }
  })
  const targets = sites.map((site) => site.target)
  return {
    waveId: wave.row.id,
    waveName: wave.row.name,
    status: wave.row.status,
    weeks,
    sites,
    total: sites.reduce((sum, site) => sum + site.total, 0),
    target: targets.some((target) => target === null) ? null : targets.reduce<number>((sum, target) => sum + (target ?? 0), 0),
    // A count of one answer at one site would show site staff an answer's tally: the wave's, to researchers only.
    ...(siteId === undefined ? { answeredBefore: await answeredBeforeCount(db, wave.row.id) } : {}),
  }
}

/** A wave's progress as the account may see it: site staff see their own site only. @throws {AppError} 403, 404 */
export async function progressForAccount (db: Kysely<Database>, account: Account, waveId: string): Promise<ProgressReply> {
  const siteId = ownSiteOf(account)
  const [wave] = await listWaveDetails(db, { ids: [waveId], ...(siteId === undefined ? {} : { siteId }) })
  if (wave === undefined) {
    // Site staff are told the wave is not theirs rather than whether it exists.
    if (siteId !== undefined) throw new AppError(403, 'forbidden', 'a site staff account may only see the progress of waves at its own site')
    throw notFound(`wave ${waveId}`)
  }
  return await waveProgress(db, wave, siteId)
}
