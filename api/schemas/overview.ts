/**
 * The console's landing screen (prefix /api/overview): how the open waves are going, which tablets sent
 * something today, and what needs someone's attention. Counts only, never answer content.
 *   GET /api/overview   researcher, admin: every site; site_staff: their own site (its waves, its tablets,
 *                       its tablets' warnings; nothing about help resources or releases, which are not theirs to act on)
 */
import { Type } from '@sinclair/typebox'
import type { Static } from '@sinclair/typebox'
import { TabletSchema } from './tablets.js'
import { IsoDate } from './waves.js'

const Target = Type.Union([Type.Integer(), Type.Null()])

export const OverviewSiteProgressSchema = Type.Object({
  siteId: Type.String(),
  siteName: Type.String(),
  target: Target,
  /** Responses received (held for the week's mix and mixed alike). */
  total: Type.Integer({ minimum: 0 }),
})

export const OverviewWaveSchema = Type.Object({
  waveId: Type.String(),
  waveName: Type.String(),
  surveyVersion: Type.Object({ id: Type.Integer(), slug: Type.String(), version: Type.Integer() }),
  opensOn: IsoDate,
  closesOn: IsoDate,
  sites: Type.Array(OverviewSiteProgressSchema),
  total: Type.Integer({ minimum: 0 }),
  /** The sum of the sites' targets; null when a site has none. */
  target: Target,
})
export type OverviewWave = Static<typeof OverviewWaveSchema>

export const SiteTabletsTodaySchema = Type.Object({
  siteId: Type.String(),
  siteName: Type.String(),
  /** Live tablets enrolled and not revoked (test tablets are left out everywhere here). */
  tablets: Type.Integer({ minimum: 0 }),
  /** Live tablets whose last upload was today (study time zone). */
  seenToday: Type.Integer({ minimum: 0 }),
  /** New responses those tablets sent today, from the device counters. */
  uploadsToday: Type.Integer({ minimum: 0 }),
})
export type SiteTabletsToday = Static<typeof SiteTabletsTodaySchema>

const WaveRef = { waveId: Type.String(), waveName: Type.String(), closesOn: IsoDate }

/** One thing to look at, by kind; the console words each in the reader's language. */
export const AttentionSchema = Type.Union([
  Type.Object({
    kind: Type.Literal('tablet_warning'),
    tabletId: Type.String(),
    label: Type.String(),
    siteId: Type.String(),
    siteName: Type.String(),
    warnings: TabletSchema.properties.warnings,
  }),
  /** Still open after its close date: the kiosk no longer offers it; closing it is what is left. */
  Type.Object({ kind: Type.Literal('wave_past_close'), ...WaveRef, graceEndsOn: IsoDate }),
  /** Open, closing within `daysLeft` (≤ OVERVIEW_NEAR_CLOSE_DAYS), with sites below their target. */
  Type.Object({
    kind: Type.Literal('wave_behind_target'),
    ...WaveRef,
    daysLeft: Type.Integer({ minimum: 0 }),
    total: Type.Integer({ minimum: 0 }),
    target: Target,
    sites: Type.Array(OverviewSiteProgressSchema),
  }),
  /** The help resources are older than HELP_DATA_MAX_AGE_DAYS: no wave can open until they are checked. */
  Type.Object({ kind: Type.Literal('help_stale'), oldestChecked: Type.Union([IsoDate, Type.Null()]), maxAgeDays: Type.Integer() }),
  /** Closed, with responses, and never released. */
  Type.Object({ kind: Type.Literal('release_missing'), ...WaveRef, responses: Type.Integer({ minimum: 0 }) }),
])
export type Attention = Static<typeof AttentionSchema>

export const OverviewReplySchema = Type.Object({
  /** The study day (STUDY_TIME_ZONE) the counts of "today" are for. */
  today: IsoDate,
  waves: Type.Array(OverviewWaveSchema),
  tabletsToday: Type.Array(SiteTabletsTodaySchema),
  attention: Type.Array(AttentionSchema),
})
export type OverviewReply = Static<typeof OverviewReplySchema>
