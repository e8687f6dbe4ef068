import type { Kysely } from 'kysely'
import type { Account } from '../auth/roles.js'
import type { Database } from '../db/database.js'
import { listTablets, tabletDayBySite } from '../db/queries/devices.js'
import { siteResponseTotals } from '../db/queries/progress.js'
import { releasedWaveIds } from '../db/queries/releases.js'
import { listWaveDetails } from '../db/queries/waves.js'
import type { WaveDetail } from '../db/queries/waves.js'
import type { Attention, OverviewReply, OverviewWave } from '../schemas/overview.js'
import { addDays, daysBetween } from '../study-calendar.js'
import { helpFreshness } from './help-freshness.js'
import { ownSiteOf } from './site-scope.js'
import { uploadWarnings } from './tablet-plausibility.js'

/** An open wave this close to its last day with a site below target is worth a look while there is time to act. */
export const OVERVIEW_NEAR_CLOSE_DAYS = 14

/** What the overview weighs against: the study day and the limits set in the configuration. */
export interface OverviewDay {
  today: string
  /** INTAKE_UPLOADS_PER_DAY, which the many_today warning is a share of. */
  uploadsPerDay: number
  /** HELP_DATA_MAX_AGE_DAYS. */
  helpMaxAgeDays: number
}

/** Attention items in the order they are shown: what blocks or misleads first, what can wait last. */
const ATTENTION_ORDER: ReadonlyArray<Attention['kind']> = ['help_stale', 'wave_past_close', 'tablet_warning', 'wave_behind_target', 'release_missing']

/**
 * The console's landing screen: each open wave's progress against target, the tablets seen today, and what needs
 * attention. Site staff get their own site only, and none of what only a researcher can act on (help resources,
 * releases). Counts only: nothing here reads an answer.
 */
export async function overviewFor (db: Kysely<Database>, account: Account, day: OverviewDay): Promise<OverviewReply> {
  const siteId = ownSiteOf(account)
  const waves = await listWaveDetails(db, { statuses: siteId === undefined ? ['open', 'closed'] : ['open'], ...(siteId === undefined ? {} : { siteId }) })
  const totals = await siteResponseTotals(db, waves.map((wave) => wave.row.id), siteId)
  const progress = (wave: WaveDetail): OverviewWave => {
    const sites = wave.sites.map((site) => ({
      siteId: site.siteId,
      siteName: site.siteName,
      target: site.target,
      total: totals.find((count) => count.waveId === wave.row.id && count.siteId === site.siteId)?.responses ?? 0,
    }))
    return {
      waveId: wave.row.id,
      waveName: wave.row.name,
      surveyVersion: wave.surveyVersion,
      opensOn: wave.row.opens_on,
      closesOn: wave.row.closes_on,
      sites,
      total: sites.reduce((sum, site) => sum + site.total, 0),
      target: sites.some((site) => site.target === null) ? null : sites.reduce((sum, site) => sum + (site.target ?? 0), 0),
    }
  }
  const open = waves.filter((wave) => wave.row.status === 'open').map(progress)
  const attention: Attention[] = []

  for (const wave of open) {
    const ref = { waveId: wave.waveId, waveName: wave.waveName, closesOn: wave.closesOn }
    const daysLeft = daysBetween(day.today, wave.closesOn)
    if (daysLeft < 0) {
      const detail = waves.find((candidate) => candidate.row.id === wave.waveId)
      attention.push({ kind: 'wave_past_close', ...ref, graceEndsOn: addDays(wave.closesOn, detail?.row.grace_days ?? 0) })
      continue
    }
    const behind = wave.sites.filter((site) => site.target !== null && site.total < site.target)
    if (daysLeft <= OVERVIEW_NEAR_CLOSE_DAYS && behind.length > 0) {
      attention.push({ kind: 'wave_behind_target', ...ref, daysLeft, total: wave.total, target: wave.target, sites: behind })
    }
  }

  for (const tablet of await listTablets(db, siteId)) {
    // A revoked tablet can do no more harm, and a test tablet's uploads are kept apart from every count.
    if (tablet.revokedAt !== null || tablet.testSurveyVersion !== null) continue
    const warnings = uploadWarnings(tablet, day.today, day.uploadsPerDay)
    if (warnings.length > 0) attention.push({ kind: 'tablet_warning', tabletId: tablet.id, label: tablet.label, siteId: tablet.siteId, siteName: tablet.siteName, warnings })
  }

  if (siteId === undefined) {
    const help = await helpFreshness(db, day.today, day.helpMaxAgeDays)
    if (help.stale) attention.push({ kind: 'help_stale', oldestChecked: help.oldestChecked, maxAgeDays: help.maxAgeDays })
    const closed = waves.filter((wave) => wave.row.status === 'closed').map(progress).filter((wave) => wave.total > 0)
    const released = await releasedWaveIds(db, closed.map((wave) => wave.waveId))
    for (const wave of closed) {
      if (!released.has(wave.waveId)) attention.push({ kind: 'release_missing', waveId: wave.waveId, waveName: wave.waveName, closesOn: wave.closesOn, responses: wave.total })
    }
  }

  attention.sort((a, b) => ATTENTION_ORDER.indexOf(a.kind) - ATTENTION_ORDER.indexOf(b.kind))
  return { today: day.today, waves: open, tabletsToday: await tabletDayBySite(db, day.today, siteId), attention }
}
